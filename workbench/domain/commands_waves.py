"""Wave edits beyond a single field: several waves rescheduled together (a multi-select
drag), a new wave placed after the last one, a wave split in two, waves merged into one."""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from datetime import date, timedelta

from workbench.domain.commands import Change, Command
from workbench.domain.plan import Plan
from workbench.domain.schedule import Phase, ScheduleError, Wave

DEFAULT_WAVE_DAYS = 14
DEFAULT_PHASE = Phase("migration", "Migration", date(2000, 1, 1), date(2000, 1, 1))


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


def _clone(wave: Wave) -> Wave:
    """A copy whose lists are its own (cheaper than deepcopy for large waves)."""
    return dataclasses.replace(wave, members=list(wave.members), waypoints=list(wave.waypoints))


def _wave_change(keys: list[str]) -> Change:
    return Change(frozenset({"schedule"}), frozenset(keys))


@dataclass
class NewWave(Command):
    """A wave after the last one (same length, same phase), optionally with members taken
    from their current waves; with no phase in the plan, a "Migration" phase is added too.
    The wave's id, name and dates are fixed on the first ``do`` so redo repeats them."""

    name: str = ""
    members: list[str] = field(default_factory=list)
    today: date | None = None  # the start of the first wave of an empty schedule
    _wave: Wave | None = field(default=None, repr=False)
    _phase: Phase | None = field(default=None, repr=False)
    _previous: list[tuple[str, tuple[str, int] | None]] = field(default_factory=list, repr=False)
    label = "New wave"

    @property
    def wave_id(self) -> str:
        return self._wave.id if self._wave is not None else ""

    def _plan_wave(self, plan: Plan) -> tuple[Wave, Phase | None]:
        sched = plan.schedule
        wave_id = sched.new_wave_id()
        name = self.name.strip() or f"Wave {wave_id.removeprefix('wave-').lstrip('0')}"
        if sched.waves:
            last = max(sched.waves, key=lambda w: (w.end, w.start))
            length = last.end - last.start
            start = last.end + timedelta(days=1)
            phase_id = last.phase
        else:
            length = timedelta(days=DEFAULT_WAVE_DAYS - 1)
            start = self.today or date.today()
            phase_id = sched.phases[-1].id if sched.phases else DEFAULT_PHASE.id
        new_phase = None
        if not sched.phases:
            new_phase = Phase(DEFAULT_PHASE.id, DEFAULT_PHASE.name, start, start + length)
        return Wave(wave_id, name, phase_id, start, start + length), new_phase

    def do(self, plan: Plan) -> Change:
        for key in self.members:
            if key not in plan.inventory.workloads:
                raise ScheduleError(f"no workload {key}")
        if self._wave is None:
            self._wave, self._phase = self._plan_wave(plan)
        sched = plan.schedule
        if self._phase is not None:
            sched.phases.append(copy.copy(self._phase))
        sched.insert_wave(_clone(self._wave))
        self._previous = []
        for key in self.members:
            self._previous.append((key, sched.unassign(key)))
            sched.assign(key, self._wave.id)
        return _wave_change([self._wave.id, *self.members])

    def undo(self, plan: Plan) -> Change:
        assert self._wave is not None
        sched = plan.schedule
        sched.pop_wave(self._wave.id)
        for key, prev in self._previous:
            if prev is not None:
                sched.assign(key, prev[0], prev[1])
        if self._phase is not None:
            sched.phases[:] = [p for p in sched.phases if p.id != self._phase.id]
        return _wave_change([self._wave.id, *self.members])


@dataclass
class SplitWave(Command):
    """Split a wave in two: the second half of its members (or ``keys``) and of its days
    go to a new wave placed right after it, with the same phase and targets."""

    wave_id: str
    keys: list[str] | None = None
    _old: Wave | None = field(default=None, repr=False)
    _new_id: str = ""
    label = "Split wave"

    @property
    def new_wave_id(self) -> str:
        return self._new_id

    def do(self, plan: Plan) -> Change:
        sched = plan.schedule
        wave = sched.wave(self.wave_id)
        moving = (
            list(self.keys) if self.keys is not None else wave.members[len(wave.members) // 2 :]
        )
        if len(wave.members) < 2 and self.keys is None:
            raise ScheduleError(f"wave {wave.name} needs two workloads or more to split")
        stray = [k for k in moving if k not in wave.members]
        if stray:
            raise ScheduleError(f"{stray[0]} is not in wave {wave.name}")
        if not moving or len(moving) == len(wave.members):
            raise ScheduleError("a split keeps at least one workload on each side")
        self._old = _clone(wave)
        self._new_id = self._new_id or sched.new_wave_id()
        days = (wave.end - wave.start).days
        first_end = wave.start + timedelta(days=days // 2)
        leaving = set(moving)
        first = _clone(wave)
        first.end = first_end
        first.members = [k for k in wave.members if k not in leaving]
        second = _clone(wave)
        second.id, second.name = self._new_id, f"{wave.name} (2)"
        second.start = min(first_end + timedelta(days=1), wave.end)
        second.members = [k for k in wave.members if k in leaving]
        second.waypoints = []
        position = [w.id for w in sched.waves].index(wave.id)
        sched.pop_wave(wave.id)  # whole waves swap in and out: linear in their members
        sched.insert_wave(first, position)
        sched.insert_wave(second, position + 1)
        return _wave_change([self.wave_id, self._new_id, *moving])

    def undo(self, plan: Plan) -> Change:
        assert self._old is not None
        sched = plan.schedule
        second, _ = sched.pop_wave(self._new_id)
        _restore(plan, self._old)
        return _wave_change([self.wave_id, self._new_id, *second.members])


def _restore(plan: Plan, saved: Wave) -> None:
    """Put a wave back exactly as it was (fields and member order)."""
    sched = plan.schedule
    position = [w.id for w in sched.waves].index(saved.id)
    sched.pop_wave(saved.id)
    sched.insert_wave(_clone(saved), position)


@dataclass
class MergeWaves(Command):
    """Merge waves into the first one named: its dates span them all, their members
    follow its own in order, and the others are removed."""

    wave_ids: list[str]
    _saved: list[tuple[int, Wave]] = field(default_factory=list, repr=False)
    label = "Merge waves"

    def do(self, plan: Plan) -> Change:
        sched = plan.schedule
        if len(set(self.wave_ids)) < 2:
            raise ScheduleError("pick two waves or more to merge")
        waves = [sched.wave(w) for w in self.wave_ids]
        ids = [w.id for w in sched.waves]
        self._saved = [(ids.index(w.id), _clone(w)) for w in waves]
        target, others = waves[0], waves[1:]
        merged = _clone(target)
        for other in others:
            merged.members += other.members
            merged.waypoints += [n for n in other.waypoints if n not in merged.waypoints]
            sched.pop_wave(other.id)
        merged.start = min(w.start for w in waves)
        merged.end = max(w.end for w in waves)
        moved = merged.members[len(target.members) :]
        position = [w.id for w in sched.waves].index(target.id)
        sched.pop_wave(target.id)  # whole waves swap in and out: linear in their members
        sched.insert_wave(merged, position)
        return _wave_change([*self.wave_ids, *moved])

    def undo(self, plan: Plan) -> Change:
        sched = plan.schedule
        target = self._saved[0][1]
        _restore(plan, target)  # takes the merged members out of the index too
        for position, saved in sorted(self._saved[1:], key=lambda s: s[0]):
            sched.insert_wave(_clone(saved), position)
        keys = [k for _, w in self._saved for k in w.members]
        return _wave_change([*self.wave_ids, *keys])
