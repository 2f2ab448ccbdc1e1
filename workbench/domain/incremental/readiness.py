"""Readiness findings kept per subject and re-evaluated edit by edit.

:class:`IncrementalReadiness` runs the registered rules
(:data:`workbench.domain.readiness.report.WORKLOAD_RULES` and friends) once per
workload, service, namespace and cluster and keeps each subject's raw findings in a
slot. After an edit it re-runs only the slots :func:`.scope.affected` names and merges
all slots into a :class:`ReadinessReport` that equals what
:func:`workbench.domain.readiness.evaluate` returns for the edited plan (same findings,
same order, same mutes and risk scores); a test holds the two to that.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from workbench.domain.commands import Change
from workbench.domain.findings import Finding
from workbench.domain.incremental.merged import MergedFindings
from workbench.domain.incremental.scope import (
    Scope,
    affected,
    changed_signatures,
    neighbours,
    schedule_signature,
)
from workbench.domain.inventory import Workload
from workbench.domain.plan import Plan
from workbench.domain.readiness.context import ReadinessContext
from workbench.domain.readiness.report import (
    CLUSTER_RULES,
    NAMESPACE_RULES,
    SERVICE_RULES,
    WORKLOAD_RULES,
    ReadinessReport,
)
from workbench.domain.readiness.rule import Rule

T = TypeVar("T")


class IncrementalReadiness:
    """The readiness report of one plan, kept current as the plan is edited in place.

    ``evaluated`` counts the subjects (workloads, services, namespaces, clusters) the
    last :meth:`rebuild` or :meth:`update` ran rules for; ``replaced`` holds the raw
    findings (before, after) of each subject the last :meth:`update` re-ran (``None``
    after a :meth:`rebuild`), so a caller can tell what changed without comparing
    every finding of the estate.
    """

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.evaluated = 0
        self.scope = Scope(full=True)  # what the last update re-evaluated
        self.report = ReadinessReport()
        self.rebuild()

    # -- full ---------------------------------------------------------------------------
    def rebuild(self) -> ReadinessReport:
        """Evaluate every subject from scratch (after inventory or dependency edits)."""
        self.replaced: list[tuple[list[Finding], list[Finding]]] | None = None
        self._touched: list[tuple[int, str, list[Finding], list[Finding]]] = []
        plan = self.plan
        inv = plan.inventory
        self.ctx = ReadinessContext(plan)
        self._graph = neighbours(plan.dependencies)
        self._by_mode: dict[str, tuple[Rule[Workload], ...]] = {
            mode: tuple(r for r in WORKLOAD_RULES if mode in r.modes)
            for mode in ("sidecar", "ambient")
        }
        # slots in the order a full evaluation visits them, so merged findings tie-break alike
        self._workloads: dict[str, list[Finding]] = {}
        self._services: dict[str, list[Finding]] = {}
        self._namespaces: dict[str, list[Finding]] = {}
        self._clusters: dict[str, list[Finding]] = {}
        self._merged = MergedFindings()
        self.evaluated = 0
        self._run_workloads(k for k, w in inv.workloads.items() if not w.vanished)
        self._run_others(inv.services, inv.namespaces, inv.clusters)
        self._signature = schedule_signature(plan)
        return self._merge()

    # -- incremental --------------------------------------------------------------------
    def scope_of(self, change: Change) -> Scope:
        """What ``change`` (already applied to the plan) can affect."""
        after = schedule_signature(self.plan) if "schedule" in change.areas else self._signature
        moved = changed_signatures(self._signature, after)
        self._signature = after
        return affected(change, self.plan.inventory, moved, self._graph)

    def update(self, change: Change) -> ReadinessReport:
        """Bring the report up to date after one edit already applied to the plan."""
        scope = self.scope = self.scope_of(change)
        if scope.full:
            return self.rebuild()
        self.evaluated = 0
        self.replaced = []
        self._touched = []
        if scope.empty and not scope.mutes:
            return self.report
        inv = self.plan.inventory
        if "schedule" in change.areas:
            self.ctx.refresh_schedule()
        self._run_workloads(scope.workloads)
        if scope.all_namespaces:
            namespaces: Iterable[str] = inv.namespaces
            clusters: Iterable[str] = inv.clusters
            services: Iterable[str] = ()
        else:
            namespaces, clusters = scope.namespaces, scope.clusters
            services = [
                svc.key for ns in scope.namespaces for svc in self.ctx.services_by_namespace[ns]
            ]
        self._run_others(services, namespaces, clusters)
        return self._merge()

    # -- slots --------------------------------------------------------------------------
    def _run_workloads(self, keys: Iterable[str]) -> None:
        ctx, workloads = self.ctx, self.plan.inventory.workloads
        for key in keys:
            w = workloads[key]
            found: list[Finding] = []
            for rule in self._by_mode.get(ctx.mode_of(w), WORKLOAD_RULES):
                found += rule.check(ctx, w)
            if self.replaced is not None:
                self._record(0, key, self._workloads.get(key, []), found)
            self._workloads[key] = found
            self.evaluated += 1

    def _run_others(
        self, services: Iterable[str], namespaces: Iterable[str], clusters: Iterable[str]
    ) -> None:
        inv = self.plan.inventory
        self._run(1, self._services, SERVICE_RULES, services, inv.services)
        self._run(2, self._namespaces, NAMESPACE_RULES, namespaces, inv.namespaces)
        self._run(3, self._clusters, CLUSTER_RULES, clusters, inv.clusters)

    def _record(self, group: int, key: str, before: list[Finding], after: list[Finding]) -> None:
        assert self.replaced is not None
        self.replaced.append((before, after))
        self._touched.append((group, key, before, after))

    def _run(
        self,
        group: int,
        slots: dict[str, list[Finding]],
        rules: tuple[Rule[T], ...],
        keys: Iterable[str],
        subjects: dict[str, T],
    ) -> None:
        for key in keys:
            subject = subjects.get(key)
            found: list[Finding] = []
            if subject is not None:
                for rule in rules:
                    found += rule.check(self.ctx, subject)
            if self.replaced is not None:
                self._record(group, key, slots.get(key, []), found)
            slots[key] = found
            self.evaluated += 1

    def _merge(self) -> ReadinessReport:
        """All slots into one report: sorted, mutes applied, risk per live workload; after
        an update, by moving only the findings of the subjects it re-ran."""
        report = None
        if self.replaced is not None and not self.scope.mutes:
            report = self._merged.replace(self._touched, self.plan.mutes, self._workloads)
        if report is None:
            groups = (self._workloads, self._services, self._namespaces, self._clusters)
            report = self._merged.rebuild(groups, self.plan.mutes)
        self.report = report
        return report
