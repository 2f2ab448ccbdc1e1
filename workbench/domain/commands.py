"""The basic plan edits: assignments, waves, assumptions and dependency edges.

Every edit is a command with do/undo (see :mod:`workbench.domain.command_base`, whose
names are also importable from here, as are the phase edits of
:mod:`workbench.domain.commands_phases`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date

from workbench.domain.assumption_paths import Scalar, set_value
from workbench.domain.command_base import Change, Command, Macro, area_change, check_dates
from workbench.domain.commands_phases import AddPhase, RemovePhase, RenamePhase, ReschedulePhase
from workbench.domain.dependencies import Edge
from workbench.domain.plan import Plan
from workbench.domain.schedule import DATAPLANE_MODES, MTLS_MODES, ScheduleError, Wave

__all__ = [
    "AddDependency",
    "AddPhase",
    "AddWave",
    "AssignWorkloads",
    "Change",
    "Command",
    "Macro",
    "RemoveDependency",
    "RemovePhase",
    "RemoveWave",
    "RenamePhase",
    "RenameWave",
    "ReschedulePhase",
    "RescheduleWave",
    "SetAssumption",
    "SetWaveTargets",
    "UnassignWorkloads",
]


# -- assignments -------------------------------------------------------------------


@dataclass
class AssignWorkloads(Command):
    keys: list[str]
    wave_id: str
    _previous: list[tuple[str, tuple[str, int] | None]] = field(default_factory=list, repr=False)

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"Assign {len(self.keys)} workload(s) to {self.wave_id}"

    def do(self, plan: Plan) -> Change:
        sched = plan.schedule
        sched.wave(self.wave_id)
        for key in self.keys:
            if key not in plan.inventory.workloads:
                raise ScheduleError(f"no workload {key}")
        self._previous = sched.assign_all(self.keys, self.wave_id)
        return area_change("schedule", self.keys)

    def undo(self, plan: Plan) -> Change:
        sched = plan.schedule
        sched.unassign_all([key for key, _ in self._previous])
        # Back in the reverse order of the moves: each position was taken with the
        # workloads moved before it already out of their waves.
        for key, prev in reversed(self._previous):
            if prev is not None:
                sched.assign(key, prev[0], prev[1])
        return area_change("schedule", self.keys)


@dataclass
class UnassignWorkloads(Command):
    keys: list[str]
    _previous: list[tuple[str, tuple[str, int] | None]] = field(default_factory=list, repr=False)
    label = "Unassign workloads"

    def do(self, plan: Plan) -> Change:
        self._previous = [(k, plan.schedule.unassign(k)) for k in self.keys]
        return area_change("schedule", self.keys)

    def undo(self, plan: Plan) -> Change:
        for key, prev in reversed(self._previous):
            if prev is not None:
                plan.schedule.assign(key, prev[0], prev[1])
        return area_change("schedule", self.keys)


# -- waves ---------------------------------------------------------------------------


@dataclass
class AddWave(Command):
    wave: Wave
    position: int | None = None
    label = "Add wave"

    def do(self, plan: Plan) -> Change:
        plan.schedule.phase(self.wave.phase)
        check_dates(self.wave.start, self.wave.end)
        if self.wave.mode not in DATAPLANE_MODES or self.wave.mtls not in MTLS_MODES:
            raise ScheduleError(
                f"wave {self.wave.id}: unknown mode {self.wave.mode}/{self.wave.mtls}"
            )
        plan.schedule.insert_wave(copy.deepcopy(self.wave), self.position)
        return area_change("schedule", [self.wave.id, *self.wave.members])

    def undo(self, plan: Plan) -> Change:
        plan.schedule.pop_wave(self.wave.id)
        return area_change("schedule", [self.wave.id, *self.wave.members])


@dataclass
class RemoveWave(Command):
    wave_id: str
    _removed: tuple[Wave, int] | None = field(default=None, repr=False)
    label = "Remove wave"

    def do(self, plan: Plan) -> Change:
        self._removed = plan.schedule.pop_wave(self.wave_id)
        return area_change("schedule", [self.wave_id, *self._removed[0].members])

    def undo(self, plan: Plan) -> Change:
        assert self._removed is not None
        wave, pos = self._removed
        plan.schedule.insert_wave(wave, pos)
        return area_change("schedule", [self.wave_id, *wave.members])


@dataclass
class RenameWave(Command):
    wave_id: str
    name: str
    _old: str = ""
    label = "Rename wave"

    def do(self, plan: Plan) -> Change:
        if not self.name.strip():
            raise ScheduleError("a wave needs a name")
        wave = plan.schedule.wave(self.wave_id)
        self._old, wave.name = wave.name, self.name
        return area_change("schedule", [self.wave_id])

    def undo(self, plan: Plan) -> Change:
        plan.schedule.wave(self.wave_id).name = self._old
        return area_change("schedule", [self.wave_id])


@dataclass
class RescheduleWave(Command):
    """Move or resize a wave; consecutive reschedules of one wave merge."""

    wave_id: str
    start: date
    end: date
    _old: tuple[date, date] | None = field(default=None, repr=False)
    label = "Reschedule wave"

    def do(self, plan: Plan) -> Change:
        check_dates(self.start, self.end)
        wave = plan.schedule.wave(self.wave_id)
        if self._old is None:
            self._old = (wave.start, wave.end)
        wave.start, wave.end = self.start, self.end
        return area_change("schedule", [self.wave_id])

    def undo(self, plan: Plan) -> Change:
        assert self._old is not None
        wave = plan.schedule.wave(self.wave_id)
        wave.start, wave.end = self._old
        return area_change("schedule", [self.wave_id])

    def merge_key(self) -> str | None:
        return f"reschedule-wave:{self.wave_id}"

    def merge(self, later: Command) -> bool:
        if not isinstance(later, RescheduleWave) or later.wave_id != self.wave_id:
            return False
        self.start, self.end = later.start, later.end
        return True


@dataclass
class SetWaveTargets(Command):
    wave_id: str
    mode: str | None = None
    mtls: str | None = None
    _old: tuple[str, str] | None = field(default=None, repr=False)
    label = "Change wave targets"

    def do(self, plan: Plan) -> Change:
        if self.mode is not None and self.mode not in DATAPLANE_MODES:
            raise ScheduleError(f"data-plane mode must be one of {', '.join(DATAPLANE_MODES)}")
        if self.mtls is not None and self.mtls not in MTLS_MODES:
            raise ScheduleError(f"mTLS mode must be one of {', '.join(MTLS_MODES)}")
        wave = plan.schedule.wave(self.wave_id)
        self._old = (wave.mode, wave.mtls)
        wave.mode = self.mode or wave.mode
        wave.mtls = self.mtls or wave.mtls
        return area_change("schedule", [self.wave_id])

    def undo(self, plan: Plan) -> Change:
        assert self._old is not None
        wave = plan.schedule.wave(self.wave_id)
        wave.mode, wave.mtls = self._old
        return area_change("schedule", [self.wave_id])


# -- assumptions and dependencies ------------------------------------------------------


@dataclass
class SetAssumption(Command):
    """Set one assumption by path (see assumption_paths); edits of one path merge."""

    path: str
    value: Scalar
    _old: Scalar | None = field(default=None, repr=False)
    label = "Edit assumption"

    def do(self, plan: Plan) -> Change:
        old = set_value(plan.assumptions, self.path, self.value)
        if self._old is None:
            self._old = old
        return area_change("assumptions", [self.path])

    def undo(self, plan: Plan) -> Change:
        assert self._old is not None
        set_value(plan.assumptions, self.path, self._old)
        return area_change("assumptions", [self.path])

    def merge_key(self) -> str | None:
        return f"assumption:{self.path}"

    def merge(self, later: Command) -> bool:
        if not isinstance(later, SetAssumption) or later.path != self.path:
            return False
        self.value = later.value
        return True


@dataclass
class AddDependency(Command):
    """Add (or replace) an edge; a replaced edge comes back on undo."""

    edge: Edge
    _replaced: Edge | None = field(default=None, repr=False)
    label = "Add dependency"

    def do(self, plan: Plan) -> Change:
        for key in (self.edge.caller, self.edge.callee):
            if key not in plan.inventory.workloads:
                raise ScheduleError(f"no workload {key}")
        if self.edge.caller == self.edge.callee:
            raise ScheduleError("a workload cannot depend on itself")
        self._replaced = plan.dependencies.edges.get(self.edge.key)
        plan.dependencies.add(copy.deepcopy(self.edge))
        return area_change("dependencies", list(self.edge.key))

    def undo(self, plan: Plan) -> Change:
        if self._replaced is None:
            del plan.dependencies.edges[self.edge.key]
        else:
            plan.dependencies.edges[self.edge.key] = self._replaced
        plan.dependencies.revision += 1
        return area_change("dependencies", list(self.edge.key))


@dataclass
class RemoveDependency(Command):
    caller: str
    callee: str
    _removed: Edge | None = field(default=None, repr=False)
    label = "Remove dependency"

    def do(self, plan: Plan) -> Change:
        edge = plan.dependencies.edges.pop((self.caller, self.callee), None)
        if edge is None:
            raise ScheduleError(f"no dependency {self.caller} -> {self.callee}")
        self._removed = edge
        plan.dependencies.revision += 1
        return area_change("dependencies", [self.caller, self.callee])

    def undo(self, plan: Plan) -> Change:
        assert self._removed is not None
        plan.dependencies.add(self._removed)
        return area_change("dependencies", [self.caller, self.callee])
