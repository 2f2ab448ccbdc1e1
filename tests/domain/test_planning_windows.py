"""Maintenance windows: waves cut over (start) on a weekday their members' windows allow;
what cannot be honoured is a note of the auto-plan and a schedule finding."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.domain.planning_invariants import apply_and_check
from tests.domain.planning_plans import add_wave, full, make_plan, rules
from workbench.domain.business import BusinessInfo
from workbench.domain.commands import RescheduleWave
from workbench.domain.plan import Plan
from workbench.domain.planning.autoplan import AutoPlanOptions, propose
from workbench.domain.planning.maintenance import day_names, window_days
from workbench.domain.planning.readiness_input import ReadinessInput
from workbench.domain.planning.validator import ScheduleValidator
from workbench.ops.generate import generate_plan
from workbench.ops.planning import propose_plan, validate

SAT, SUN, TUE, THU = 5, 6, 1, 3


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("Sat 01:00-05:00", "Sat"),
        ("Fri-Sun", "Fri, Sat, Sun"),
        ("Fri 22:00 - Mon 06:00", "Mon, Fri, Sat, Sun"),
        ("Tue, Thu 22:00-02:00", "Tue, Thu"),
        ("Sunday 2am-4am UTC", "Sun"),
        ("weekends", "Sat, Sun"),
        ("Mon to Wed", "Mon, Tue, Wed"),
        ("24x7", "Mon, Tue, Wed, Thu, Fri, Sat, Sun"),
        ("", "Mon, Tue, Wed, Thu, Fri, Sat, Sun"),
    ],
)
def test_windows_are_read_as_weekdays(text: str, days: str) -> None:
    found = window_days(text)
    assert found is not None and day_names(found) == days


@pytest.mark.parametrize("text", ["2027-03-06", "second Tuesday", "after the release"])
def test_a_window_not_understood_is_not_guessed(text: str) -> None:
    assert window_days(text) is None


def _windowed_estate() -> tuple[Plan, dict[str, str]]:
    plan = generate_plan(300, clusters=1, seed=4)
    windows = {}
    spaces = sorted(plan.inventory.namespaces)
    for key in sorted(plan.inventory.workloads):
        i = spaces.index(plan.inventory.workloads[key].namespace_key)
        text = ("Sat 01:00-05:00", "Tue, Thu 22:00-02:00", "", "weekends")[i % 4]
        if text:
            plan.business[key] = BusinessInfo(owner=f"team-{i % 3}", maintenance=text)
            windows[key] = text
    return plan, windows


def test_auto_planned_waves_start_inside_their_members_windows() -> None:
    plan, windows = _windowed_estate()
    options = AutoPlanOptions(keep_assignments=False, max_workloads=30, parallel=3)
    proposal = propose_plan(plan, options)
    assert any("maintenance window" in n for n in proposal.notes)
    assert not any("share no weekday" in n for n in proposal.notes), proposal.notes
    starts = set()
    for wave in proposal.waves:
        for key in wave.members:
            allowed = window_days(windows.get(key, ""))
            assert allowed is not None and wave.start.weekday() in allowed, (wave.id, key)
        starts.add(wave.start.weekday())
    assert {SAT, TUE} <= starts  # waves were really moved onto the windows' days
    apply_and_check(plan, proposal, options)
    assert all(f.rule not in ("S14", "S15") for f in validate(plan))


def test_without_windows_waves_start_without_waiting_and_nothing_is_said() -> None:
    bare = generate_plan(300, clusters=1, seed=4)
    options = AutoPlanOptions(keep_assignments=False, max_workloads=30, parallel=3)
    proposal = propose_plan(bare, options)
    core = bare.schedule.phase("core").start
    assert min(w.start for w in proposal.waves if w.phase != "pilot") == core  # no waiting
    assert not any("maintenance" in n for n in proposal.notes)


def test_a_cycle_whose_windows_share_no_day_is_said_and_found() -> None:
    plan = make_plan(["a", "b", "c"], [("a", "b"), ("b", "a")])
    plan.business[full("a")] = BusinessInfo(maintenance="Sat 01:00-05:00")
    plan.business[full("b")] = BusinessInfo(maintenance="Tue 22:00-23:00")
    options = AutoPlanOptions(pilot_size=0, keep_assignments=False)
    proposal = propose(plan, options, ReadinessInput())
    assert any("share no weekday" in n for n in proposal.notes), proposal.notes
    proposal.command().do(plan)
    found = rules(plan)["S14"]
    assert len(found) == 1 and found[0].severity == "medium"
    assert "outside the maintenance window" in found[0].message


def test_a_window_not_understood_is_noted_and_found() -> None:
    plan = make_plan(["a", "b"])
    plan.business[full("a")] = BusinessInfo(maintenance="after the quarterly release")
    proposal = propose(plan, AutoPlanOptions(pilot_size=0), ReadinessInput())
    assert any("not understood" in n and "quarterly" in n for n in proposal.notes)
    proposal.command().do(plan)
    found = rules(plan)["S15"]
    assert found[0].subject == full("a") and found[0].severity == "low"


def test_moving_a_wave_off_its_window_raises_the_finding_and_back_clears_it() -> None:
    plan = make_plan(["a", "b"])
    plan.business[full("a")] = BusinessInfo(maintenance="Sat 01:00-05:00")
    saturday = date(2027, 3, 6)
    assert saturday.weekday() == SAT
    add_wave(plan, "w1", ["a", "b"], start=saturday)
    validator = ScheduleValidator(plan, ReadinessInput())
    assert all(f.rule != "S14" for f in validator.findings())
    monday = saturday + timedelta(days=2)
    change = RescheduleWave("w1", monday, monday + timedelta(days=13)).do(plan)
    hits = [f for f in validator.update(change) if f.rule == "S14"]
    assert [f.items[:2] for f in hits] == [(full("a"), "w1")]
    assert "Mon 2027-03-08" in hits[0].message and "(Sat)" in hits[0].message
    change = RescheduleWave("w1", saturday, saturday + timedelta(days=13)).do(plan)
    assert all(f.rule != "S14" for f in validator.update(change))


def test_a_pilot_keeps_to_one_window() -> None:
    plan = make_plan([f"p{i}" for i in range(6)])
    for i in range(6):
        text = "Sat 01:00-05:00" if i % 2 else "Thu 22:00-23:00"
        plan.business[full(f"p{i}")] = BusinessInfo(maintenance=text)
    proposal = propose(plan, AutoPlanOptions(pilot_size=4), ReadinessInput())
    pilot = next(w for w in proposal.waves if w.phase == "pilot")
    days = {window_days(plan.business[k].maintenance) for k in pilot.members}
    assert len(days) == 1 and pilot.start.weekday() in next(iter(days))  # type: ignore[operator]
    assert {THU, SAT} & {pilot.start.weekday()}
    assert SUN not in {w.start.weekday() for w in proposal.waves}


def test_joining_a_kept_wave_outside_a_window_is_said() -> None:
    plan = make_plan(["a", "b"], [("a", "b"), ("b", "a")])
    monday = date(2027, 3, 8)
    add_wave(plan, "w1", ["a"], start=monday)
    plan.business[full("b")] = BusinessInfo(maintenance="Sat 01:00-05:00")
    proposal = propose(plan, AutoPlanOptions(pilot_size=0), ReadinessInput())
    assert proposal.joins == {"w1": [full("b")]}  # the cycle stays whole
    assert any("join an existing wave" in n and full("b") in n for n in proposal.notes)
    proposal.command().do(plan)
    assert [f.subject for f in rules(plan)["S14"]] == [full("b")]
