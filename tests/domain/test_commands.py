"""Every command: do -> undo leaves the plan equal to what it was; do changes it."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from workbench.domain.assumptions import BenefitLine, CostLine
from workbench.domain.commands import (
    AddDependency,
    AddPhase,
    AddWave,
    AssignWorkloads,
    Command,
    Macro,
    RemoveDependency,
    RemovePhase,
    RemoveWave,
    RenamePhase,
    RenameWave,
    ReschedulePhase,
    RescheduleWave,
    SetAssumption,
    SetWaveTargets,
    UnassignWorkloads,
)
from workbench.domain.dependencies import Edge, Evidence
from workbench.domain.errors import WorkbenchError
from workbench.domain.inventory import Workload
from workbench.domain.plan import Plan
from workbench.domain.schedule import Phase, ScheduleError, Wave


def k(name: str) -> str:
    return f"c1/shop/Deployment/{name}"


@pytest.fixture
def plan() -> Plan:
    p = Plan()
    for name in "abcdef":
        p.inventory.add_workload(Workload("c1", "shop", "Deployment", name, replicas=2, pods=2))
    p.schedule.phases += [
        Phase("pilot", "Pilot", date(2027, 1, 1), date(2027, 3, 31)),
        Phase("core", "Core", date(2027, 4, 1), date(2027, 8, 31)),
        Phase("empty", "Empty", date(2027, 9, 1), date(2027, 9, 30)),
    ]
    p.schedule.insert_wave(
        Wave("wave-01", "Pilot 1", "pilot", date(2027, 1, 10), date(2027, 2, 10), members=[k("a")])
    )
    p.schedule.insert_wave(
        Wave(
            "wave-02",
            "Core 1",
            "core",
            date(2027, 4, 1),
            date(2027, 5, 1),
            members=[k("b"), k("c")],
        )
    )
    p.dependencies.add(Edge(k("a"), k("b"), [Evidence("env", "B_URL in a")], 0.9))
    p.assumptions.cost_lines.append(CostLine("Platform Team", 500_000, 800_000))
    p.assumptions.benefit_lines.append(BenefitLine("Incident Reduction", 1_000_000))
    return p


def _commands() -> list[Command]:
    new_wave = Wave("wave-09", "New", "core", date(2027, 6, 1), date(2027, 6, 30), members=[k("f")])
    return [
        AssignWorkloads([k("d"), k("b")], "wave-01"),
        AssignWorkloads([k("a")], "wave-02"),
        UnassignWorkloads([k("b"), k("e")]),
        AddWave(new_wave),
        AddWave(new_wave, position=0),
        RemoveWave("wave-02"),
        RenameWave("wave-01", "Pilot renamed"),
        RescheduleWave("wave-02", date(2027, 4, 15), date(2027, 5, 20)),
        SetWaveTargets("wave-02", mode="ambient", mtls="STRICT"),
        AddPhase(Phase("opt", "Optimization", date(2027, 10, 1), date(2027, 12, 31))),
        AddPhase(Phase("first", "First", date(2026, 10, 1), date(2026, 12, 31)), position=0),
        RemovePhase("empty"),
        RenamePhase("pilot", "Pilot services"),
        ReschedulePhase("core", date(2027, 4, 1), date(2027, 9, 30)),
        SetAssumption("discount_rate", 0.08),
        SetAssumption("ramp.kind", "linear"),
        SetAssumption("cost_lines[Platform Team].annual", 900_000),
        SetAssumption("horizon_months", 48),
        AddDependency(Edge(k("c"), k("d"), [Evidence("manual", "by hand")], 1.0, manual=True)),
        AddDependency(Edge(k("a"), k("b"), [Evidence("manual", "confirmed")], 1.0, manual=True)),
        RemoveDependency(k("a"), k("b")),
        Macro([AssignWorkloads([k("e")], "wave-01"), RenameWave("wave-01", "X")], "two"),
    ]


@pytest.mark.parametrize("command", _commands(), ids=lambda c: type(c).__name__)
def test_do_changes_and_undo_restores(plan: Plan, command: Command) -> None:
    before = copy.deepcopy(plan)
    change = command.do(plan)
    assert plan != before, "do() must change the plan"
    assert change.areas
    command.undo(plan)
    assert plan == before
    assert plan.schedule.assigned() == before.schedule.assigned()
    # redo after undo gives the same result as the first do
    command.do(plan)
    after_redo = copy.deepcopy(plan)
    command.undo(plan)
    command.do(plan)
    assert plan == after_redo


def test_assign_moves_between_waves_and_undo_restores_position(plan: Plan) -> None:
    plan.schedule.assign(k("d"), "wave-02")
    assert plan.schedule.wave("wave-02").members == [k("b"), k("c"), k("d")]
    cmd = AssignWorkloads([k("c")], "wave-01")
    cmd.do(plan)
    assert plan.schedule.wave_of(k("c")) == "wave-01"
    assert plan.schedule.wave("wave-02").members == [k("b"), k("d")]
    cmd.undo(plan)
    assert plan.schedule.wave("wave-02").members == [k("b"), k("c"), k("d")]


def test_workload_in_at_most_one_wave(plan: Plan) -> None:
    with pytest.raises(ScheduleError, match="already in wave"):
        AddWave(
            Wave("wave-03", "dup", "core", date(2027, 5, 1), date(2027, 5, 2), members=[k("a")])
        ).do(plan)


@pytest.mark.parametrize(
    "command, message",
    [
        (AssignWorkloads([k("zzz")], "wave-01"), "no workload"),
        (AssignWorkloads([k("a")], "wave-77"), "no wave"),
        (RescheduleWave("wave-01", date(2027, 3, 1), date(2027, 2, 1)), "before start"),
        (RemovePhase("pilot"), "still holds wave-01"),
        (SetAssumption("ramp.kind", "sideways"), "must be one of"),
        (SetAssumption("nonsense.path", 1), "no assumption"),
        (SetAssumption("horizon_months", 12.5), "whole number"),
        (SetAssumption("discount_rate", float("nan")), "finite"),
        (RemoveDependency(k("e"), k("f")), "no dependency"),
        (AddDependency(Edge(k("a"), k("a"))), "itself"),
        (SetWaveTargets("wave-01", mode="proxyless"), "data-plane mode"),
        (RenameWave("wave-01", "  "), "needs a name"),
    ],
)
def test_invalid_edits_raise_clear_errors_and_change_nothing(
    plan: Plan, command: Command, message: str
) -> None:
    before = copy.deepcopy(plan)
    with pytest.raises(WorkbenchError, match=message):
        command.do(plan)
    assert plan == before


def test_macro_rolls_back_when_a_step_fails(plan: Plan) -> None:
    before = copy.deepcopy(plan)
    macro = Macro([AssignWorkloads([k("e")], "wave-01"), AssignWorkloads([k("f")], "nope")])
    with pytest.raises(ScheduleError):
        macro.do(plan)
    assert plan == before


def test_consecutive_reschedules_merge_into_one_undo_step(plan: Plan) -> None:
    original = (plan.schedule.wave("wave-01").start, plan.schedule.wave("wave-01").end)
    first = RescheduleWave("wave-01", date(2027, 1, 11), date(2027, 2, 11))
    first.do(plan)
    for day in range(12, 20):
        step = RescheduleWave("wave-01", date(2027, 1, day), date(2027, 2, day))
        step.do(plan)
        assert first.merge_key() == step.merge_key()
        assert first.merge(step)
    assert not first.merge(RescheduleWave("wave-02", date(2027, 4, 1), date(2027, 5, 1)))
    assert plan.schedule.wave("wave-01").start == date(2027, 1, 19)
    first.undo(plan)
    assert (plan.schedule.wave("wave-01").start, plan.schedule.wave("wave-01").end) == original


def test_assumption_edits_merge_and_undo_to_the_first_value(plan: Plan) -> None:
    first = SetAssumption("discount_rate", 0.09)
    first.do(plan)
    later = SetAssumption("discount_rate", 0.07)
    later.do(plan)
    assert first.merge(later)
    assert plan.assumptions.discount_rate == 0.07
    first.undo(plan)
    assert plan.assumptions.discount_rate == 0.10
