"""Dates for auto-planned waves: phases to put them in and free slots in the calendar."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from datetime import date, timedelta

from workbench.domain.planning.context import is_pilot_phase
from workbench.domain.planning.maintenance import ALL_DAYS, weekday_of
from workbench.domain.schedule import Activity, Phase, Schedule, Wave

MULTICLUSTER_NAME = "Multi-cluster set-up: shared root of trust, east-west gateway"
SETUP_DAYS = 30


class Calendar:
    """Waves of ``length`` days, never more than ``limit`` on one day (kept waves count),
    and none touching a freeze window (inclusive date ranges)."""

    def __init__(
        self,
        phases: list[Phase],
        kept: list[Wave],
        limit: int,
        length: int,
        freezes: tuple[tuple[date, date], ...] = (),
    ) -> None:
        self.phases = sorted(phases, key=lambda p: (p.start, p.id))
        self.limit = max(1, limit)
        self.length = length
        self.busy: Counter[int] = Counter()
        self.frozen: set[int] = set()
        self.team_busy: defaultdict[str, Counter[int]] = defaultdict(Counter)
        for start, end in freezes:
            self.frozen.update(range(start.toordinal(), end.toordinal() + 1))
        for wave in kept:
            self._mark(wave.start, wave.end)

    def _mark(self, start: date, end: date) -> None:
        for day in range(start.toordinal(), end.toordinal() + 1):
            self.busy[day] += 1

    def place(
        self,
        after: date,
        teams: Mapping[str, int] | None = None,
        days: frozenset[int] = ALL_DAYS,
    ) -> tuple[date, date]:
        """The earliest free slot starting on or after ``after``; it is then taken.
        ``teams``: team -> how many waves that team can run at once, for the teams whose
        workloads the wave holds; ``days``: the weekdays (Monday 0) the wave may start
        on, its members' maintenance windows (none given: any day)."""
        limits = dict(teams or {})
        starts = days or ALL_DAYS
        first = after.toordinal()
        while True:
            while weekday_of(first) not in starts:
                first += 1
            full = next(
                (
                    d
                    for d in range(first, first + self.length)
                    if self.busy[d] >= self.limit
                    or d in self.frozen
                    or any(self.team_busy[t][d] >= n for t, n in limits.items())
                ),
                None,
            )
            if full is None:
                break
            first = full + 1
        start = date.fromordinal(first)
        end = start + timedelta(days=self.length - 1)
        self._mark(start, end)
        for team in limits:
            for day in range(start.toordinal(), end.toordinal() + 1):
                self.team_busy[team][day] += 1
        return start, end

    # -- phases ----------------------------------------------------------------------------
    def pilot_phase(self) -> Phase | None:
        return next((p for p in self.phases if is_pilot_phase(p)), None)

    def core_phase(self) -> Phase:
        """The phase id ``core`` (or named Core...), else the one after the pilot, else the last."""
        for p in self.phases:
            if p.id.lower() == "core" or "core" in p.name.lower():
                return p
        pilot = self.pilot_phase()
        if pilot is not None:
            i = self.phases.index(pilot)
            if i + 1 < len(self.phases):
                return self.phases[i + 1]
        return self.phases[-1]

    def phase_for(self, core: Phase, start: date, end: date) -> Phase:
        """``core`` when the dates fit it, else a later phase they fit, else ``core``."""
        if core.start <= start and end <= core.end:
            return core
        for p in self.phases:
            if p.start >= core.start and p.start <= start and end <= p.end:
                return p
        return core

    def stretch(self, core: Phase, last_end: date) -> dict[str, tuple[date, date]]:
        """New dates for ``core`` (and the phases after it) so that it ends no earlier
        than ``last_end``: later phases move by the same number of days. Empty when
        the waves already fit."""
        if last_end <= core.end:
            return {}
        delta = last_end - core.end
        moved = {core.id: (core.start, last_end)}
        for p in self.phases:
            if p.id != core.id and p.start > core.start:
                moved[p.id] = (p.start + delta, p.end + delta)
        self.phases = sorted(
            (Phase(p.id, p.name, *moved[p.id]) if p.id in moved else p for p in self.phases),
            key=lambda p: (p.start, p.id),
        )
        return moved

    def outside_phase(self, wave: Wave) -> bool:
        phase = next((p for p in self.phases if p.id == wave.phase), None)
        return phase is None or wave.start < phase.start or wave.end > phase.end

    def multicluster_activity(self, before: date, schedule: Schedule) -> Activity:
        """A set-up activity that ends the day before ``before``."""
        end = before - timedelta(days=1)
        start = end - timedelta(days=SETUP_DAYS - 1)
        phase = next((p for p in self.phases if p.start <= end <= p.end), self.phases[0])
        used = {a.id for a in schedule.activities}
        act_id, n = "multicluster-setup", 1
        while act_id in used:
            n += 1
            act_id = f"multicluster-setup-{n}"
        return Activity(act_id, MULTICLUSTER_NAME, phase.id, start, end)

    @staticmethod
    def day_after(day: date) -> date:
        return day + timedelta(days=1)
