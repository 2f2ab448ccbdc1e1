"""Phase edits: add, remove, rename and reschedule a phase of the schedule."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date

from workbench.domain.command_base import Change, Command, area_change, check_dates
from workbench.domain.plan import Plan
from workbench.domain.schedule import Phase, ScheduleError


@dataclass
class AddPhase(Command):
    phase: Phase
    position: int | None = None
    label = "Add phase"

    def do(self, plan: Plan) -> Change:
        if plan.schedule.has_phase(self.phase.id):
            raise ScheduleError(f"a phase with id {self.phase.id!r} exists already")
        check_dates(self.phase.start, self.phase.end)
        phases = plan.schedule.phases
        phases.insert(
            len(phases) if self.position is None else self.position, copy.copy(self.phase)
        )
        return area_change("schedule", [self.phase.id])

    def undo(self, plan: Plan) -> Change:
        plan.schedule.phases[:] = [p for p in plan.schedule.phases if p.id != self.phase.id]
        return area_change("schedule", [self.phase.id])


@dataclass
class RemovePhase(Command):
    phase_id: str
    _removed: tuple[Phase, int] | None = field(default=None, repr=False)
    label = "Remove phase"

    def do(self, plan: Plan) -> Change:
        sched = plan.schedule
        used = [w.id for w in sched.waves if w.phase == self.phase_id]
        used += [a.id for a in sched.activities if a.phase == self.phase_id]
        if used:
            raise ScheduleError(
                f"phase {self.phase_id!r} still holds {', '.join(used)}; move or remove them first"
            )
        phase = sched.phase(self.phase_id)
        pos = sched.phases.index(phase)
        del sched.phases[pos]
        self._removed = (phase, pos)
        return area_change("schedule", [self.phase_id])

    def undo(self, plan: Plan) -> Change:
        assert self._removed is not None
        phase, pos = self._removed
        plan.schedule.phases.insert(pos, phase)
        return area_change("schedule", [self.phase_id])


@dataclass
class RenamePhase(Command):
    phase_id: str
    name: str
    _old: str = ""
    label = "Rename phase"

    def do(self, plan: Plan) -> Change:
        if not self.name.strip():
            raise ScheduleError("a phase needs a name")
        phase = plan.schedule.phase(self.phase_id)
        self._old, phase.name = phase.name, self.name
        return area_change("schedule", [self.phase_id])

    def undo(self, plan: Plan) -> Change:
        plan.schedule.phase(self.phase_id).name = self._old
        return area_change("schedule", [self.phase_id])


@dataclass
class ReschedulePhase(Command):
    phase_id: str
    start: date
    end: date
    _old: tuple[date, date] | None = field(default=None, repr=False)
    label = "Reschedule phase"

    def do(self, plan: Plan) -> Change:
        check_dates(self.start, self.end)
        phase = plan.schedule.phase(self.phase_id)
        if self._old is None:
            self._old = (phase.start, phase.end)
        phase.start, phase.end = self.start, self.end
        return area_change("schedule", [self.phase_id])

    def undo(self, plan: Plan) -> Change:
        assert self._old is not None
        phase = plan.schedule.phase(self.phase_id)
        phase.start, phase.end = self._old
        return area_change("schedule", [self.phase_id])

    def merge_key(self) -> str | None:
        return f"reschedule-phase:{self.phase_id}"

    def merge(self, later: Command) -> bool:
        if not isinstance(later, ReschedulePhase) or later.phase_id != self.phase_id:
            return False
        self.start, self.end = later.start, later.end
        return True
