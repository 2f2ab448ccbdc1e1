"""Schedule rules about one wave, and those that compare waves with each other."""

from __future__ import annotations

from workbench.domain.findings import Finding
from workbench.domain.planning.catalogue import (
    MAINTENANCE_UNREAD,
    MULTICLUSTER_NOT_READY,
    OUTSIDE_MAINTENANCE,
    PROD_BEFORE_NONPROD,
    WAVE_CAPACITY,
    WAVE_CONCURRENCY,
    WAVE_OUTSIDE_PHASE,
    WAYPOINT_MISSING,
)
from workbench.domain.planning.context import PlanningContext
from workbench.domain.planning.maintenance import DAY_NAMES, day_names, weekday_of, window_days
from workbench.domain.planning.rules_workload import MAX_ITEMS
from workbench.domain.schedule import Wave


def wave_findings(ctx: PlanningContext, wave: Wave) -> list[Finding]:
    return [
        *_capacity(ctx, wave),
        *_phase_dates(ctx, wave),
        *_waypoints(ctx, wave),
        *_multicluster(ctx, wave),
        *_maintenance(ctx, wave),
    ]


def _capacity(ctx: PlanningContext, wave: Wave) -> list[Finding]:
    if wave.max_workloads is None and wave.max_pods is None:
        return []
    over = []
    facts = ctx.wave_facts(wave)
    if wave.max_workloads is not None and facts.workloads > wave.max_workloads:
        over.append(f"{facts.workloads} workloads (capacity {wave.max_workloads})")
    if wave.max_pods is not None and facts.pods > wave.max_pods:
        over.append(f"{facts.pods} pods (capacity {wave.max_pods})")
    if not over:
        return []
    return [WAVE_CAPACITY.hit([wave.id], f"wave {wave.id} holds " + " and ".join(over))]


def _phase_dates(ctx: PlanningContext, wave: Wave) -> list[Finding]:
    phase = ctx.phases.get(wave.phase)
    if phase is None:
        return [
            WAVE_OUTSIDE_PHASE.hit(
                [wave.id], f"wave {wave.id} names no known phase ({wave.phase!r})"
            )
        ]
    if wave.start >= phase.start and wave.end <= phase.end:
        return []
    return [
        WAVE_OUTSIDE_PHASE.hit(
            [wave.id, phase.id],
            f"wave {wave.id} runs {wave.start.isoformat()}..{wave.end.isoformat()}, outside phase "
            f"{phase.name} ({phase.start.isoformat()}..{phase.end.isoformat()})",
        )
    ]


def _waypoints(ctx: PlanningContext, wave: Wave) -> list[Finding]:
    if wave.mode != "ambient":
        return []
    missing: dict[str, str] = {}  # namespace -> first member needing its waypoint
    for key in wave.members:
        if key not in ctx.graph.component_of or not ctx.needs_waypoint(key):
            continue
        ns = ctx.namespace_of(key)
        ready = ctx.waypoint_from.get(ns)
        if (ready is None or ready > wave.start) and ns not in missing:
            missing[ns] = key
    if not missing:
        return []
    spaces = sorted(missing)
    return [
        WAYPOINT_MISSING.hit(
            [missing[spaces[0]], *spaces, wave.id],
            f"ambient wave {wave.id} meshes workloads with L7 policies in {', '.join(spaces)} "
            "but no waypoint is planned there by the wave's start",
        )
    ]


def _multicluster(ctx: PlanningContext, wave: Wave) -> list[Finding]:
    ready = ctx.multicluster_ready
    if ready is not None and ready < wave.start:
        return []
    for key in wave.members:
        if key not in ctx.graph.component_of:
            continue
        peers = ctx.graph.cross_cluster_peers(key)
        if peers:
            when = "is not planned" if ready is None else f"ends only on {ready.isoformat()}"
            return [
                MULTICLUSTER_NOT_READY.hit(
                    [key, *peers[:MAX_ITEMS], wave.id],
                    f"wave {wave.id} meshes {key}, which calls or is called from another cluster "
                    f"({peers[0]}), but the multi-cluster set-up {when}",
                )
            ]
    return []


def _maintenance(ctx: PlanningContext, wave: Wave) -> list[Finding]:
    """The wave's start day (its cut-over) against each member's maintenance window."""
    day = weekday_of(wave.start.toordinal())
    outside: dict[str, list[str]] = {}  # window -> members whose window excludes the day
    unread: dict[str, list[str]] = {}
    for key in wave.members:
        text = ctx.window_of(key) if key in ctx.inventory.workloads else ""
        if not text:
            continue
        days = window_days(text)
        if days is None:
            unread.setdefault(text, []).append(key)
        elif day not in days:
            outside.setdefault(text, []).append(key)
    out = []
    when = f"{DAY_NAMES[day]} {wave.start.isoformat()}"
    for text, keys in sorted(outside.items()):
        out.append(
            OUTSIDE_MAINTENANCE.hit(
                [keys[0], wave.id, *keys[1:MAX_ITEMS]],
                f"wave {wave.id} cuts over on {when}, outside the maintenance window "
                f"{text!r} ({day_names(window_days(text) or ())}) of {len(keys)} member(s)",
            )
        )
    for text, keys in sorted(unread.items()):
        out.append(
            MAINTENANCE_UNREAD.hit(
                [keys[0], wave.id, *keys[1:MAX_ITEMS]],
                f"maintenance window {text!r} of {len(keys)} member(s) of wave {wave.id} is "
                "not understood: the wave's cut-over is not checked against it",
            )
        )
    return out


def cross_wave_findings(ctx: PlanningContext) -> list[Finding]:
    return [*_environment_order(ctx), *_concurrency(ctx)]


def _environment_order(ctx: PlanningContext) -> list[Finding]:
    prod: list[tuple[Wave, str]] = []
    nonprod: list[Wave] = []
    for wave in ctx.waves.values():
        facts = ctx.wave_facts(wave)  # cached per wave: a drag re-reads none
        if facts.first_prod is not None:
            prod.append((wave, facts.first_prod))
        if facts.has_nonprod:
            nonprod.append(wave)
    out = []
    for wave, key in prod:
        later = sorted(v.id for v in nonprod if v.start > wave.start)
        if later:
            out.append(
                PROD_BEFORE_NONPROD.hit(
                    [key, wave.id, *later[:MAX_ITEMS]],
                    f"production wave {wave.id} starts {wave.start.isoformat()}, before "
                    f"non-production wave(s) {', '.join(later[:3])}",
                )
            )
    return out


def _concurrency(ctx: PlanningContext) -> list[Finding]:
    limit = ctx.plan.schedule.max_concurrent_waves
    active: list[Wave] = []
    out = []
    for wave in sorted(ctx.waves.values(), key=lambda w: (w.start, w.id)):
        active = [a for a in active if a.end >= wave.start]
        if len(active) >= limit:
            others = sorted(a.id for a in active)
            out.append(
                WAVE_CONCURRENCY.hit(
                    [wave.id, *others],
                    f"wave {wave.id} starts {wave.start.isoformat()} while {len(others)} other "
                    f"wave(s) run ({', '.join(others[:3])}); the schedule allows {limit} at once",
                )
            )
        active.append(wave)
    return out
