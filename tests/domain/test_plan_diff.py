"""Plan diff: each kind of change is reported once, by key, id or path."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from workbench.domain.assumption_paths import get_value, set_value
from workbench.domain.assumptions import CostLine, Scenario
from workbench.domain.plan import Plan
from workbench.domain.plan_diff import (
    DateChange,
    KpiDelta,
    ValueChange,
    WaveFieldChange,
    WaveMove,
    WorkloadEntry,
    compare_plans,
    flatten,
)
from workbench.domain.schedule import Wave
from workbench.io.plan_file import load_plan


@pytest.fixture(scope="module")
def base(sample_plan_path: Path) -> Plan:
    return load_plan(sample_plan_path)


@pytest.fixture
def other(base: Plan) -> Plan:
    return copy.deepcopy(base)


def test_a_plan_against_its_copy_is_identical(base: Plan, other: Plan) -> None:
    other.meta.modified = "2030-01-01T00:00:00+00:00"  # saving again changes nothing
    d = compare_plans(base, other)
    assert d.identical
    assert d.workloads_added == d.workloads_removed == d.wave_moves == d.assumptions == ()


def test_workloads_added_removed_and_vanished(base: Plan, other: Plan) -> None:
    some = next(iter(other.inventory.workloads.values()))
    new = replace(some, name=some.name + "-v2", containers=[], labels={})
    other.inventory.workloads[new.key] = new
    wave = other.schedule.waves[0]
    other.schedule.assign(new.key, wave.id)
    gone = sorted(other.unassigned())[0]
    del other.inventory.workloads[gone]
    vanished_key = sorted(k for k in other.inventory.workloads if k != new.key)[-1]
    other.inventory.workloads[vanished_key].vanished = True
    d = compare_plans(base, other)
    assert d.workloads_added == (WorkloadEntry(new.key, wave.id),)
    assert {w.key for w in d.workloads_removed} == {gone, vanished_key}
    assert not d.identical


def test_wave_moves_include_unassigning_and_assigning(base: Plan, other: Plan) -> None:
    w1, w2 = other.schedule.waves[0], other.schedule.waves[1]
    moved = w1.members[0]
    other.schedule.assign(moved, w2.id)
    dropped = w2.members[0]
    other.schedule.unassign(dropped)
    picked = other.unassigned()[0]
    other.schedule.assign(picked, w1.id)
    d = compare_plans(base, other)
    assert set(d.wave_moves) == {
        WaveMove(moved, w1.id, w2.id),
        WaveMove(dropped, w2.id, None),
        WaveMove(picked, None, w1.id),
    }
    assert [m.workload for m in d.wave_moves] == sorted(m.workload for m in d.wave_moves)


def test_date_changes_for_waves_phases_and_activities(base: Plan, other: Plan) -> None:
    wave = other.schedule.waves[1]
    old_start, old_end = wave.start, wave.end
    wave.start += timedelta(days=14)
    wave.end += timedelta(days=21)
    phase = other.schedule.phases[0]
    phase.end += timedelta(days=7)
    d = compare_plans(base, other)
    by_kind = {c.kind: c for c in d.date_changes}
    w = by_kind["wave"]
    assert w == DateChange("wave", wave.id, wave.name, old_start, old_end, wave.start, wave.end)
    assert (w.start_shift_days, w.end_shift_days) == (14, 21)
    assert by_kind["phase"].end_shift_days == 7 and by_kind["phase"].start_shift_days == 0
    assert "activity" not in by_kind


def test_waves_added_removed_and_changed(base: Plan, other: Plan) -> None:
    removed = other.schedule.waves[-1]
    other.schedule.pop_wave(removed.id)
    added = Wave(
        "wave-99",
        "late",
        "core",
        date(2024, 1, 1),
        date(2024, 1, 31),
        members=[other.unassigned()[0]],
    )
    other.schedule.insert_wave(added)
    first = other.schedule.waves[0]
    first.mode = "ambient"
    first.mtls = "STRICT"
    d = compare_plans(base, other)
    assert [w.id for w in d.waves_added] == ["wave-99"] and d.waves_added[0].members == 1
    assert [w.id for w in d.waves_removed] == [removed.id]
    assert set(d.wave_changes) == {
        WaveFieldChange(first.id, "mode", "sidecar", "ambient"),
        WaveFieldChange(first.id, "mtls", "PERMISSIVE", "STRICT"),
    }
    # the removed wave's members are now in no wave
    assert {m.workload for m in d.wave_moves if m.old_wave == removed.id} == set(removed.members)


def test_assumption_changes_by_path(base: Plan, other: Plan) -> None:
    a = other.assumptions
    a.discount_rate = 0.12
    a.cost_lines[0].annual += 1000
    a.cost_lines.append(CostLine("Consultants", one_time=50_000))
    a.start = date(2023, 2, 1)
    d = compare_plans(base, other)
    changes = {c.path: c for c in d.assumptions}
    assert changes["discount_rate"] == ValueChange("discount_rate", 0.10, 0.12)
    line = base.assumptions.cost_lines[0]
    path = f"cost_lines[{line.name}].annual"
    assert changes[path].old == line.annual and changes[path].new == line.annual + 1000
    assert changes["cost_lines[Consultants].one_time"] == ValueChange(
        "cost_lines[Consultants].one_time", None, 50_000
    )
    assert changes["start"].new == "2023-02-01"
    assert "cost_lines[Consultants].name" not in changes  # the name is in the path


def test_flattened_paths_are_assumption_paths(base: Plan) -> None:
    flat = flatten(base.assumptions)
    assert "overhead.sidecar_cpu_request_m" in flat and "ramp.kind" in flat
    checked = 0
    for path, value in flat.items():
        if path == "start" or value is None or isinstance(value, bool):
            continue  # a date (ISO text here) or no single value to read back
        assert get_value(base.assumptions, path) == value, path
        checked += 1
    assert checked > 40
    copy_ = copy.deepcopy(base.assumptions)
    set_value(copy_, "prices.vcpu_hour", 0.05)
    assert flatten(copy_)["prices.vcpu_hour"] == 0.05


def test_scenario_changes(base: Plan, other: Plan) -> None:
    ramp = other.scenario("ramp-with-migration")
    ramp.overrides["ramp.months"] = 18
    ramp.overrides["discount_rate"] = 0.08
    other.scenarios = [s for s in other.scenarios if s.name != "playbook"]
    other.scenarios.append(Scenario("cautious", "slower", {"risk_adjustment": 0.2}))
    other.active_scenario = "cautious"
    d = compare_plans(base, other)
    assert d.scenarios_added == ("cautious",) and d.scenarios_removed == ("playbook",)
    (changed,) = d.scenarios_changed
    assert changed.name == "ramp-with-migration"
    assert set(changed.changes) == {
        ValueChange("overrides[ramp.months]", 14, 18),
        ValueChange("overrides[discount_rate]", None, 0.08),
    }
    assert d.active_scenario == ValueChange("active_scenario", None, "cautious")


def test_settings_changes(base: Plan, other: Plan) -> None:
    other.mesh.istio_version = "1.26"
    other.meta.title = "Renamed"
    d = compare_plans(base, other)
    assert set(d.settings) == {
        ValueChange("mesh.istio_version", base.mesh.istio_version, "1.26"),
        ValueChange("meta.title", base.meta.title, "Renamed"),
    }


def test_kpi_delta_and_with_kpis(base: Plan) -> None:
    d = compare_plans(base, base).with_kpis(
        (KpiDelta("npv", 10.0, 12.5), KpiDelta("irr", None, 0.1))
    )
    assert d.identical  # KPIs do not make a change
    assert d.kpis[0].delta == 2.5 and d.kpis[1].delta is None


def test_comment_changes(base: Plan, other: Plan) -> None:
    from workbench.domain.comments import Comment, Reply

    base = copy.deepcopy(base)
    base.comments.append(Comment("c1", "plan", "ana", "t", "first"))
    base.comments.append(Comment("c2", "plan", "ana", "t", "gone soon"))
    other.comments.append(Comment("c1", "plan", "ana", "t", "first", resolved=True))
    other.comments[0].replies.append(Reply("r1", "bo", "t", "done"))
    other.comments.append(Comment("c3", "wave:w1", "bo", "t", "new"))
    d = compare_plans(base, other)
    assert not d.identical
    assert [(c.id, c.change) for c in d.comments] == [
        ("c1", "resolved"),
        ("c1", "replied"),
        ("c3", "added"),
        ("c2", "removed"),
    ]
    assert d.comments[1].replies == ("bo: done",)
