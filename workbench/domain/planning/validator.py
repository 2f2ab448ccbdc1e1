"""Full and incremental validation of a plan's schedule.

Findings are kept in slots: one per workload (blocker scheduled, unassigned, STRICT or
AuthorizationPolicy before callers, pilot), one per call cycle, one per namespace
(split under namespace-label injection), one per wave (capacity, phase dates, waypoints,
multi-cluster), and one for the rules that compare waves (environment order,
concurrency). After an edit, :meth:`ScheduleValidator.update` re-runs only the slots the
edit can affect:

* a workload moved: its own slot and its callees' (whose STRICT depends on when their
  callers are meshed), its cycle, its namespace, the wave it left and the one it joined;
* a wave changed (dates, targets, membership, removal): the same for every member it
  has or had, plus the wave itself, and every ambient wave when waypoints are involved;
* a phase changed: every wave in it.

The cross-wave slot always re-runs; it reads each wave's membership facts (environments,
pods) from the context's per-wave cache, which an update clears for exactly the waves
above, so a drag costs a pass over the waves, not over their members. Dependency or
inventory edits, and any key the validator cannot place, trigger a full validation.
Readiness (blockers and risk) is evaluated on full validations and reused in between.
A re-run that finds what it found before keeps the previous Finding objects, so a
consumer can tell what changed by identity.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from workbench.domain.commands import Change
from workbench.domain.findings import Finding, sort_findings, split_muted
from workbench.domain.plan import Plan
from workbench.domain.planning.context import PlanningContext
from workbench.domain.planning.graph import CallGraph
from workbench.domain.planning.readiness_input import ReadinessInput, readiness_input
from workbench.domain.planning.rules_wave import cross_wave_findings, wave_findings
from workbench.domain.planning.rules_workload import (
    component_findings,
    namespace_findings,
    workload_findings,
)

K = TypeVar("K")
LOCAL_AREAS = frozenset({"schedule"})
IGNORED_AREAS = frozenset({"assumptions"})


class ScheduleValidator:
    """Keeps a plan's schedule findings current as the plan is edited."""

    def __init__(self, plan: Plan, readiness: ReadinessInput | None = None) -> None:
        self.plan = plan
        self._fixed_readiness = readiness
        self._cross: list[Finding] = []
        self.ctx: PlanningContext = self._context()
        self.validate(rebuild=False)

    def _context(self) -> PlanningContext:
        readiness = self._fixed_readiness or readiness_input(self.plan)
        return PlanningContext(self.plan, readiness, CallGraph(self.plan))

    # -- full -----------------------------------------------------------------------------
    def validate(self, rebuild: bool = True) -> list[Finding]:
        """Re-run every rule; ``rebuild`` also re-reads the graph and readiness."""
        if rebuild:
            self.ctx = self._context()
        ctx = self.ctx
        ctx.forget_waves(list(ctx.waves))
        self._workloads: dict[str, list[Finding]] = {}
        self._components: dict[int, list[Finding]] = {}
        self._namespaces: dict[str, list[Finding]] = {}
        self._waves: dict[str, list[Finding]] = {}
        self._run(
            ctx.graph.nodes,
            (i for i, c in enumerate(ctx.graph.components) if len(c) > 1),
            ctx.namespace_members,
            ctx.waves,
        )
        self._snapshot_all()
        return self.findings()

    def _snapshot_all(self) -> None:
        self._wave_of = self.plan.schedule.assigned()
        self._members: dict[str, set[str]] = {
            w.id: set(w.members) for w in self.plan.schedule.waves
        }
        self._phase_of = {w.id: w.phase for w in self.plan.schedule.waves}
        self._waypoint_waves = {w.id for w in self.plan.schedule.waves if w.waypoints}

    def _run(
        self,
        workloads: Iterable[str],
        components: Iterable[int],
        namespaces: Iterable[str],
        waves: Iterable[str],
    ) -> None:
        ctx = self.ctx
        for key in workloads:
            _store(self._workloads, key, workload_findings(ctx, key))
        for index in components:
            _store(self._components, index, component_findings(ctx, index))
        for ns in namespaces:
            _store(self._namespaces, ns, namespace_findings(ctx, ns))
        for wave_id in waves:
            wave = ctx.waves.get(wave_id)
            _store(self._waves, wave_id, [] if wave is None else wave_findings(ctx, wave))
        kept = {f: f for f in self._cross}
        self._cross = [kept.get(f, f) for f in cross_wave_findings(ctx)]

    # -- incremental ----------------------------------------------------------------------
    def update(self, change: Change) -> list[Finding]:
        """Bring the findings up to date after one edit (a command's returned Change)."""
        areas = change.areas - IGNORED_AREAS
        if not areas:
            return self.findings()
        if not areas <= LOCAL_AREAS or not change.keys:
            return self.validate()
        ctx = self.ctx
        ctx.refresh()
        workloads: set[str] = set()
        waves: set[str] = set()
        for key in change.keys:
            if key in ctx.graph.component_of:
                workloads.add(key)
            elif key in ctx.waves or key in self._members:
                waves.add(key)
            elif key in ctx.phases:
                waves |= {w for w, p in self._phase_of.items() if p == key}
                waves |= {w.id for w in ctx.waves.values() if w.phase == key}
            elif key in ctx.namespace_members:
                workloads.update(ctx.namespace_members[key])
            elif key not in ctx.inventory.workloads:  # vanished workloads need nothing
                return self.validate()
        for wave_id in list(waves):
            workloads |= self._members.get(wave_id, set())
            wave = ctx.waves.get(wave_id)
            if wave is not None:
                workloads.update(wave.members)
                if wave.waypoints or wave_id in self._waypoint_waves:
                    waves |= {w.id for w in ctx.waves.values() if w.mode == "ambient"}
        dirty: set[str] = set()
        components: set[int] = set()
        namespaces: set[str] = set()
        graph = ctx.graph
        for key in workloads:
            if key not in graph.component_of:
                continue
            dirty.add(key)
            dirty.update(graph.callees[key])
            components.add(graph.component_of[key])
            namespaces.add(ctx.namespace_of(key))
            for moved in (self._wave_of.get(key), self.plan.schedule.wave_of(key)):
                if moved is not None:
                    waves.add(moved)
        components = {i for i in components if len(graph.components[i]) > 1}
        ctx.forget_waves(waves)
        self._run(dirty, components, namespaces, waves)
        self._snapshot(workloads, waves)
        return self.findings()

    def _snapshot(self, workloads: set[str], waves: set[str]) -> None:
        sched = self.plan.schedule
        for key in workloads:
            wave_id = sched.wave_of(key)
            if wave_id is None:
                self._wave_of.pop(key, None)
            else:
                self._wave_of[key] = wave_id
        for wave_id in waves:
            wave = self.ctx.waves.get(wave_id)
            if wave is None:
                self._members.pop(wave_id, None)
                self._phase_of.pop(wave_id, None)
                self._waypoint_waves.discard(wave_id)
            else:
                self._members[wave_id] = set(wave.members)
                self._phase_of[wave_id] = wave.phase
                if wave.waypoints:
                    self._waypoint_waves.add(wave_id)
                else:
                    self._waypoint_waves.discard(wave_id)

    def set_readiness(self, readiness: ReadinessInput, changed: Iterable[str]) -> list[Finding]:
        """Take new readiness (blockers, risk) and re-check the workloads whose changed."""
        self._fixed_readiness = readiness
        self.ctx.readiness = readiness
        keys = frozenset(k for k in changed if k in self.ctx.graph.component_of)
        if not keys:
            return self.findings()
        return self.update(Change(LOCAL_AREAS, keys))

    # -- results --------------------------------------------------------------------------
    def all_findings(self) -> list[Finding]:
        """Every finding, muted ones included, in no particular order."""
        out: list[Finding] = []
        for slots in (self._workloads, self._components, self._namespaces, self._waves):
            for found in slots.values():
                out += found
        return out + self._cross

    def findings(self) -> list[Finding]:
        """Active findings (the plan's mutes applied), unsorted."""
        return split_muted(self.all_findings(), self.plan.mutes)[0]

    def sorted_findings(self) -> list[Finding]:
        return sort_findings(self.findings())


def _store(slots: dict[K, list[Finding]], key: K, found: list[Finding]) -> None:
    """Keep the slot's findings; an unchanged result keeps the very objects it had, so
    views that compare findings by identity see no change."""
    if not found:
        slots.pop(key, None)
    elif slots.get(key) != found:
        slots[key] = found


def schedule_findings(plan: Plan, readiness: ReadinessInput | None = None) -> list[Finding]:
    """Every active schedule finding of the plan, most severe first."""
    return ScheduleValidator(plan, readiness).sorted_findings()
