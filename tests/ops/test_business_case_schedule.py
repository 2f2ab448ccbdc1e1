"""The auto-plan's schedule and the business metadata feed the estate business case:
a slower team (fewer waves at once, a freeze) costs more and pays back later; training
is counted per owner team."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import date

import numpy as np

from workbench.domain.business import BusinessInfo
from workbench.domain.commands_business import SetBusinessInfo
from workbench.domain.economics.estate_case import PLATFORM_TEAM, TRAINING, programme_end
from workbench.domain.economics.model import BasisCache
from workbench.domain.plan import Plan
from workbench.domain.planning.autoplan import AutoPlanOptions
from workbench.ops.economics import compute
from workbench.ops.generate import generate_plan
from workbench.ops.planning import propose_plan


def _line(plan: Plan, name: str, cache: BasisCache | None = None) -> float:
    result = compute(plan, cache=cache or BasisCache())
    names = result.evaluation.inputs.cost_names
    return float(result.evaluation.cash_flow.costs[names.index(name)].sum())


def _planned(plan: Plan, options: AutoPlanOptions) -> Plan:
    copy_ = copy.deepcopy(plan)
    propose_plan(copy_, options).command().do(copy_)
    return copy_


def test_a_stretched_auto_plan_costs_more_and_pays_back_later() -> None:
    estate = generate_plan(900, clusters=2, seed=6)
    fast = _planned(estate, AutoPlanOptions(keep_assignments=False, parallel=4))
    slow = _planned(
        estate,
        AutoPlanOptions(
            keep_assignments=False,
            parallel=1,
            freezes=((date(2027, 11, 15), date(2028, 1, 15)),),
        ),
    )
    end_fast, end_slow = programme_end(fast.schedule), programme_end(slow.schedule)
    assert end_fast is not None and end_slow is not None
    assert (end_slow - end_fast).days > 90  # a multi-month difference in length
    a = compute(fast, cache=BasisCache())
    b = compute(slow, cache=BasisCache())
    assert a.assumptions.case == b.assumptions.case == "estate"
    assert _line(slow, PLATFORM_TEAM) > _line(fast, PLATFORM_TEAM) * 1.1
    assert b.metrics.total_cost > a.metrics.total_cost
    assert b.metrics.npv < a.metrics.npv
    assert a.metrics.payback_months is not None and b.metrics.payback_months is not None
    assert b.metrics.payback_months > a.metrics.payback_months


def test_training_is_counted_per_owner_team_and_follows_a_metadata_import() -> None:
    plan = _planned(generate_plan(300, clusters=1, seed=7), AutoPlanOptions(parallel=3))
    cache = BasisCache()
    rate = compute(plan, cache=cache).assumptions.estate_case.training_per_namespace
    by_namespace = _line(plan, TRAINING, cache)
    scheduled = {k for w in plan.schedule.waves for k in w.members}
    spaces = {plan.inventory.workloads[k].namespace_key for k in scheduled}
    assert np.isclose(by_namespace, rate * len(spaces))
    owners = {
        k: BusinessInfo(owner=("payments", "search")[i % 2])
        for i, k in enumerate(plan.inventory.workloads)
    }
    command = SetBusinessInfo(owners)
    command.do(plan)
    assert np.isclose(_line(plan, TRAINING, cache), rate * 2)  # two teams, same cache
    command.undo(plan)
    assert np.isclose(_line(plan, TRAINING, cache), by_namespace)


def test_a_teams_throughput_limit_lengthens_the_programme_and_its_cost() -> None:
    estate = generate_plan(500, clusters=1, seed=9)
    for key in sorted(estate.inventory.workloads)[::2]:
        estate.business[key] = BusinessInfo(owner="team-a")
    options = AutoPlanOptions(keep_assignments=False, parallel=4, max_workloads=20)
    free = _planned(estate, options)
    held = _planned(estate, replace(options, team_parallel=(("team-a", 1),)))
    end_free, end_held = programme_end(free.schedule), programme_end(held.schedule)
    assert end_free is not None and end_held is not None and end_held > end_free
    assert _line(held, PLATFORM_TEAM) > _line(free, PLATFORM_TEAM)
    a, b = compute(free, cache=BasisCache()), compute(held, cache=BasisCache())
    assert b.metrics.npv < a.metrics.npv
