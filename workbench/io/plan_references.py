"""References between parts of a plan, checked when it loads and before it saves.

Every inventory entry lies in a cluster of the inventory (whether or not the plan lists
any: a plan that names clusters lists them), and every workload and Service in a namespace
of the inventory; a wave's waypoint namespaces and the namespaces with a STRICT date are
namespaces of the inventory; a mute's scope is ``*``, a cluster (``cluster/*`` too), or
lies in a namespace of the inventory (a workload under it that is not imported yet is
kept: it may match later). Import gaps are exempt: they name what could not be read.
Wave members and dependency edges are checked by :mod:`workbench.io.plan_checks`. The
first dangling reference raises :class:`PlanDataError` naming its place.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from workbench.domain.plan import Plan
from workbench.io.plan_codec import PlanDataError, describe, key_segment

# the inventory's lists whose entries name a cluster (and where they sit in the file)
_LISTS = ("network_policies", "ingresses", "webhooks", "mesh_policies", "monitors", "autoscalers")


def _in_clusters(entries: Iterable[tuple[str, Any]], clusters: dict[str, Any]) -> None:
    for at, entry in entries:
        if entry.cluster not in clusters:
            raise PlanDataError(
                f"no cluster named {describe(entry.cluster)} in the inventory", f"{at}.cluster"
            )


def _namespace_problem(key: str, plan: Plan) -> str | None:
    if key in plan.inventory.namespaces:
        return None
    return f"no namespace {describe(key)} in the inventory"


def check_references(plan: Plan) -> None:
    """Raise :class:`PlanDataError` at the first reference to something not in the plan."""
    inv = plan.inventory
    root = "plan.inventory"
    keyed: list[tuple[str, dict[str, Any]]] = [
        ("namespaces", inv.namespaces),
        ("workloads", inv.workloads),
        ("services", inv.services),
    ]
    for group, entries in keyed:
        _in_clusters(
            ((f"{root}.{group}{key_segment(k)}", e) for k, e in entries.items()), inv.clusters
        )
    for group in _LISTS:
        items = getattr(inv, group)
        _in_clusters(((f"{root}.{group}[{i}]", e) for i, e in enumerate(items)), inv.clusters)
    for group, entries in keyed[1:]:
        for key, entry in entries.items():
            problem = _namespace_problem(f"{entry.cluster}/{entry.namespace}", plan)
            if problem is not None:
                raise PlanDataError(problem, f"{root}.{group}{key_segment(key)}.namespace")
    for i, wave in enumerate(plan.schedule.waves):
        for j, ns in enumerate(wave.waypoints):
            problem = _namespace_problem(ns, plan)
            if problem is not None:
                raise PlanDataError(problem, f"plan.schedule.waves[{i}].waypoints[{j}]")
    for ns in plan.schedule.namespace_strict:
        problem = _namespace_problem(ns, plan)
        if problem is not None:
            raise PlanDataError(problem, f"plan.schedule.namespace_strict{key_segment(ns)}")
    for i, mute in enumerate(plan.mutes):
        _check_scope(mute.scope, plan, f"plan.mutes[{i}].scope")


def _check_scope(scope: str, plan: Plan, at: str) -> None:
    if scope == "*":
        return
    parts = scope.split("/")
    if parts[0] not in plan.inventory.clusters:
        raise PlanDataError(f"the scope {describe(scope)} is in no cluster of the inventory", at)
    namespace = parts[1] if len(parts) >= 2 else "*"
    if namespace != "*" and f"{parts[0]}/{namespace}" not in plan.inventory.namespaces:
        raise PlanDataError(f"the scope {describe(scope)} is in no namespace of the inventory", at)
