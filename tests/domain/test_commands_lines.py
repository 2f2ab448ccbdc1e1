"""Line and scenario commands: do changes the plan, undo restores it exactly, bad edits refuse."""

from __future__ import annotations

import copy

import pytest

from workbench.domain.assumptions import BenefitLine, CostLine, Scenario
from workbench.domain.commands import Command
from workbench.domain.commands_lines import (
    AddBenefitLine,
    AddCostLine,
    LineEditError,
    RemoveBenefitLine,
    RemoveCostLine,
    RenameBenefitLine,
    RenameCostLine,
    SetActiveScenario,
)
from workbench.domain.defaults import playbook_assumptions
from workbench.domain.economics.model import BasisCache
from workbench.domain.plan import Plan
from workbench.ops.economics import compute


@pytest.fixture
def plan() -> Plan:
    return Plan(
        assumptions=playbook_assumptions(),
        scenarios=[
            Scenario("lean", "", {"cost_lines[Training].annual": 50_000.0, "discount_rate": 0.08}),
            Scenario("bold", "", {"benefit_lines[Incident Reduction].annual": 2_000_000.0}),
        ],
        active_scenario="lean",
    )


def round_trip(plan: Plan, command: Command) -> Plan:
    """Do, check it changed something, undo, check equality; return the plan as done."""
    before = copy.deepcopy(plan)
    change = command.do(plan)
    assert change.areas == {"assumptions"}
    done = copy.deepcopy(plan)
    assert done != before
    command.undo(plan)
    assert plan == before
    command.do(plan)  # redo gives the same result again
    assert plan == done
    return done


def test_add_cost_line_at_end_and_at_position(plan: Plan) -> None:
    done = round_trip(plan, AddCostLine(CostLine("Support", one_time=10.0, annual=120.0)))
    assert done.assumptions.cost_lines[-1] == CostLine("Support", 10.0, 120.0)
    first = round_trip(plan, AddCostLine(CostLine("Audit", annual=5.0), position=0))
    assert [c.name for c in first.assumptions.cost_lines][:2] == ["Audit", "Platform Team"]


def test_added_line_is_a_copy(plan: Plan) -> None:
    line = CostLine("Support", annual=1.0)
    AddCostLine(line).do(plan)
    line.annual = 99.0
    assert plan.assumptions.cost_lines[-1].annual == 1.0


def test_add_cost_line_moves_total_cost(plan: Plan) -> None:
    cache = BasisCache()
    base = compute(plan, None, cache=cache).metrics.total_cost
    AddCostLine(CostLine("Support", one_time=1_000.0, annual=12_000.0)).do(plan)
    after = compute(plan, None, cache=cache).metrics.total_cost
    assert after - base == pytest.approx(1_000.0 + 36_000.0 * 1.0)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (CostLine(""), "needs a name"),
        (CostLine("  "), "needs a name"),
        (CostLine("Training"), "already a cost line named 'Training'"),
        (CostLine("a[b]"), "cannot contain"),
        (CostLine("v1.2"), "cannot contain '.'"),
        (CostLine(" padded"), "starts or ends with a space"),
        (CostLine("Neg", annual=-1.0), "annual amount"),
        (CostLine("Neg", one_time=-5.0), "one-time amount"),
        (CostLine("Nan", annual=float("nan")), "annual amount"),
        (CostLine("Range", range_low=1.2), "0 <= low <= 1 <= high"),
        (CostLine("Range", range_high=0.5), "0 <= low <= 1 <= high"),
    ],
)
def test_add_cost_line_refuses_bad_lines(plan: Plan, line: CostLine, message: str) -> None:
    before = copy.deepcopy(plan)
    with pytest.raises(LineEditError, match=message.replace("[", r"\[")):
        AddCostLine(line).do(plan)
    assert plan == before


def test_add_line_refuses_position_out_of_range(plan: Plan) -> None:
    with pytest.raises(LineEditError, match="position 99"):
        AddBenefitLine(BenefitLine("X", annual=1.0), position=99).do(plan)


def test_remove_cost_line_takes_its_scenario_overrides_along(plan: Plan) -> None:
    done = round_trip(plan, RemoveCostLine("Training"))
    assert "Training" not in [c.name for c in done.assumptions.cost_lines]
    assert done.scenarios[0].overrides == {"discount_rate": 0.08}
    # the scenario still evaluates without the line
    compute(done, "lean", cache=BasisCache())


def test_remove_keeps_position_on_undo(plan: Plan) -> None:
    names = [c.name for c in plan.assumptions.cost_lines]
    cmd = RemoveCostLine(names[2])
    cmd.do(plan)
    cmd.undo(plan)
    assert [c.name for c in plan.assumptions.cost_lines] == names
    assert plan.scenarios[0].overrides["cost_lines[Training].annual"] == 50_000.0


def test_remove_unknown_line_refuses(plan: Plan) -> None:
    with pytest.raises(LineEditError, match="no benefit line named 'Nope'"):
        RemoveBenefitLine("Nope").do(plan)


def test_benefit_lines_add_remove(plan: Plan) -> None:
    done = round_trip(plan, AddBenefitLine(BenefitLine("Faster audits", 75_000.0, "Compliance")))
    assert done.assumptions.benefit_lines[-1].name == "Faster audits"
    done = round_trip(plan, RemoveBenefitLine("Incident Reduction"))
    assert done.scenarios[1].overrides == {}
    assert all(b.name != "Incident Reduction" for b in done.assumptions.benefit_lines)


def test_rename_carries_scenario_overrides(plan: Plan) -> None:
    done = round_trip(plan, RenameCostLine("Training", "Enablement"))
    assert [c.name for c in done.assumptions.cost_lines][2] == "Enablement"
    assert done.scenarios[0].overrides == {
        "cost_lines[Enablement].annual": 50_000.0,
        "discount_rate": 0.08,
    }
    compute(done, "lean", cache=BasisCache())
    done = round_trip(plan, RenameBenefitLine("Incident Reduction", "Fewer incidents"))
    assert "benefit_lines[Fewer incidents].annual" in done.scenarios[1].overrides


@pytest.mark.parametrize(("new", "message"), [("", "needs a name"), ("Platform Team", "already")])
def test_rename_refuses_bad_names(plan: Plan, new: str, message: str) -> None:
    before = copy.deepcopy(plan)
    with pytest.raises(LineEditError, match=message):
        RenameCostLine("Training", new).do(plan)
    assert plan == before


def test_rename_to_the_same_name_is_allowed(plan: Plan) -> None:
    RenameCostLine("Training", "Training").do(plan)
    assert plan.assumptions.cost_lines[2].name == "Training"


def test_set_active_scenario(plan: Plan) -> None:
    done = round_trip(plan, SetActiveScenario("bold"))
    assert done.active_scenario == "bold"
    done = round_trip(plan, SetActiveScenario(None))
    assert done.active_scenario is None


def test_set_active_scenario_changes_the_figures(plan: Plan) -> None:
    cache = BasisCache()
    lean = compute(plan, cache=cache).metrics.npv
    SetActiveScenario("bold").do(plan)
    bold = compute(plan, cache=cache).metrics.npv
    assert bold > lean


def test_set_unknown_scenario_refuses(plan: Plan) -> None:
    with pytest.raises(LineEditError, match=r"no scenario named .x.*lean, bold"):
        SetActiveScenario("x").do(plan)
    assert plan.active_scenario == "lean"
