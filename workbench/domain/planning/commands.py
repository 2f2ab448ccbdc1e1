"""Schedule edits the planner needs beyond the core commands: activities and waypoints."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from workbench.domain.commands import Change, Command
from workbench.domain.plan import Plan
from workbench.domain.schedule import Activity, ScheduleError


@dataclass
class AddActivity(Command):
    activity: Activity
    label = "Add activity"

    def do(self, plan: Plan) -> Change:
        sched = plan.schedule
        if any(a.id == self.activity.id for a in sched.activities):
            raise ScheduleError(f"an activity with id {self.activity.id!r} exists already")
        if self.activity.end < self.activity.start:
            raise ScheduleError(f"activity {self.activity.id}: end is before start")
        sched.phase(self.activity.phase)
        sched.activities.append(copy.copy(self.activity))
        return Change(frozenset({"schedule"}), frozenset({self.activity.id}))

    def undo(self, plan: Plan) -> Change:
        acts = plan.schedule.activities
        acts[:] = [a for a in acts if a.id != self.activity.id]
        return Change(frozenset({"schedule"}), frozenset({self.activity.id}))


@dataclass
class AddWaypoints(Command):
    """Plan ambient waypoints for namespaces (namespace keys) with a wave."""

    wave_id: str
    namespaces: list[str]
    _added: list[str] = field(default_factory=list, repr=False)
    label = "Plan waypoints"

    def do(self, plan: Plan) -> Change:
        wave = plan.schedule.wave(self.wave_id)
        self._added = [ns for ns in dict.fromkeys(self.namespaces) if ns not in wave.waypoints]
        wave.waypoints.extend(self._added)
        return Change(frozenset({"schedule"}), frozenset({self.wave_id}))

    def undo(self, plan: Plan) -> Change:
        wave = plan.schedule.wave(self.wave_id)
        wave.waypoints[:] = [ns for ns in wave.waypoints if ns not in self._added]
        return Change(frozenset({"schedule"}), frozenset({self.wave_id}))


@dataclass
class SetConcurrency(Command):
    """How many waves the team can run at once (the schedule's concurrency limit)."""

    limit: int
    _old: int | None = field(default=None, repr=False)
    label = "Set waves in parallel"

    def do(self, plan: Plan) -> Change:
        if self.limit < 1:
            raise ScheduleError(f"waves in parallel must be at least 1, not {self.limit}")
        self._old = plan.schedule.max_concurrent_waves
        plan.schedule.max_concurrent_waves = self.limit
        return Change(frozenset({"schedule"}), frozenset())

    def undo(self, plan: Plan) -> Change:
        assert self._old is not None
        plan.schedule.max_concurrent_waves = self._old
        return Change(frozenset({"schedule"}), frozenset())
