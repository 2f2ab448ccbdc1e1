"""Monte Carlo over the cost and benefit lines: P10/P50/P90 of NPV and payback.

Each line's amounts (computed series included) are multiplied by its own draw from a
triangular distribution with mode 1.0 between the line's range, or the plan-wide
default for costs, benefits or computed infrastructure. The defaults are centred
(mean 1.0), so the expectation equals the deterministic case unless a user skews a
range; :func:`headline_note` says which it is. A seeded
``numpy.random.Generator`` makes a run reproducible; all draws are evaluated at once as
matrices. The result keeps every draw's NPV (``npv_draws``) for a histogram.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from workbench.domain.assumptions import Assumptions
from workbench.domain.economics.cashflow import (
    COMPUTED_INFRASTRUCTURE,
    COMPUTED_OBSERVABILITY,
    CashFlowInputs,
    EconomicsError,
)
from workbench.domain.economics.metrics import FloatArray, npv_many, payback_many

COMPUTED_LINES = frozenset({COMPUTED_INFRASTRUCTURE, COMPUTED_OBSERVABILITY})


@dataclass(frozen=True, slots=True)
class MonteCarloResult:
    draws: int
    seed: int
    npv_p10: float
    npv_p50: float
    npv_p90: float
    payback_p10: float | None  # None: beyond the horizon at that percentile
    payback_p50: float | None
    payback_p90: float | None
    probability_npv_positive: float
    probability_payback: float  # share of draws that pay back within the horizon
    npv_mean: float = 0.0  # the expectation over the draws
    probability_npv_negative: float = 0.0
    cost_multiplier: float = 1.0  # the ranges' mean multiplier, weighted by amount
    benefit_multiplier: float = 1.0
    # every draw's NPV, in draw order (read-only), for a histogram; not compared
    npv_draws: FloatArray = field(default_factory=lambda: np.zeros(0), compare=False, repr=False)


def _triangular(
    rng: np.random.Generator, lows: FloatArray, highs: FloatArray, draws: int
) -> FloatArray:
    out = np.ones((draws, len(lows)))
    spread = highs > lows
    if spread.any():
        lo, hi = lows[spread], highs[spread]
        out[:, spread] = rng.triangular(lo, np.ones_like(lo), hi, size=(draws, len(lo)))
    return out


def _checked(name: str, lo: float, hi: float) -> tuple[float, float]:
    if not 0.0 <= lo <= 1.0 <= hi:
        raise EconomicsError(
            f"Monte Carlo range of {name!r} must satisfy 0 <= low <= 1 <= high (got {lo}..{hi})"
        )
    return lo, hi


@dataclass(frozen=True, slots=True)
class LineRanges:
    """Each cost and benefit row's range as multipliers (low, high), in input order."""

    cost_low: FloatArray
    cost_high: FloatArray
    benefit_low: FloatArray
    benefit_high: FloatArray


def line_ranges(inputs: CashFlowInputs, a: Assumptions) -> LineRanges:
    """A line's own range where it has one; else the default for computed series
    (infrastructure) or for costs and benefits."""
    s = a.monte_carlo
    own = {c.name: (c.range_low, c.range_high) for c in a.cost_lines}
    costs = []
    for i, name in enumerate(inputs.cost_names):
        lo, hi = own.get(name, (None, None))
        computed = name in COMPUTED_LINES or (
            inputs.cost_series[i].any() and name in own and not inputs.cost_annual[i]
        )
        d_lo, d_hi = (
            (s.infrastructure_low, s.infrastructure_high) if computed else (s.cost_low, s.cost_high)
        )
        costs.append(_checked(name, d_lo if lo is None else lo, d_hi if hi is None else hi))
    benefits = []
    for b in a.benefit_lines[: len(inputs.benefit_names)]:
        lo = s.benefit_low if b.range_low is None else b.range_low
        hi = s.benefit_high if b.range_high is None else b.range_high
        benefits.append(_checked(b.name, lo, hi))
    c = np.array(costs, dtype=np.float64).reshape(-1, 2)
    b_arr = np.array(benefits, dtype=np.float64).reshape(-1, 2)
    return LineRanges(c[:, 0], c[:, 1], b_arr[:, 0], b_arr[:, 1])


