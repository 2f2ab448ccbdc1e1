"""Auto-plan: propose waves for the unassigned workloads that honour the schedule rules.

* Out of scope: system namespaces (kube-system, the mesh's own namespace ...).
* Workloads with a readiness blocker, and batch pods that would never complete under a
  sidecar, go to the remediation backlog instead of a wave.
* Capacity always holds: no wave, new or existing, gets more than ``max_workloads``
  workloads or ``max_pods`` pods. Call cycles move as one unit and, under
  namespace-label injection, so do namespaces that fit in a wave; a larger namespace is
  split and enrolled with pod-level injection (the namespace is labelled with its last
  wave), unless namespaces are kept whole on request, which the capacity rule reports.
* The pilot takes the lowest-risk, non-critical, non-infrastructure workloads with few
  callers (see :mod:`.autoplan_pilot`).
* The rest go callee-first (so STRICT can follow once the callers are in), non-production
  before production, critical workloads last, a team's workloads together, packed into
  the fewest waves the capacity allows.
* Waves run ``wave_length_days``, at most ``parallel`` at once, never in a freeze
  window; the core phase (and those after it) stretch to hold the waves, so a large
  estate gets an honest multi-month schedule. Every wave stays PERMISSIVE (see the
  outputs for the safe STRICT dates).
* Ambient waves get the waypoints their L7 policies need; cross-cluster calls get a
  multi-cluster set-up activity before the first wave that needs it.

The same plan and options always give the same proposal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

from workbench.domain.defaults import default_phases
from workbench.domain.plan import Plan
from workbench.domain.planning.autoplan_calendar import Calendar
from workbench.domain.planning.autoplan_options import AutoPlanOptions, PlanningError, Proposal
from workbench.domain.planning.autoplan_pilot import is_critical, pick_pilot
from workbench.domain.planning.autoplan_units import Unit, build_units, fit_capacity, pack
from workbench.domain.planning.autoplan_windows import (
    WindowPlanner,
    joins_outside_windows,
    pilot_in_one_window,
    unit_days,
)
from workbench.domain.planning.context import PlanningContext
from workbench.domain.planning.graph import CallGraph
from workbench.domain.planning.readiness_input import ReadinessInput
from workbench.domain.schedule import Phase, Wave

__all__ = ["AutoPlanOptions", "PlanningError", "Proposal", "propose"]


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
    if options.parallel is not None and options.parallel != sched.max_concurrent_waves:
        out.parallel = options.parallel
    todo = [k for k in ctx.graph.nodes if k not in assigned]
    out.out_of_scope = [k for k in todo if not ctx.in_scope(k)]
    todo = [k for k in todo if ctx.in_scope(k)]
    out.left_out = [k for k in todo if ctx.blocked(k)]
    todo = [k for k in todo if not ctx.blocked(k)]
    checkpoint()
    namespace_label = plan.mesh.injection == "namespace-label"
    keep_ns = options.keep_namespaces_whole
    if keep_ns is None:
        keep_ns = namespace_label
    out.joins = _joins(ctx, todo, assigned, kept, keep_ns, options)
    out.notes += joins_outside_windows(ctx, kept, out.joins)
    joined = {k for keys in out.joins.values() for k in keys}
    todo = [k for k in todo if k not in joined]
    cal = Calendar(
        phases,
        kept,
        options.parallel or sched.max_concurrent_waves,
        options.wave_length_days,
        options.freezes,
    )
    pilot_phase = cal.pilot_phase()
    pilot: list[str] = []
    cap = (
        options.pilot_size
        if options.max_workloads is None
        else min(options.pilot_size, options.max_workloads)
    )
    if pilot_phase is not None:
        pilot = pick_pilot(ctx, todo, cap, options.max_pods, options.environment_order)
        pilot = pilot_in_one_window(ctx, pilot)
        if cap and todo and not pilot:
            out.notes.append(
                "no workload is safe enough for a pilot (low risk, not critical, not "
                "infrastructure, few callers, no blocker): no pilot wave planned"
            )
        elif 0 < len(pilot) < cap:
            out.notes.append(f"only {len(pilot)} workload(s) are safe enough for the pilot")
    elif options.pilot_size:
        out.notes.append("no pilot phase in the schedule: no pilot wave planned")
    chosen = set(pilot)
    rest = [k for k in todo if k not in chosen]
    whole = _whole_namespaces(ctx, rest, keep_ns, options, out)
    units = build_units(ctx, rest, whole, options.environment_order)
    if options.keep_namespaces_whole is not True:
        units, cut = fit_capacity(ctx, units, options.max_workloads, options.max_pods)
        if cut:
            out.notes.append(
                f"{len(cut)} call cycle(s) larger than a wave were split to keep the "
                f"capacity ({', '.join(u.key for u in cut[:3])}{'...' if len(cut) > 3 else ''})"
            )
    _order_by_business(ctx, units)
    if namespace_label:
        _note_split_namespaces(ctx, out, pilot, units, set(assigned))
    groups = pack(units, options.max_workloads, options.max_pods)
    checkpoint()
    _place(ctx, out, cal, kept, pilot, pilot_phase, groups, options)
    _finish(ctx, out, kept, cal, options)
    return out


def _whole_namespaces(
    ctx: PlanningContext, keys: list[str], keep_ns: bool, options: AutoPlanOptions, out: Proposal
) -> set[str]:
    """Namespaces planned as one unit: every one on request, else those that fit a wave
    and whose maintenance windows share a weekday."""
    if not keep_ns:
        return set()
    size: dict[str, list[int]] = {}
    for key in keys:
        entry = size.setdefault(ctx.namespace_of(key), [0, 0])
        entry[0] += 1
        entry[1] += ctx.inventory.workloads[key].pods
    if options.keep_namespaces_whole is True:
        over = sorted(
            ns
            for ns, (n, pods) in size.items()
            if (options.max_workloads is not None and n > options.max_workloads)
            or (options.max_pods is not None and pods > options.max_pods)
        )
        if over:
            out.notes.append(
                f"{len(over)} namespace(s) kept whole although larger than a wave "
                f"({', '.join(over[:3])}{'...' if len(over) > 3 else ''}): their waves "
                "exceed the capacity"
            )
        return set(size)
    windows: dict[str, list[str]] = {}
    for key in keys:
        windows.setdefault(ctx.namespace_of(key), []).append(key)
    return {
        ns
        for ns, (n, pods) in size.items()
        if (options.max_workloads is None or n <= options.max_workloads)
        and (options.max_pods is None or pods <= options.max_pods)
        and unit_days(ctx, windows[ns])  # no shared cut-over day: enrol pod by pod
    }


def _order_by_business(ctx: PlanningContext, units: list[Unit]) -> None:
    """Critical workloads after the others of their stage; a team's units side by side,
    those with the same maintenance window next to each other."""
    for unit in units:
        unit.critical = any(is_critical(ctx, k) for k in unit.members)
        unit.team = min((t for k in unit.members if (t := ctx.team_of(k))), default="")
        unit.days = unit_days(ctx, unit.members)
    units.sort(
        key=lambda u: (
            u.stage,
            u.critical,
            u.height,
            u.team,
            sorted(u.days),
            u.namespace,
            u.key,
        )
    )


def _note_split_namespaces(
    ctx: PlanningContext, out: Proposal, pilot: list[str], units: list[Unit], held: set[str]
) -> None:
    """Namespaces whose workloads end up in more than one wave enrol pod by pod."""
    spread: dict[str, set[str]] = {}
    for key in pilot:
        spread.setdefault(ctx.namespace_of(key), set()).add("pilot")
    for unit in units:
        for key in unit.members:
            spread.setdefault(ctx.namespace_of(key), set()).add(unit.key)
    for key in held:
        if key in ctx.graph.component_of:
            spread.setdefault(ctx.namespace_of(key), set()).add("kept")
    out.pod_injection = sorted(ns for ns, parts in spread.items() if len(parts) > 1)
    if out.pod_injection:
        shown = ", ".join(out.pod_injection[:3])
        more = "..." if len(out.pod_injection) > 3 else ""
        out.notes.append(
            f"{len(out.pod_injection)} namespace(s) span more than one wave ({shown}{more}): "
            "their workloads are enrolled with pod-level injection (sidecar.istio.io/inject "
            "on the pod template) and the namespace is labelled with its last wave"
        )


def _place(
    ctx: PlanningContext,
    out: Proposal,
    cal: Calendar,
    kept: list[Wave],
    pilot: list[str],
    pilot_phase: Phase | None,
    groups: list[list[Unit]],
    options: AutoPlanOptions,
) -> None:
    """Dates, phases and ids for the pilot and the packed groups."""
    ids = _wave_ids({w.id for w in kept})
    earliest = options.start or date.min
    core = cal.core_phase()
    after = max(earliest, core.start)
    planned: list[tuple[str, list[str], tuple[date, date], str | None]] = []
    windows = WindowPlanner(ctx)
    if pilot and pilot_phase is not None:
        dates = cal.place(max(earliest, pilot_phase.start), days=windows.days("Pilot 1", pilot))
        planned.append(("Pilot 1", pilot, dates, pilot_phase.id))
        after = max(after, cal.day_after(dates[1]))
    team_limits = dict(options.team_parallel)
    for n, group in enumerate(groups, start=1):
        teams = {t for u in group for k in u.members if (t := ctx.team_of(k)) in team_limits}
        env = group[0].env
        name = f"{core.name} {n}" + (f" ({env})" if env else "")
        members = [k for u in group for k in u.members]
        days = windows.days(name, members)
        dates = cal.place(after, {t: team_limits[t] for t in sorted(teams)}, days)
        after = dates[0]
        planned.append((name, members, dates, None))
    out.notes += windows.notes()
    if groups:
        out.phase_dates = cal.stretch(core, max(d[1] for _, _, d, pid in planned if pid is None))
        if out.phases:  # phases the proposal adds take their stretched dates directly
            for phase in out.phases:
                if phase.id in out.phase_dates:
                    phase.start, phase.end = out.phase_dates.pop(phase.id)
        core = next(p for p in cal.phases if p.id == core.id)
    for name, members, (start, end), phase_id in planned:
        wave = Wave(
            next(ids),
            name,
            phase_id or cal.phase_for(core, start, end).id,
            start,
            end,
            mode=options.target_mode,
            members=members,
            max_workloads=options.max_workloads,
            max_pods=options.max_pods,
        )
        if phase_id is not None:
            wave.max_workloads = min(
                options.pilot_size, options.max_workloads or options.pilot_size
            )
        out.waves.append(wave)


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
    kept: list[Wave],
    keep_ns: bool,
    options: AutoPlanOptions,
) -> dict[str, list[str]]:
    """Workloads whose cycle (or namespace) already sits in a kept wave join that wave,
    as long as the wave's capacity (its own, else the options') holds."""
    if not assigned:
        return {}
    rank = {w.id: i for i, w in enumerate(kept)}
    room: dict[str, list[int | None]] = {}
    for wave in kept:
        facts = ctx.wave_facts(wave)
        cap_w = wave.max_workloads if wave.max_workloads is not None else options.max_workloads
        cap_p = wave.max_pods if wave.max_pods is not None else options.max_pods
        room[wave.id] = [
            None if cap_w is None else cap_w - facts.workloads,
            None if cap_p is None else cap_p - facts.pods,
        ]
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
        if target is None:
            continue
        left = room[target]
        pods = ctx.inventory.workloads[key].pods
        if (left[0] is not None and left[0] < 1) or (left[1] is not None and left[1] < pods):
            continue
        left[0] = None if left[0] is None else left[0] - 1
        left[1] = None if left[1] is None else left[1] - pods
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
        out.notes.append(
            f"{len(out.left_out)} workload(s) go to the remediation backlog (a readiness "
            "blocker, or a batch pod that would never complete under a sidecar)"
        )
    if out.out_of_scope:
        out.notes.append(
            f"{len(out.out_of_scope)} workload(s) in system namespaces are out of scope"
        )


def _members(ctx: PlanningContext, wave: Wave, out: Proposal) -> list[str]:
    keys = [*wave.members, *out.joins.get(wave.id, [])]
    return [k for k in keys if k in ctx.graph.component_of]
