"""Auto-plan's options and its proposal: what the user asks for, and what would change."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from workbench.domain.commands import (
    AddPhase,
    AddWave,
    AssignWorkloads,
    Command,
    Macro,
    RemoveWave,
    ReschedulePhase,
)
from workbench.domain.errors import WorkbenchError
from workbench.domain.planning.commands import AddActivity, AddWaypoints, SetConcurrency
from workbench.domain.planning.environments import ENVIRONMENTS
from workbench.domain.schedule import DATAPLANE_MODES, Activity, Phase, Wave


class PlanningError(WorkbenchError, ValueError):
    """Auto-plan options or a plan that auto-plan cannot work from."""


@dataclass(frozen=True, slots=True)
class AutoPlanOptions:
    max_workloads: int | None = 50  # per wave; None: no limit
    max_pods: int | None = None  # per wave; None: no limit
    wave_length_days: int = 14
    start: date | None = None  # no wave before this day; needed when the plan has no phases
    # None: namespaces that fit in a wave stay whole under namespace-label injection;
    # True: every namespace stays whole, even over capacity; False: namespaces may split.
    keep_namespaces_whole: bool | None = None
    pilot_size: int = 10  # workloads in the pilot wave; 0: no pilot
    environment_order: tuple[str, ...] = ENVIRONMENTS
    target_mode: str = "sidecar"
    keep_assignments: bool = True  # False: re-plan every workload from scratch
    parallel: int | None = None  # waves in flight at once; None: the schedule's setting
    freezes: tuple[tuple[date, date], ...] = ()  # no wave touches these (inclusive)
    # owner team -> waves holding its workloads that may run at once (business metadata)
    team_parallel: tuple[tuple[str, int], ...] = ()

    def check(self) -> None:
        for name in ("max_workloads", "max_pods", "parallel"):
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
        for team, n in self.team_parallel:
            if n < 1:
                raise PlanningError(f"team {team!r} must run at least 1 wave at once, not {n}")
        for start, end in self.freezes:
            if end < start:
                raise PlanningError(
                    f"freeze window {start.isoformat()}:{end.isoformat()} ends before it starts"
                )


@dataclass(slots=True)
class Proposal:
    phases: list[Phase] = field(default_factory=list)  # added when the plan has none
    activities: list[Activity] = field(default_factory=list)
    removed_waves: list[str] = field(default_factory=list)
    waves: list[Wave] = field(default_factory=list)  # new waves with their members
    joins: dict[str, list[str]] = field(default_factory=dict)  # existing wave -> workloads
    waypoints: dict[str, list[str]] = field(default_factory=dict)  # existing wave -> ns
    left_out: list[str] = field(default_factory=list)  # the remediation backlog
    out_of_scope: list[str] = field(default_factory=list)  # system namespaces
    pod_injection: list[str] = field(default_factory=list)  # namespaces split over waves
    phase_dates: dict[str, tuple[date, date]] = field(default_factory=dict)  # stretched
    parallel: int | None = None  # new concurrency limit, when it changes
    notes: list[str] = field(default_factory=list)

    def assigned_count(self) -> int:
        return sum(len(w.members) for w in self.waves) + sum(map(len, self.joins.values()))

    def command(self) -> Macro:
        """One undoable step that applies the proposal."""
        cmds: list[Command] = [RemoveWave(w) for w in self.removed_waves]
        if self.parallel is not None:
            cmds.append(SetConcurrency(self.parallel))
        cmds += [AddPhase(p) for p in self.phases]
        cmds += [ReschedulePhase(pid, *dates) for pid, dates in sorted(self.phase_dates.items())]
        cmds += [AddActivity(a) for a in self.activities]
        for wave in self.waves:
            empty = replace(wave, members=[], waypoints=list(wave.waypoints))
            cmds += [AddWave(empty), AssignWorkloads(list(wave.members), wave.id)]
        cmds += [AssignWorkloads(keys, wid) for wid, keys in sorted(self.joins.items())]
        cmds += [AddWaypoints(wid, ns) for wid, ns in sorted(self.waypoints.items())]
        text = f"Auto-plan: {len(self.waves)} wave(s), {self.assigned_count()} workload(s)"
        return Macro(cmds, text)
