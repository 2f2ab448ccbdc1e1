"""Re-import: bring a newer inventory into an existing plan without losing the planning.

- The clusters the new import covers are replaced by what it found; other clusters stay.
- Wave assignments survive: workloads keep their keys, so the schedule needs no change.
- New workloads arrive unassigned (they are in no wave).
- Workloads gone from a covered cluster stay in the plan flagged ``vanished`` (so waves
  that hold them still make sense and the user sees what went); one that comes back
  loses the flag. Workloads in a namespace the import could not read (an import gap)
  are not flagged: their absence says nothing.
- Dependencies: edges inferred from the inventory (env, ConfigMap, NetworkPolicy) are
  recomputed from the new one; hand-made edges (manual, CSV) win over inferred ones and
  survive with their confidence; telemetry edges (Kiali, Prometheus) keep their evidence
  and rates, since a re-import of manifests cannot restate them.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from workbench.domain.dependencies import Dependencies, Edge, Evidence, UnresolvedAddress
from workbench.domain.discovery import discover_dependencies
from workbench.domain.inventory import Inventory, Workload
from workbench.domain.plan import Plan

INVENTORY_EVIDENCE = frozenset({"env", "configmap", "networkpolicy"})


@dataclass(slots=True)
class MergeReport:
    added: list[str] = field(default_factory=list)
    vanished: list[str] = field(default_factory=list)
    returned: list[str] = field(default_factory=list)  # vanished before, back now
    updated: int = 0
    kept_edges: int = 0  # hand-made and telemetry edges carried over

    def summary(self) -> str:
        return (
            f"{len(self.added)} new workload(s), {self.updated} updated, "
            f"{len(self.vanished)} vanished, {len(self.returned)} back; "
            f"{self.kept_edges} hand-made or telemetry edge(s) kept"
        )


def _in_gap(w: Workload, inv: Inventory) -> bool:
    return any(g.cluster == w.cluster and g.namespace in (None, w.namespace) for g in inv.gaps)


@dataclass(frozen=True, slots=True)
class Scope:
    """What an import stands for: whole clusters, or only some namespaces of them."""

    clusters: frozenset[str]
    namespaces: frozenset[str] | None = None  # None: every namespace

    def covers(self, cluster: str, namespace: str | None = None) -> bool:
        if cluster not in self.clusters:
            return False
        return self.namespaces is None or namespace is None or namespace in self.namespaces


def _merge_inventory(
    old: Inventory, new: Inventory, scope: Scope, report: MergeReport
) -> Inventory:
    merged = copy.deepcopy(new)
    for name, cluster in old.clusters.items():
        merged.clusters.setdefault(name, copy.deepcopy(cluster))
    for key, ns in old.namespaces.items():
        if not scope.covers(ns.cluster, ns.name):
            merged.namespaces.setdefault(key, copy.deepcopy(ns))
    for key, svc in old.services.items():
        if not scope.covers(svc.cluster, svc.namespace):
            merged.services.setdefault(key, copy.deepcopy(svc))
    for attr in ("network_policies", "ingresses", "mesh_policies", "monitors", "autoscalers"):
        kept = [
            copy.deepcopy(x) for x in getattr(old, attr) if not scope.covers(x.cluster, x.namespace)
        ]
        setattr(merged, attr, getattr(merged, attr) + kept)
    for attr in ("webhooks", "gaps"):
        kept = [copy.deepcopy(x) for x in getattr(old, attr) if x.cluster not in scope.clusters]
        setattr(merged, attr, getattr(merged, attr) + kept)
    for key, w in merged.workloads.items():
        before = old.workloads.get(key)
        if before is None:
            report.added.append(key)
        elif before.vanished:
            report.returned.append(key)
        else:
            report.updated += 1
        w.vanished = False
    for key, w in old.workloads.items():
        if key in merged.workloads:
            continue
        keep = copy.deepcopy(w)
        if scope.covers(w.cluster, w.namespace) and not w.vanished and not _in_gap(w, new):
            keep.vanished = True
            report.vanished.append(key)
        merged.workloads[key] = keep
    merged.workloads = dict(sorted(merged.workloads.items()))
    return merged


def _carried_over(edge: Edge) -> Edge | None:
    """What of an old edge survives a re-import: hand-made ones whole, others' telemetry."""
    if edge.manual:
        return copy.deepcopy(edge)
    evidence = [copy.deepcopy(e) for e in edge.evidence if e.kind not in INVENTORY_EVIDENCE]
    if not evidence:
        return None
    kept = copy.deepcopy(edge)
    kept.evidence = evidence
    return kept


