"""Cash flow and investment metrics: the seed's reference case and an independent check."""

from __future__ import annotations

import math

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.domain.economics_fixtures import seed_assumptions
from workbench.domain.assumptions import BenefitLine, CostLine, Ramp
from workbench.domain.economics.cashflow import (
    COMPUTED_INFRASTRUCTURE,
    EconomicsError,
    cash_flow,
    compile_inputs,
    ramp_curve,
)
from workbench.domain.economics.metrics import irr, irr_monthly, metrics, monthly_rate, npv, payback


def _metrics(a):  # type: ignore[no-untyped-def]
    flow = cash_flow(compile_inputs(a))
    return metrics(flow.cost_total, flow.benefit_total, a.discount_rate), flow


def test_seed_playbook_full_ramp() -> None:
    m, flow = _metrics(seed_assumptions(Ramp("full")))
    assert m.total_cost == pytest.approx(7_050_000, abs=1e-6)
    assert m.total_benefit == pytest.approx(16_500_000, abs=1e-6)
    assert round(m.roi, 4) == 1.3404
    assert flow.costs[:, 0].sum() == pytest.approx(2_100_000 + 1_650_000 / 12)
    assert flow.costs[:, 1].sum() == pytest.approx(1_650_000 / 12)


def test_seed_playbook_ramp_with_migration() -> None:
    m, _ = _metrics(seed_assumptions(Ramp("linear", 14)))
    assert 15.5 <= m.payback_months <= 17
    assert 0.85 <= m.roi <= 0.95
    # worked by hand: 14-month ramp gives 3,437,500 then 22 full months
    assert m.total_benefit == pytest.approx(5_500_000 / 12 * (105 / 14 + 22))


def test_risk_adjustment_lowers_benefits_and_raises_costs() -> None:
    a = seed_assumptions()
    a.risk_adjustment = 0.2
    inputs = compile_inputs(a)
    plain, risky = cash_flow(inputs), cash_flow(inputs, risk_adjusted=True)
    assert risky.cost_total.sum() == pytest.approx(plain.cost_total.sum() * 1.2)
    assert risky.benefit_total.sum() == pytest.approx(plain.benefit_total.sum() * 0.8)


def test_computed_infrastructure_replaces_the_line_annual_amount() -> None:
    a = seed_assumptions()
    a.infrastructure = "computed"
    series = np.full(a.horizon_months, 1000.0)
    inputs = compile_inputs(a, infrastructure_monthly=series)
    flow = cash_flow(inputs)
    i = inputs.cost_names.index("Infrastructure")
    assert flow.costs[i, 0] == pytest.approx(200_000 + 1000)
    assert flow.costs[i, 5] == pytest.approx(1000)
    a.cost_lines = [c for c in a.cost_lines if c.name != "Infrastructure"]
    assert COMPUTED_INFRASTRUCTURE in compile_inputs(a, infrastructure_monthly=series).cost_names


def test_ramps() -> None:
    assert list(ramp_curve("linear", 4, 6, None)) == [0.25, 0.5, 0.75, 1, 1, 1]
    assert list(ramp_curve("full", 4, 3, None)) == [1, 1, 1]
    with pytest.raises(EconomicsError):
        ramp_curve("sudden", 1, 3, None)


def test_bad_assumptions_are_user_errors() -> None:
    a = seed_assumptions()
    a.horizon_months = 0
    with pytest.raises(EconomicsError, match="horizon"):
        compile_inputs(a)


def test_payback_conventions() -> None:
    assert payback(np.array([-100.0, 50.0, 100.0])) == pytest.approx(2.5)
    assert payback(np.array([10.0, 10.0])) == 0.0
    assert payback(np.array([-100.0, 50.0])) is None
    # dips below zero again: payback is the last crossing
    assert payback(np.array([-10.0, 20.0, -20.0, 20.0])) == pytest.approx(3.5)


def test_npv_convention_cash_at_month_end() -> None:
    flows = np.array([0.0] * 11 + [110.0])
    assert npv(0.10, flows) == pytest.approx(100.0)
    assert monthly_rate(0.10) == pytest.approx(1.1 ** (1 / 12) - 1)


amounts = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(amounts, min_size=1, max_size=48),
    st.floats(min_value=-0.5, max_value=2.0),
)
def test_npv_matches_numpy_financial(flows: list[float], rate: float) -> None:
    ours = npv(rate, np.array(flows))
    theirs = npf.npv(monthly_rate(rate), [0.0, *flows])
    assert ours == pytest.approx(theirs, rel=1e-6, abs=1e-6)


@settings(max_examples=150, deadline=None)
@given(
    st.floats(min_value=1e4, max_value=1e7),
    st.lists(st.integers(min_value=0, max_value=10**6).map(float), min_size=2, max_size=48),
)
def test_irr_matches_numpy_financial(invest: float, returns: list[float]) -> None:
    assume(sum(returns) >= 0.2 * invest)  # an IRR above -100% a month, away from the edge
    flows = np.array([-invest, *returns])
    theirs = npf.irr(flows)
    ours = irr_monthly(flows)
    if math.isnan(theirs):
        # numpy-financial gives up on ill-conditioned polynomials; check the root directly
        assert ours is not None
        assert abs(npf.npv(ours, flows)) <= 1e-6 * np.abs(flows).max()
        return
    assert ours is not None
    assert ours == pytest.approx(theirs, rel=1e-6, abs=1e-9)
    assert irr(flows) == pytest.approx((1 + theirs) ** 12 - 1, rel=1e-6, abs=1e-9)


def test_irr_none_without_sign_change() -> None:
    assert irr(np.array([1.0, 2.0])) is None
    assert irr(np.array([-1.0, -2.0])) is None


@settings(max_examples=60, deadline=None)
@given(st.floats(min_value=1.0, max_value=3.0), st.sampled_from(["full", "linear"]))
def test_more_benefit_gives_higher_roi(factor: float, kind: str) -> None:
    a = seed_assumptions(Ramp(kind, 14))
    base, _ = _metrics(a)
    a.benefit_lines.append(BenefitLine("Extra", 100_000 * factor))
    more, _ = _metrics(a)
    assert more.roi > base.roi
    assert more.npv > base.npv


@settings(max_examples=40, deadline=None)
@given(st.floats(min_value=1.0, max_value=1e6))
def test_more_cost_gives_lower_roi(extra: float) -> None:
    a = seed_assumptions()
    base, _ = _metrics(a)
    a.cost_lines.append(CostLine("Extra", extra, 0.0))
    more, _ = _metrics(a)
    assert more.roi < base.roi
