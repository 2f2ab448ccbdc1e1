"""Auto-plan: propose waves for the unassigned workloads that honour the schedule rules.

* Workloads with a readiness blocker are left out; call cycles (and, when asked or when
  injection is by namespace label, whole namespaces) move as one unit.
* A workload whose cycle or namespace already sits in a hand-placed wave joins that wave.
* The pilot takes the lowest-risk, lowest fan-in units of the earliest environment.
* The rest go callee-first (so STRICT can follow once the callers are in), non-production
  before production, packed into the fewest waves the capacity allows.
* Waves run ``wave_length_days`` back to back, at most ``max_concurrent_waves`` at once;
  every wave stays PERMISSIVE (see the outputs for the safe STRICT dates).
* Ambient waves get the waypoints their L7 policies need; cross-cluster calls get a
  multi-cluster set-up activity before the first wave that needs it.

The same plan and options always give the same proposal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date

from workbench.domain.commands import AddPhase, AddWave, AssignWorkloads, Command, Macro, RemoveWave
from workbench.domain.defaults import default_phases
from workbench.domain.errors import WorkbenchError
from workbench.domain.plan import Plan
from workbench.domain.planning.autoplan_calendar import Calendar
from workbench.domain.planning.autoplan_units import Unit, build_units, pack, pick_pilot
from workbench.domain.planning.commands import AddActivity, AddWaypoints
from workbench.domain.planning.context import PlanningContext
from workbench.domain.planning.environments import ENVIRONMENTS
from workbench.domain.planning.graph import CallGraph
from workbench.domain.planning.readiness_input import ReadinessInput
from workbench.domain.schedule import DATAPLANE_MODES, Activity, Phase, Wave


class PlanningError(WorkbenchError, ValueError):
    """Auto-plan options or a plan that auto-plan cannot work from."""


@dataclass(frozen=True, slots=True)
class AutoPlanOptions:
    max_workloads: int | None = 50  # per wave; None: no limit
    max_pods: int | None = None  # per wave; None: no limit
    wave_length_days: int = 14
    start: date | None = None  # no wave before this day; needed when the plan has no phases
    keep_namespaces_whole: bool | None = None  # None: when injection is by namespace label
    pilot_size: int = 10  # workloads in the pilot wave; 0: no pilot
    environment_order: tuple[str, ...] = ENVIRONMENTS
    target_mode: str = "sidecar"
    keep_assignments: bool = True  # False: re-plan every workload from scratch

    def check(self) -> None:
        for name in ("max_workloads", "max_pods"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise PlanningError(f"auto-plan option {name} must be at least 1, not {value}")
        if self.wave_length_days < 1:
            raise PlanningError(
                f"auto-plan option wave_length_days must be at least 1, not {self.wave_length_days}"
            )
        if self.pilot_size < 0:
            raise PlanningError(
                f"auto-plan option pilot_size must be 0 or more, not {self.pilot_size}"
            )
        if self.target_mode not in DATAPLANE_MODES:
            raise PlanningError(
                f"auto-plan target mode must be one of {', '.join(DATAPLANE_MODES)}, not "
                f"{self.target_mode!r}"
            )
        unknown = [e for e in self.environment_order if e not in ENVIRONMENTS]
        if unknown:
            raise PlanningError(
                f"unknown environment(s) {', '.join(unknown)} in the environment order "
                f"(known: {', '.join(ENVIRONMENTS)})"
            )


@dataclass(slots=True)
class Proposal:
    phases: list[Phase] = field(default_factory=list)  # added when the plan has none
    activities: list[Activity] = field(default_factory=list)
    removed_waves: list[str] = field(default_factory=list)
    waves: list[Wave] = field(default_factory=list)  # new waves with their members
    joins: dict[str, list[str]] = field(default_factory=dict)  # existing wave -> workloads
    waypoints: dict[str, list[str]] = field(default_factory=dict)  # existing wave -> ns
    left_out: list[str] = field(default_factory=list)  # blocked workloads not planned
    notes: list[str] = field(default_factory=list)

    def assigned_count(self) -> int:
        return sum(len(w.members) for w in self.waves) + sum(map(len, self.joins.values()))

    def command(self) -> Macro:
        """One undoable step that applies the proposal."""
        cmds: list[Command] = [RemoveWave(w) for w in self.removed_waves]
        cmds += [AddPhase(p) for p in self.phases]
        cmds += [AddActivity(a) for a in self.activities]
        for wave in self.waves:
            empty = replace(wave, members=[], waypoints=list(wave.waypoints))
            cmds += [AddWave(empty), AssignWorkloads(list(wave.members), wave.id)]
        cmds += [AssignWorkloads(keys, wid) for wid, keys in sorted(self.joins.items())]
        cmds += [AddWaypoints(wid, ns) for wid, ns in sorted(self.waypoints.items())]
        text = f"Auto-plan: {len(self.waves)} wave(s), {self.assigned_count()} workload(s)"
        return Macro(cmds, text)


def propose(
    plan: Plan,
    options: AutoPlanOptions,
    readiness: ReadinessInput,
    graph: CallGraph | None = None,
    checkpoint: Callable[[], None] = lambda: None,
) -> Proposal:
    """Plan the unassigned workloads; the plan itself is not changed."""
    options.check()
    ctx = PlanningContext(plan, readiness, graph)
    sched = plan.schedule
    out = Proposal()
    kept = list(sched.waves) if options.keep_assignments else []
    if not options.keep_assignments:
        out.removed_waves = [w.id for w in sched.waves]
    assigned = {k: w.id for w in kept for k in w.members}
    phases = list(sched.phases)
    if not phases:
        if options.start is None:
            raise PlanningError("the plan has no phases: give auto-plan a start date")
        phases = out.phases = default_phases(options.start)
    keep_ns = options.keep_namespaces_whole
    if keep_ns is None:
        keep_ns = plan.mesh.injection == "namespace-label"
    todo = [k for k in ctx.graph.nodes if k not in assigned]
    out.left_out = [k for k in todo if ctx.blocked(k)]
    todo = [k for k in todo if not ctx.blocked(k)]
    checkpoint()
    out.joins = _joins(ctx, todo, assigned, [w.id for w in kept], keep_ns)
    joined = {k for keys in out.joins.values() for k in keys}
    units = build_units(
        ctx, [k for k in todo if k not in joined], keep_ns, options.environment_order
    )
    checkpoint()
    cal = Calendar(phases, kept, sched.max_concurrent_waves, options.wave_length_days)
    pilot_phase = cal.pilot_phase()
    pilot: list[Unit] = []
    if pilot_phase is not None:
        cap = (
            options.pilot_size
            if options.max_workloads is None
            else min(options.pilot_size, options.max_workloads)
        )
        pilot = pick_pilot(units, cap, options.max_pods)
        if cap and units and not pilot:
            out.notes.append(
                f"no call cycle or namespace is small and safe enough for a pilot of {cap} "
                "workload(s): no pilot wave planned"
            )
    elif options.pilot_size:
        out.notes.append("no pilot phase in the schedule: no pilot wave planned")
    chosen = {u.key for u in pilot}
    groups = pack(
        [u for u in units if u.key not in chosen], options.max_workloads, options.max_pods
    )
    checkpoint()
    ids = _wave_ids({w.id for w in kept})
    earliest = options.start or date.min
    core = cal.core_phase()
    after = max(earliest, core.start)
    if pilot and pilot_phase is not None:
        wave = _wave(
            next(ids),
            "Pilot 1",
            pilot_phase.id,
            pilot,
            options,
            cal.place(max(earliest, pilot_phase.start)),
        )
        wave.max_workloads = min(options.pilot_size, options.max_workloads or options.pilot_size)
        out.waves.append(wave)
        after = max(after, cal.day_after(wave.end))
    for n, group in enumerate(groups, start=1):
        start, end = cal.place(after)
        after = start
        env = group[0].env
        name = f"{core.name} {n}" + (f" ({env})" if env else "")
        out.waves.append(
            _wave(next(ids), name, cal.phase_for(core, start, end).id, group, options, (start, end))
        )
    _finish(ctx, out, kept, cal, options)
    return out


def _wave(
    wave_id: str,
    name: str,
    phase: str,
    units: list[Unit],
    options: AutoPlanOptions,
    dates: tuple[date, date],
) -> Wave:
    members = [k for u in units for k in u.members]
    return Wave(
        wave_id,
        name,
        phase,
        dates[0],
        dates[1],
        mode=options.target_mode,
        members=members,
        max_workloads=options.max_workloads,
        max_pods=options.max_pods,
    )


def _wave_ids(used: set[str]) -> Iterator[str]:
    n = 1
    while True:
        wave_id = f"wave-{n:02d}"
        if wave_id not in used:
            yield wave_id
        n += 1


def _joins(
    ctx: PlanningContext,
    todo: list[str],
    assigned: dict[str, str],
    order: list[str],
    keep_ns: bool,
) -> dict[str, list[str]]:
    """Workloads whose cycle (or namespace) already sits in a kept wave join that wave."""
    if not assigned:
        return {}
    rank = {wid: i for i, wid in enumerate(order)}
    by_comp: dict[int, str] = {}
    by_ns: dict[str, str] = {}
    for key, wid in sorted(assigned.items(), key=lambda kv: (rank[kv[1]], kv[0])):
        if key in ctx.graph.component_of:
            by_comp.setdefault(ctx.graph.component_of[key], wid)
            by_ns.setdefault(ctx.namespace_of(key), wid)
    joins: dict[str, list[str]] = {}
    for key in todo:
        comp = ctx.graph.component_of[key]
        target = by_comp.get(comp)
        if target is None and keep_ns:
            spaces = {ctx.namespace_of(k) for k in ctx.graph.components[comp]}
            found = [by_ns[ns] for ns in spaces if ns in by_ns]
            target = min(found, key=rank.__getitem__) if found else None
        if target is not None:
            joins.setdefault(target, []).append(key)
    return joins


def _finish(
    ctx: PlanningContext, out: Proposal, kept: list[Wave], cal: Calendar, options: AutoPlanOptions
) -> None:
    """Waypoints for ambient waves, the multi-cluster set-up, notes on the calendar."""
    planned = dict(ctx.waypoint_from)
    for wave in out.waves:
        if wave.mode != "ambient":
            continue
        spaces = sorted({ctx.namespace_of(k) for k in wave.members if ctx.needs_waypoint(k)})
        wave.waypoints = [ns for ns in spaces if planned.get(ns, date.max) > wave.start]
        for ns in wave.waypoints:
            planned[ns] = wave.start
    for wave in kept:
        if wave.mode != "ambient" or wave.id not in out.joins:
            continue
        spaces = sorted({ctx.namespace_of(k) for k in out.joins[wave.id] if ctx.needs_waypoint(k)})
        missing = [ns for ns in spaces if planned.get(ns, date.max) > wave.start]
        if missing:
            out.waypoints[wave.id] = missing
    crossing = [
        w.start
        for w in [*kept, *out.waves]
        if any(ctx.graph.cross_cluster_peers(k) for k in _members(ctx, w, out))
    ]
    if crossing and ctx.multicluster_ready is None:
        out.activities.append(cal.multicluster_activity(min(crossing), ctx.plan.schedule))
    elif (
        crossing and ctx.multicluster_ready is not None and ctx.multicluster_ready >= min(crossing)
    ):
        out.notes.append(
            "the multi-cluster set-up ends after the first wave with "
            "cross-cluster calls starts; move it earlier"
        )
    late = [w.id for w in out.waves if cal.outside_phase(w)]
    if late:
        out.notes.append(
            f"{len(late)} wave(s) run past their phase ({', '.join(late[:3])}"
            f"{'...' if len(late) > 3 else ''}): lengthen the phase, raise the "
            "capacity or the allowed concurrency"
        )
    if out.left_out:
        out.notes.append(f"{len(out.left_out)} workload(s) with a readiness blocker left out")


def _members(ctx: PlanningContext, wave: Wave, out: Proposal) -> list[str]:
    keys = [*wave.members, *out.joins.get(wave.id, [])]
    return [k for k in keys if k in ctx.graph.component_of]