def _scope_of_key(key: str) -> tuple[str, str]:
    parts = key.split("/")
    return parts[0], parts[1] if len(parts) > 1 else ""


def merge_dependencies(
    old: Dependencies, discovered: Dependencies, scope: Scope, report: MergeReport | None = None
) -> Dependencies:
    """``discovered`` (from the new inventory) plus what of ``old`` must survive."""
    out = copy.deepcopy(discovered)
    for key, edge in old.edges.items():
        if not scope.covers(*_scope_of_key(edge.caller)):
            out.edges.setdefault(key, copy.deepcopy(edge))  # a cluster this import left alone
            continue
        kept = _carried_over(edge)
        if kept is None:
            continue
        if report is not None:
            report.kept_edges += 1
        fresh = out.edges.get(key)
        if fresh is None:
            out.edges[key] = kept
            continue
        # hand-made wins; telemetry keeps its rate; new inventory evidence is added
        details = {e.detail for e in kept.evidence}
        kept.evidence.extend(e for e in fresh.evidence if e.detail not in details)
        if not kept.manual:
            kept.confidence = max(kept.confidence, fresh.confidence)
        kept.via_service = kept.via_service or fresh.via_service
        out.edges[key] = kept
    add_unresolved(out, [u for u in old.unresolved if not scope.covers(*_scope_of_key(u.workload))])
    out.edges = dict(sorted(out.edges.items()))
    return out


def merge_import(
    plan: Plan,
    inventory: Inventory,
    discovered: Dependencies | None = None,
    *,
    clusters: Collection[str] | None = None,
    namespaces: Collection[str] | None = None,
) -> tuple[Plan, MergeReport]:
    """A new plan: ``plan`` with ``inventory`` merged in; ``plan`` itself is untouched.

    The import stands for ``clusters`` (default: those in ``inventory``) and, when given,
    only ``namespaces`` of them: what lies outside that scope is kept as it was.
    ``discovered`` defaults to discovery over the merged inventory, so new workloads'
    addresses also resolve to Services kept from before.
    """
    report = MergeReport()
    scope = Scope(
        frozenset(inventory.clusters if clusters is None else clusters),
        None if namespaces is None else frozenset(namespaces),
    )
    rest = {
        f.name: copy.deepcopy(getattr(plan, f.name))
        for f in dataclasses.fields(plan)
        if f.name not in ("inventory", "dependencies")
    }
    merged_inventory = _merge_inventory(plan.inventory, inventory, scope, report)
    if discovered is None:
        discovered = discover_dependencies(merged_inventory)
    merged = Plan(
        inventory=merged_inventory,
        dependencies=merge_dependencies(plan.dependencies, discovered, scope, report),
        **rest,
    )
    merged.schedule.reindex()
    return merged, report


EvidenceMerge = Callable[[list[Evidence], list[Evidence]], None]


def add_new_details(current: list[Evidence], new: list[Evidence]) -> None:
    """Append the items of ``new`` whose detail ``current`` does not have yet."""
    details = {e.detail for e in current}
    current.extend(copy.deepcopy(e) for e in new if e.detail not in details)


def add_edges(
    deps: Dependencies, edges: list[Edge], merge_evidence: EvidenceMerge = add_new_details
) -> tuple[int, int]:
    """Merge observed or hand-written edges into ``deps``: (added, updated).

    Evidence accumulates (``merge_evidence`` says how an edge's new items join its
    current ones); a request rate replaces the older one; confidence rises to the new
    one unless the existing edge is hand-made (a hand-made edge keeps its own).
    """
    added = updated = 0
    for edge in edges:
        current = deps.existing_or_add(edge)
        if current is None:
            added += 1
            continue
        updated += 1
        merge_evidence(current.evidence, edge.evidence)
        if edge.manual:
            current.manual = True
            current.confidence = edge.confidence
        elif not current.manual:
            current.confidence = max(current.confidence, edge.confidence)
        if edge.requests_per_second is not None:
            current.requests_per_second = edge.requests_per_second
        current.via_service = current.via_service or edge.via_service
    return added, updated


def add_unresolved(deps: Dependencies, found: list[UnresolvedAddress]) -> None:
    seen = {(u.workload, u.address, u.source) for u in deps.unresolved}
    for u in found:
        if (u.workload, u.address, u.source) not in seen:
            seen.add((u.workload, u.address, u.source))
            deps.unresolved.append(copy.deepcopy(u))
