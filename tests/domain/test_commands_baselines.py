"""Saving a baseline and rescheduling several waves at once: do, undo, merge."""

from __future__ import annotations

import copy
from datetime import date, timedelta

import pytest

from workbench.domain.commands import Change
from workbench.domain.commands_baselines import SaveBaseline, baseline_name
from workbench.domain.commands_waves import RescheduleWaves
from workbench.domain.plan import Plan
from workbench.domain.schedule import Phase, Schedule, ScheduleError, Wave


def _plan() -> Plan:
    phase = Phase("core", "Core", date(2027, 1, 1), date(2027, 12, 31))
    waves = [
        Wave("wave-01", "one", "core", date(2027, 2, 1), date(2027, 2, 28)),
        Wave("wave-02", "two", "core", date(2027, 3, 1), date(2027, 3, 31)),
    ]
    return Plan(schedule=Schedule(phases=[phase], waves=waves))


def test_save_baseline_keeps_wave_dates_and_undo_removes_it() -> None:
    plan = _plan()
    before = copy.deepcopy(plan)
    cmd = SaveBaseline(baseline_name(plan), "2027-01-01T00:00:00+00:00")
    change = cmd.do(plan)
    assert change == Change(frozenset({"meta"}), frozenset({"Baseline 1"}))
    (saved,) = plan.meta.baselines
    assert saved.waves == {
        "wave-01": (date(2027, 2, 1), date(2027, 2, 28)),
        "wave-02": (date(2027, 3, 1), date(2027, 3, 31)),
    }
    plan.schedule.waves[0].start = date(2027, 1, 15)  # later edits leave the baseline alone
    assert saved.waves["wave-01"][0] == date(2027, 2, 1)
    plan.schedule.waves[0].start = date(2027, 2, 1)
    assert baseline_name(plan) == "Baseline 2"
    cmd.undo(plan)
    assert plan == before
    with pytest.raises(ScheduleError):
        SaveBaseline("  ", "").do(plan)


def test_reschedule_waves_moves_together_merges_and_undoes() -> None:
    plan = _plan()
    before = copy.deepcopy(plan)
    week = timedelta(days=7)
    first = RescheduleWaves({"wave-01": (date(2027, 2, 8), date(2027, 3, 7))})
    assert not first.merge(RescheduleWaves({"wave-02": (date(2027, 3, 8), date(2027, 4, 7))}))
    both = {w.id: (w.start + week, w.end + week) for w in plan.schedule.waves}
    cmd = RescheduleWaves(both)
    assert cmd.do(plan).keys == {"wave-01", "wave-02"}
    later = {w: (s + week, e + week) for w, (s, e) in both.items()}
    follow = RescheduleWaves(later)
    follow.do(plan)
    assert cmd.merge_key() == follow.merge_key() and cmd.merge(follow)
    assert plan.schedule.wave("wave-02").start == date(2027, 3, 15)
    cmd.undo(plan)
    assert plan == before
    with pytest.raises(ScheduleError):
        RescheduleWaves({"wave-01": (date(2027, 3, 1), date(2027, 2, 1))}).do(plan)
    assert plan == before
