"""What an edit can change in the readiness findings.

Readiness reads the inventory, the dependencies and the mesh settings as a whole, but
from the schedule only each workload's wave: its id, data-plane mode and mTLS target
(:func:`schedule_signature`). So:

* a schedule edit affects the workloads whose signature changed, plus any workload the
  edit names, plus their callers and callees (graph neighbours), the namespaces and
  clusters they live in (quota, LimitRange and eviction rules read all members), and
  the services of those namespaces;
* an assumptions edit affects the namespace and cluster rules (the sidecar overhead
  profile feeds the quota headroom), not the workload rules;
* a mutes edit re-applies the mutes, re-evaluating nothing;
* a meta edit affects nothing;
* anything else (inventory, dependencies, mesh settings, an area this module does not
  know) needs a full evaluation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from workbench.domain.commands import Change
from workbench.domain.dependencies import Dependencies
from workbench.domain.inventory import Inventory
from workbench.domain.plan import Plan

Signature = tuple[str, str, str]  # wave id, data-plane mode, mTLS target
SCHEDULE, ASSUMPTIONS, MUTES, META = "schedule", "assumptions", "mutes", "meta"
KNOWN_AREAS = frozenset({SCHEDULE, ASSUMPTIONS, MUTES, META})


@dataclass(slots=True)
class Scope:
    """The subjects to re-evaluate; ``full`` means everything."""

    full: bool = False
    workloads: set[str] = field(default_factory=set)
    namespaces: set[str] = field(default_factory=set)
    clusters: set[str] = field(default_factory=set)
    all_namespaces: bool = False  # every namespace and cluster rule (assumptions edits)
    mutes: bool = False  # re-apply the mutes

    @property
    def empty(self) -> bool:
        return not (
            self.full or self.workloads or self.namespaces or self.clusters or self.all_namespaces
        )


def schedule_signature(plan: Plan) -> dict[str, Signature]:
    """What readiness reads from the schedule, per assigned workload."""
    waves = {w.id: (w.id, w.mode, w.mtls) for w in plan.schedule.waves}
    return {k: waves[wid] for k, wid in plan.schedule.assigned().items() if wid in waves}


def neighbours(dependencies: Dependencies) -> dict[str, set[str]]:
    """Callers and callees of every workload in the dependency graph."""
    out: dict[str, set[str]] = defaultdict(set)
    for caller, callee in dependencies.edges:
        if caller != callee:
            out[caller].add(callee)
            out[callee].add(caller)
    return dict(out)


def changed_signatures(before: Mapping[str, Signature], after: Mapping[str, Signature]) -> set[str]:
    """Workloads whose wave, mode or mTLS target differs between two signatures."""
    moved = {k for k, sig in after.items() if before.get(k) != sig}
    moved.update(k for k in before if k not in after)
    return moved


def affected(
    change: Change,
    inventory: Inventory,
    moved: Iterable[str],
    graph: Mapping[str, set[str]],
) -> Scope:
    """The scope of one edit; ``moved``: workloads whose schedule signature changed."""
    areas = change.areas
    if not areas <= KNOWN_AREAS:
        return Scope(full=True)
    scope = Scope(mutes=MUTES in areas, all_namespaces=ASSUMPTIONS in areas)
    if SCHEDULE not in areas:
        return scope
    workloads = inventory.workloads
    touched = {k for k in moved if k in workloads}
    touched.update(k for k in change.keys if k in workloads)
    for key in list(touched):
        touched.update(n for n in graph.get(key, ()) if n in workloads)
    scope.workloads = {k for k in touched if not workloads[k].vanished}
    for key in touched:
        w = workloads[key]
        scope.namespaces.add(w.namespace_key)
        scope.clusters.add(w.cluster)
    return scope
