"""Tornado, Monte Carlo and scenarios side by side."""

from __future__ import annotations

import pytest

from tests.domain.economics_fixtures import seed_assumptions
from workbench.domain.assumptions import Ramp, Scenario
from workbench.domain.economics.cashflow import EconomicsError, cash_flow, compile_inputs
from workbench.domain.economics.metrics import metrics, npv
from workbench.domain.economics.montecarlo import monte_carlo
from workbench.domain.economics.scenarios import compare_scenarios
from workbench.domain.economics.sensitivity import tornado


def test_tornado_ranks_by_npv_swing() -> None:
    a = seed_assumptions(Ramp("linear", 14))
    inputs = compile_inputs(a)
    bars = tornado(inputs, 0.1, "linear", 14)
    swings = [b.swing for b in bars]
    assert swings == sorted(swings, reverse=True)
    benefits = [b for b in bars if b.path and b.path.startswith("benefit_lines")]
    assert benefits[0].label == "Development Velocity"  # the largest line
    base = npv(a.discount_rate, cash_flow(inputs).net)
    top = benefits[0]
    assert top.npv_low < base < top.npv_high
    platform = next(b for b in bars if b.path == "cost_lines[Platform Team].annual")
    assert platform.npv_high < base < platform.npv_low
    assert any(b.path == "ramp.months" for b in bars)
    # moving one benefit line by 10% moves NPV by 10% of its discounted stream
    line = next(b for b in bars if b.path == "benefit_lines[Better Performance].annual")
    assert line.swing == pytest.approx(top.swing / 3, rel=1e-9)


def test_monte_carlo_is_reproducible_and_ordered() -> None:
    a = seed_assumptions(Ramp("linear", 14))
    inputs = compile_inputs(a)
    one = monte_carlo(inputs, a, draws=2000, seed=7)
    assert one == monte_carlo(inputs, a, draws=2000, seed=7)
    assert one != monte_carlo(inputs, a, draws=2000, seed=8)
    assert one.npv_p10 < one.npv_p50 < one.npv_p90
    assert one.payback_p10 is not None and one.payback_p90 is not None
    assert one.payback_p10 <= one.payback_p50 <= one.payback_p90
    # the default ranges are centred: the point estimate sits between P10 and P90, and
    # the mean of the draws near it
    point = metrics(cash_flow(inputs).cost_total, cash_flow(inputs).benefit_total, 0.1).npv
    assert one.npv_p10 < point < one.npv_p90
    assert abs(one.npv_mean - point) < 0.05 * (one.npv_p90 - one.npv_p10)


def test_monte_carlo_without_spread_gives_the_point_estimate() -> None:
    a = seed_assumptions()
    s = a.monte_carlo
    s.cost_low = s.cost_high = s.benefit_low = s.benefit_high = 1.0
    inputs = compile_inputs(a)
    mc = monte_carlo(inputs, a, draws=100)
    assert mc.npv_p10 == pytest.approx(npv(0.1, cash_flow(inputs).net))
    assert mc.npv_p90 == pytest.approx(mc.npv_p10)


def test_monte_carlo_rejects_a_bad_range() -> None:
    a = seed_assumptions()
    a.cost_lines[0].range_low = 1.2
    with pytest.raises(EconomicsError, match="Platform Team"):
        monte_carlo(compile_inputs(a), a, draws=10)


def test_scenarios_side_by_side() -> None:
    a = seed_assumptions()
    scenarios = [
        Scenario("playbook"),
        Scenario("ramp-with-migration", overrides={"ramp.kind": "linear", "ramp.months": 14}),
    ]

    def run(x):  # type: ignore[no-untyped-def]
        flow = cash_flow(compile_inputs(x))
        m = metrics(flow.cost_total, flow.benefit_total, x.discount_rate)
        return m, m

    rows = compare_scenarios(a, scenarios, run)
    assert [r.name for r in rows] == ["", "playbook", "ramp-with-migration"]
    assert round(rows[1].metrics.roi, 4) == 1.3404
    assert 15.5 <= rows[2].metrics.payback_months <= 17
    assert a.ramp.kind == "full"  # the base is untouched
