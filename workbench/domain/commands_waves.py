"""Moving or resizing several waves together as one edit (a multi-select drag)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from workbench.domain.commands import Change, Command
from workbench.domain.plan import Plan
from workbench.domain.schedule import ScheduleError


@dataclass
class RescheduleWaves(Command):
    """New (start, end) per wave id; consecutive edits of the same set of waves merge."""

    dates: dict[str, tuple[date, date]]
    _old: dict[str, tuple[date, date]] | None = field(default=None, repr=False)
    label = "Reschedule waves"

    def do(self, plan: Plan) -> Change:
        sched = plan.schedule
        for wave_id, (start, end) in self.dates.items():
            sched.wave(wave_id)
            if end < start:
                raise ScheduleError(
                    f"wave {wave_id}: end {end.isoformat()} is before start {start.isoformat()}"
                )
        old = {wid: (sched.wave(wid).start, sched.wave(wid).end) for wid in self.dates}
        if self._old is None:
            self._old = old
        for wave_id, (start, end) in self.dates.items():
            wave = sched.wave(wave_id)
            wave.start, wave.end = start, end
        return Change(frozenset({"schedule"}), frozenset(self.dates))

    def undo(self, plan: Plan) -> Change:
        assert self._old is not None
        for wave_id, (start, end) in self._old.items():
            wave = plan.schedule.wave(wave_id)
            wave.start, wave.end = start, end
        return Change(frozenset({"schedule"}), frozenset(self._old))

    def merge_key(self) -> str | None:
        return "reschedule-waves:" + ",".join(sorted(self.dates))

    def merge(self, later: Command) -> bool:
        if not isinstance(later, RescheduleWaves) or set(later.dates) != set(self.dates):
            return False
        self.dates = dict(later.dates)
        return True