def _expected(lows: FloatArray, highs: FloatArray, amounts: FloatArray) -> float:
    """The amount-weighted mean multiplier of triangular (low, 1, high) draws."""
    total = float(amounts.sum())
    if not total:
        return 1.0
    return float(((lows + 1.0 + highs) / 3.0) @ amounts / total)


def _percentile(values: FloatArray, q: float) -> float | None:
    v = float(np.quantile(values, q, method="inverted_cdf"))
    return None if not np.isfinite(v) else v


def monte_carlo(
    inputs: CashFlowInputs, a: Assumptions, draws: int | None = None, seed: int | None = None
) -> MonteCarloResult:
    s = a.monte_carlo
    draws = s.draws if draws is None else draws
    seed = s.seed if seed is None else seed
    if draws <= 0:
        raise EconomicsError(f"Monte Carlo needs at least one draw (draws is {draws})")
    rng = np.random.default_rng(seed)
    n = inputs.months
    r = line_ranges(inputs, a)
    mc = _triangular(rng, r.cost_low, r.cost_high, draws)
    mb = _triangular(rng, r.benefit_low, r.benefit_high, draws)
    base = np.repeat((inputs.cost_annual / 12.0)[:, None], n, axis=1) + inputs.cost_series
    base[:, 0] += inputs.cost_one_time
    costs = mc @ base
    benefits = ((mb @ inputs.benefit_annual) / 12.0)[:, None] * inputs.ramp[None, :]
    net = benefits - costs
    values = npv_many(inputs.discount_rate, net)
    values.setflags(write=False)  # shared with the views, possibly across threads
    paybacks = payback_many(net)
    paid = np.isfinite(paybacks)
    sortable = np.where(paid, paybacks, np.inf)
    p10, p50, p90 = (float(x) for x in np.quantile(values, [0.1, 0.5, 0.9]))
    cost_amounts = base.sum(axis=1)
    benefit_amounts = inputs.benefit_annual * float(inputs.ramp.sum()) / 12.0
    return MonteCarloResult(
        npv_mean=float(values.mean()),
        probability_npv_negative=float((values < 0).mean()),
        cost_multiplier=_expected(r.cost_low, r.cost_high, cost_amounts),
        benefit_multiplier=_expected(r.benefit_low, r.benefit_high, benefit_amounts),
        draws=draws,
        seed=seed,
        npv_p10=p10,
        npv_p50=p50,
        npv_p90=p90,
        payback_p10=_percentile(sortable, 0.1),
        payback_p50=_percentile(sortable, 0.5),
        payback_p90=_percentile(sortable, 0.9),
        probability_npv_positive=float((values > 0).mean()),
        probability_payback=float(paid.mean()),
        npv_draws=values,
    )


def headline_note(deterministic_npv: float, mc: MonteCarloResult) -> str:
    """One sentence on why the Monte Carlo expectation differs from the deterministic NPV."""
    skew = abs(mc.cost_multiplier - 1.0) > 1e-6 or abs(mc.benefit_multiplier - 1.0) > 1e-6
    if skew:
        return (
            "The ranges are skewed: costs are expected at "
            f"x{mc.cost_multiplier:.2f} and benefits at x{mc.benefit_multiplier:.2f} of the "
            "deterministic case, so the expectation differs from it."
        )
    gap = mc.npv_mean - deterministic_npv
    return (
        "The ranges are centred on the deterministic figures, so the expectation matches "
        f"the deterministic case up to sampling noise ({gap:+,.0f} over {mc.draws:,} draws); "
        "P10 and P90 show the spread."
    )
