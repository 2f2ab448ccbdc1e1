"""Monte Carlo over the cost and benefit lines: P10/P50/P90 of NPV and payback.

Each line's amounts are multiplied by a draw from a triangular distribution with mode
1.0 between the line's range (or the plan-wide default for costs or benefits); the
computed infrastructure and observability series share one more draw. A seeded
``numpy.random.Generator`` makes a run reproducible; all draws are evaluated at once as
matrices. The result keeps every draw's NPV (``npv_draws``) for a histogram.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from workbench.domain.assumptions import Assumptions
from workbench.domain.economics.cashflow import CashFlowInputs, EconomicsError
from workbench.domain.economics.metrics import FloatArray, npv_many, payback_many


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


def _ranges(
    names: tuple[str, ...], lines: list[tuple[float | None, float | None]], low: float, high: float
) -> tuple[FloatArray, FloatArray]:
    lows, highs = [], []
    for k, name in enumerate(names):
        lo, hi = lines[k] if k < len(lines) else (None, None)
        lo = low if lo is None else lo
        hi = high if hi is None else hi
        if not 0.0 <= lo <= 1.0 <= hi:
            raise EconomicsError(
                f"Monte Carlo range of {name!r} must satisfy 0 <= low <= 1 <= high (got {lo}..{hi})"
            )
        lows.append(lo)
        highs.append(hi)
    return np.array(lows), np.array(highs)


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
    c_lo, c_hi = _ranges(
        inputs.cost_names,
        [(c.range_low, c.range_high) for c in a.cost_lines],
        s.cost_low,
        s.cost_high,
    )
    b_lo, b_hi = _ranges(
        inputs.benefit_names,
        [(b.range_low, b.range_high) for b in a.benefit_lines],
        s.benefit_low,
        s.benefit_high,
    )
    i_lo, i_hi = _ranges(
        ("computed infrastructure",), [], s.infrastructure_low, s.infrastructure_high
    )
    mc = _triangular(rng, c_lo, c_hi, draws)
    mb = _triangular(rng, b_lo, b_hi, draws)
    mi = _triangular(rng, i_lo, i_hi, draws)[:, 0]
    base = np.repeat((inputs.cost_annual / 12.0)[:, None], n, axis=1)
    base[:, 0] += inputs.cost_one_time
    costs = mc @ base + mi[:, None] * inputs.cost_series.sum(axis=0)[None, :]
    benefits = ((mb @ inputs.benefit_annual) / 12.0)[:, None] * inputs.ramp[None, :]
    net = benefits - costs
    values = npv_many(inputs.discount_rate, net)
    values.setflags(write=False)  # shared with the views, possibly across threads
    paybacks = payback_many(net)
    paid = np.isfinite(paybacks)
    sortable = np.where(paid, paybacks, np.inf)
    p10, p50, p90 = (float(x) for x in np.quantile(values, [0.1, 0.5, 0.9]))
    return MonteCarloResult(
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
