"""Sizing a synthetic estate to a total pod count (``generate --pods N``).

Deployments carry the difference: first their replicas are scaled in proportion (so the
larger services stay larger), then, once the clusters' node counts (and with them the
DaemonSets' pods) are known, the last few pods are added or taken one replica at a time
in key order, so the total is exact and the result is the same for the same arguments.
"""

from __future__ import annotations

from collections.abc import Iterable

from workbench.domain.errors import WorkbenchError
from workbench.domain.inventory import Workload

SCALED_KIND = "Deployment"


class PodCountError(WorkbenchError, ValueError):
    """A pod total the estate cannot be sized to."""


def scale_replicas(workloads: Iterable[Workload], target: int) -> None:
    """Scale the Deployments so that the total comes close to ``target``."""
    ws = list(workloads)
    scaled = sorted((w for w in ws if w.kind == SCALED_KIND), key=lambda w: w.key)
    fixed = sum(w.pods for w in ws if w.kind != SCALED_KIND)
    current = sum(w.pods for w in scaled)
    if not scaled or current == 0:
        return
    want = max(len(scaled), target - fixed)
    factor = want / current
    for w in scaled:
        w.replicas = w.pods = max(1, round(w.pods * factor))


def settle(workloads: Iterable[Workload], target: int) -> None:
    """Add or take Deployment replicas one at a time until the total is ``target``."""
    ws = list(workloads)
    scaled = sorted((w for w in ws if w.kind == SCALED_KIND), key=lambda w: w.key)
    diff = target - sum(w.pods for w in ws)
    if diff < 0:
        room = sum(w.pods - 1 for w in scaled)
        if room < -diff:
            low = sum(w.pods for w in ws) - room
            raise PodCountError(
                f"pods must be at least {low} for this estate (one per Deployment plus the "
                f"other workloads' pods), got {target}"
            )
    step = 1 if diff > 0 else -1
    while diff:
        for w in scaled:
            if diff == 0:
                break
            if step < 0 and w.pods <= 1:
                continue
            w.replicas = w.pods = w.pods + step
            diff -= step
