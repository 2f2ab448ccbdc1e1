"""Monte Carlo over the cost and benefit lines: P10/P50/P90 of NPV and payback.

Each line's amounts (computed series included) are multiplied by its own draw from a
triangular distribution with mode 1.0 between the line's range, or the plan-wide
default for costs, benefits or computed infrastructure. The defaults are centred
(mean 1.0), so the expectation equals the deterministic case unless a user skews a
range; :func:`headline_note` says which it is. A seeded
``numpy.random.Generator`` makes a run reproducible. The result keeps every draw's NPV
(``npv_draws``) for a histogram.

Memory: the draws are evaluated a block at a time, a block sized so that each of its
matrices (draws x lines, draws x months) stays within :data:`BLOCK_BYTES`; only the
per-draw NPV and payback are kept (two floats a draw), so a run takes about a hundred MB
whatever the plan within :mod:`workbench.domain.limits`. The numbers are those of
evaluating every draw at once (as this module did before): the multipliers come from the
same random stream in the same order (every draw's cost multipliers first, then every
draw's benefit multipliers, as ``Generator.triangular`` drew them), each block reads its
own stretch of that stream, every per-draw figure is computed from its own row only, and
the blocks are cut where BLAS evaluates each row as it did in one matrix (:func:`_blocks`).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from workbench.domain.assumptions import Assumptions
from workbench.domain.economics.cashflow import (
    COMPUTED_INFRASTRUCTURE,
    COMPUTED_OBSERVABILITY,
    CashFlowInputs,
    EconomicsError,
)
from workbench.domain.economics.metrics import FloatArray, npv_many, payback_many

BoolArray = npt.NDArray[np.bool_]

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


BLOCK_BYTES = 32 * 2**20  # the budget of one matrix of a block of draws
BLOCK_ALIGN = 64  # every block starts on a multiple of this many draws


_CHUNK = 1 << 15  # random numbers transformed at a time (the buffers stay in cache)
_PAYBACK_ROWS = 512  # draws whose payback is found at a time (its temporaries stay small)
_SIGN = np.int64(-(2**63))  # the sign bit of a float64 seen as an int64
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class _Triangular:
    """Triangular (low, 1, high) multipliers of some lines, drawn a block of draws at a time.

    The values are bit for bit those of ``Generator.triangular(low, 1, high)`` over the
    same stretch of the stream: numpy's ``random_triangular`` uses one uniform double U
    (``Generator.random``'s) per value and returns ``low + sqrt(U * left)`` when
    ``U <= ratio``, else ``high - sqrt((1 - U) * right)``; this does the same IEEE
    operations on whole arrays, choosing the branch by bit masks (a ``where=`` pass costs
    as much as the rest together). Lines without a spread (low == high == 1) are 1.0 and
    use no random number, as before.
    """

    lines: int
    spread: BoolArray
    low: FloatArray  # of the spread lines
    high: FloatArray
    ratio: FloatArray  # (mode - low) / (high - low): the share left of the mode
    left: FloatArray  # (mode - low) * (high - low)
    right: FloatArray  # (high - mode) * (high - low)

    @property
    def width(self) -> int:
        """Random numbers a draw uses."""
        return int(self.low.shape[0])

    def sample(self, rng: np.random.Generator, draws: int) -> FloatArray:
        """The multipliers of the next ``draws`` draws: (draws, lines)."""
        width = self.width
        if not width:
            return np.ones((draws, self.lines))
        every = width == self.lines
        out = np.empty((draws, width)) if every else np.ones((draws, self.lines))
        rows = min(max(_CHUNK // width, 1), draws)
        u_buf, r_buf = np.empty(rows * width), np.empty(rows * width)
        t_buf = np.empty(0 if every else rows * width)
        low_bits = self.low.view(np.int64)
        flip = low_bits ^ self.high.view(np.int64)
        for start in range(0, draws, rows):
            stop = min(start + rows, draws)
            size = (stop - start) * width
            u = u_buf[:size].reshape(-1, width)
            r = r_buf[:size].reshape(-1, width)
            t = out[start:stop] if every else t_buf[:size].reshape(-1, width)
            rng.random(out=u)
            np.multiply(u, self.left, out=t)
            np.subtract(1.0, u, out=r)
            r *= self.right
            # ratio - U is negative exactly where U > ratio: a mask of ones on the right
            mask: IntArray = np.subtract(self.ratio, u, out=u).view(np.int64)
            mask >>= 63
            t_bits: IntArray = t.view(np.int64)
            r_bits: IntArray = r.view(np.int64)
            r_bits ^= t_bits
            r_bits &= mask
            t_bits ^= r_bits  # t: U * left on the left, (1 - U) * right on the right
            np.sqrt(t, out=t)
            np.bitwise_and(mask, flip, out=r_bits)
            r_bits ^= low_bits  # r: low on the left, high on the right
            mask &= _SIGN
            t_bits ^= mask  # t: the root on the left, minus the root on the right
            np.add(r, t, out=t)  # high - root is high + (-root) exactly
            if not every:
                out[start:stop, self.spread] = t
        return out


def _triangular(lows: FloatArray, highs: FloatArray) -> _Triangular:
    spread = highs > lows
    lo, hi = lows[spread], highs[spread]
    base = hi - lo
    leftbase = 1.0 - lo
    return _Triangular(
        lines=int(lows.shape[0]),
        spread=spread,
        low=lo,
        high=hi,
        ratio=leftbase / base,
        left=leftbase * base,
        right=(hi - 1.0) * base,
    )


def _blocks(draws: int, rows: int) -> list[tuple[int, int]]:
    """(start, stop) of each block: ``rows`` draws rounded up to a multiple of
    :data:`BLOCK_ALIGN`, a short last block (under half) joined to the one before.

    Why: BLAS evaluates a matrix product's rows in groups (four for a matrix-vector
    product) and a row left over after the last group, or a small product, may take
    another kernel whose last bit differs. With every block starting on a multiple of
    the group size, and no small block unless all the draws are few, each row is
    evaluated by the kernel that evaluated it when every draw was one matrix. (BLAS also
    splits a product between its threads; where a thread's share of that one matrix
    ended off a group, for draw counts not a multiple of eight per thread, its last bits
    depended on the machine's thread count already.)
    """
    rows = max(-(-rows // BLOCK_ALIGN), 1) * BLOCK_ALIGN
    edges = [*range(0, draws, rows), draws]
    if len(edges) > 2 and 2 * (edges[-1] - edges[-2]) < rows:
        del edges[-2]
    return list(itertools.pairwise(edges))


def block_rows(inputs: CashFlowInputs) -> int:
    """Draws in a block: each of its matrices (draws x lines, draws x months) within
    :data:`BLOCK_BYTES` (the last block may hold up to half as many again)."""
    width = max(len(inputs.cost_names), len(inputs.benefit_names), inputs.months + 1)
    rows = BLOCK_BYTES // (8 * width) // BLOCK_ALIGN * BLOCK_ALIGN
    return max(rows, BLOCK_ALIGN)


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
    inputs: CashFlowInputs,
    a: Assumptions,
    draws: int | None = None,
    seed: int | None = None,
    *,
    block: int | None = None,
) -> MonteCarloResult:
    """P10/P50/P90 of NPV and payback over ``draws`` draws (default: the assumptions').

    ``block``: draws evaluated at once (default: :func:`block_rows`; see :func:`_blocks`);
    it bounds the memory and does not change the result.
    """
    s = a.monte_carlo
    draws = s.draws if draws is None else draws
    seed = s.seed if seed is None else seed
    if draws <= 0:
        raise EconomicsError(f"Monte Carlo needs at least one draw (draws is {draws})")
    n = inputs.months
    r = line_ranges(inputs, a)
    cost_draw = _triangular(r.cost_low, r.cost_high)
    benefit_draw = _triangular(r.benefit_low, r.benefit_high)
    # The stream holds every draw's cost multipliers, then every draw's benefit ones.
    cost_rng = np.random.Generator(np.random.PCG64(seed))  # what default_rng(seed) is
    benefit_bits = np.random.PCG64(seed)
    benefit_bits.advance(draws * cost_draw.width)  # one 64-bit output per uniform double
    benefit_rng = np.random.Generator(benefit_bits)
    base = np.repeat((inputs.cost_annual / 12.0)[:, None], n, axis=1) + inputs.cost_series
    base[:, 0] += inputs.cost_one_time
    values = np.empty(draws)
    paybacks = np.empty(draws)
    for start, stop in _blocks(draws, block_rows(inputs) if block is None else block):
        mc = cost_draw.sample(cost_rng, stop - start)
        mb = benefit_draw.sample(benefit_rng, stop - start)
        net = ((mb @ inputs.benefit_annual) / 12.0)[:, None] * inputs.ramp[None, :]
        net -= mc @ base  # benefits - costs
        del mc, mb
        values[start:stop] = npv_many(inputs.discount_rate, net)
        for at in range(0, stop - start, _PAYBACK_ROWS):  # row by row: any split will do
            rows = net[at : at + _PAYBACK_ROWS]
            paybacks[start + at : start + at + len(rows)] = payback_many(rows)
        del net
    values.setflags(write=False)  # shared with the views, possibly across threads
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
