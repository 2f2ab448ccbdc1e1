"""Investment metrics over a monthly cash flow.

Cash-timing convention: every month's cash (including month 1's one-time amounts)
lands at the **end** of that month. NPV discounts month m by (1 + i)^m with the
monthly rate i = (1 + r)^(1/12) - 1 for the annual rate r, so twelve months discount
exactly by (1 + r). IRR is the monthly rate that zeroes that NPV, annualised as
(1 + i)^12 - 1. Payback treats a month's cash as flowing evenly through it and
interpolates the cumulative net linearly: the payback month is the point after which
the cumulative net never falls below zero again (0.0 if it never does; None if it is
still negative at the end of the horizon).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def monthly_rate(annual_rate: float) -> float:
    return float((1.0 + annual_rate) ** (1.0 / 12.0) - 1.0)


def discount_factors(annual_rate: float, months: int) -> FloatArray:
    """1 / (1 + i)^m for m = 1..months."""
    i = monthly_rate(annual_rate)
    return np.asarray((1.0 + i) ** -np.arange(1, months + 1, dtype=np.float64))


def npv(annual_rate: float, flows: FloatArray) -> float:
    return float(np.asarray(flows, dtype=np.float64) @ discount_factors(annual_rate, len(flows)))


def npv_many(annual_rate: float, flows: FloatArray) -> FloatArray:
    """NPV of each row of a (draws, months) matrix."""
    return np.asarray(flows @ discount_factors(annual_rate, flows.shape[1]))


def _value(flows: list[float], growth: float) -> float:
    """NPV at a monthly growth factor g = 1 + i (Horner from the last month)."""
    acc = 0.0
    for f in reversed(flows):
        acc = (acc + f) / growth
    return acc


_GROWTH = np.geomspace(1e-3, 1e3, 1201)  # 1 + i from -99.9% to +99,900% a month


@functools.lru_cache(maxsize=8)
def _discount_grid(months: int) -> FloatArray:
    """(growth factors, months): g^-m, the discount factors the root scan evaluates."""
    with np.errstate(over="ignore"):
        return np.asarray(_GROWTH[:, None] ** -np.arange(1, months + 1, dtype=np.float64)[None, :])


def irr_monthly(flows: FloatArray) -> float | None:
    """The monthly rate zeroing the NPV; the root nearest zero if several; None if none."""
    values = [float(f) for f in flows]
    if not any(v > 0 for v in values) or not any(v < 0 for v in values):
        return None
    g = _GROWTH
    with np.errstate(over="ignore", invalid="ignore"):
        v = _discount_grid(len(values)) @ np.asarray(values)
        a, b = v[:-1], v[1:]
        finite = np.isfinite(a) & np.isfinite(b)
        hits = np.flatnonzero(finite & ((a == 0.0) | (a * b < 0.0)))
    roots: list[float] = []
    for k in hits.tolist():
        if v[k] == 0.0:
            roots.append(float(g[k]))
        else:
            roots.append(_bisect(values, float(g[k]), float(g[k + 1])))
    if not roots:
        return None
    return min((r - 1.0 for r in roots), key=abs)


def _bisect(values: list[float], lo: float, hi: float) -> float:
    f_lo = _value(values, lo)
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        f_mid = _value(values, mid)
        if f_mid == 0.0 or hi - lo <= 1e-15 * mid:
            return mid
        if (f_mid < 0.0) == (f_lo < 0.0):
            lo, f_lo = mid, f_mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def irr(flows: FloatArray) -> float | None:
    """Annualised IRR of a monthly cash flow, or None when the NPV has no root."""
    i = irr_monthly(flows)
    return None if i is None else float((1.0 + i) ** 12 - 1.0)


def mirr(flows: FloatArray, annual_rate: float) -> float | None:
    """Modified IRR a year: negative flows financed and positive flows reinvested at the
    discount rate (monthly, flows at months 1..n, time 0 the start), annualised.

    Equals ``(1 + numpy_financial.mirr([0, *flows], i, i))**12 - 1`` with i the monthly
    rate; None when the flows do not change sign.
    """
    values = np.asarray(flows, dtype=np.float64)
    n = len(values)
    if n == 0 or not (values > 0).any() or not (values < 0).any():
        return None
    i = monthly_rate(annual_rate)
    disc = discount_factors(annual_rate, n)
    pv_pos = float(np.where(values > 0, values, 0.0) @ disc)
    pv_neg = float(np.where(values < 0, values, 0.0) @ disc)
    monthly = (1.0 + i) * (pv_pos / -pv_neg) ** (1.0 / n) - 1.0
    return float((1.0 + monthly) ** 12 - 1.0)


IRR_PLAIN_LIMIT = 1.0  # above 100% a year, IRR is shown with a caveat


def irr_caveat(irr_value: float | None) -> str:
    """A plain label for an IRR finance would question; empty when none is needed."""
    if irr_value is None:
        return "no IRR: the net cash flow never changes sign"
    if irr_value > IRR_PLAIN_LIMIT:
        return (
            "IRR above 100% a year: small early outlays against large later returns; "
            "MIRR (reinvested at the discount rate) is the figure to compare"
        )
    return ""


def months_text(count: float) -> str:
    """'1 month', '2 months', '15.8 months'."""
    if float(count).is_integer():
        n = int(count)
        return f"{n} month" if n == 1 else f"{n} months"
    return f"{count:.1f} months"


def payback_text(value: float | None, horizon: int | None = None) -> str:
    """Payback in words: no 'never months', no 'month 0.0'."""
    if value is None:
        span = f"the {horizon}-month horizon" if horizon else "the horizon"
        return f"no payback within {span}"
    if value <= 0.0:
        return "from the start (the cumulative net never falls below zero)"
    return f"{value:.1f} months"


def payback_many(flows: FloatArray) -> FloatArray:
    """Fractional payback month of each row of a (draws, months) matrix; NaN for none."""
    flows = np.atleast_2d(flows)
    draws, months = flows.shape
    cum = np.hstack([np.zeros((draws, 1)), np.cumsum(flows, axis=1)])
    negative = cum < 0.0
    any_neg = negative.any(axis=1)
    last_neg = months - np.argmax(negative[:, ::-1], axis=1)  # index of the last negative
    k = np.clip(last_neg, 0, months - 1) if months else last_neg
    rows = np.arange(draws)
    before = cum[rows, k]
    after = cum[rows, np.minimum(k + 1, months)]
    with np.errstate(divide="ignore", invalid="ignore"):
        result = k + (-before) / (after - before)
    result = np.where(any_neg, result, 0.0)
    still_negative = cum[:, -1] < 0.0
    return np.where(still_negative, np.nan, result)


def payback(flows: FloatArray) -> float | None:
    value = float(payback_many(np.asarray(flows, dtype=np.float64))[0])
    return None if math.isnan(value) else value


@dataclass(frozen=True, slots=True)
class Metrics:
    total_cost: float
    total_benefit: float
    net_benefit: float
    roi: float | None  # net / cost; None without costs
    npv: float
    irr: float | None  # a year
    payback_months: float | None
    mirr: float | None = None  # a year, financed and reinvested at the discount rate


def metrics(costs: FloatArray, benefits: FloatArray, annual_rate: float) -> Metrics:
    """Metrics of monthly cost and benefit totals (both positive amounts)."""
    net = benefits - costs
    total_cost = float(costs.sum())
    total_benefit = float(benefits.sum())
    return Metrics(
        total_cost=total_cost,
        total_benefit=total_benefit,
        net_benefit=total_benefit - total_cost,
        roi=(total_benefit - total_cost) / total_cost if total_cost else None,
        npv=npv(annual_rate, net),
        irr=irr(net),
        payback_months=payback(net),
        mirr=mirr(net, annual_rate),
    )
