"""Monte Carlo a block of draws at a time: the numbers of every draw at once, in bounded
memory.

The reference below is the implementation that evaluated every draw at once (a draws x
lines matrix of multipliers, draws x months matrices of cash); it stays here, in the
tests only, to compare with. A blocked run must equal it exactly, every field.

Why the large plans are compared in a child with one BLAS thread: the reference's own
last bits depend on how BLAS splits its matrix-vector products over threads (a draw left
over at the end of a thread's share takes another kernel). With several threads the
reference itself changes from one machine to another for draw counts that are not a
multiple of eight times the threads; with one thread it is a fixed reference on every
machine. Plans whose every product has a single non-zero term have no such kernel
effect and are compared in this process, with BLAS as configured.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.domain.economics_fixtures import seed_assumptions
from workbench.domain import limits
from workbench.domain.assumptions import Assumptions, BenefitLine, CostLine, Ramp
from workbench.domain.economics.cashflow import CashFlowInputs, compile_inputs
from workbench.domain.economics.metrics import FloatArray, npv_many, payback_many
from workbench.domain.economics.montecarlo import MonteCarloResult, line_ranges, monte_carlo

REPO = Path(__file__).resolve().parents[2]
ONE_BLAS_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
PEAK_LIMIT_MB = 512.0  # the all-at-once evaluation took 1.2 to 4.6 GB on these plans


# --- the reference: every draw at once (the implementation before blocks) ---------------


def _reference_triangular(
    rng: np.random.Generator, lows: FloatArray, highs: FloatArray, draws: int
) -> FloatArray:
    out = np.ones((draws, len(lows)))
    spread = highs > lows
    if spread.any():
        lo, hi = lows[spread], highs[spread]
        out[:, spread] = rng.triangular(lo, np.ones_like(lo), hi, size=(draws, len(lo)))
    return out


def _reference_expected(lows: FloatArray, highs: FloatArray, amounts: FloatArray) -> float:
    total = float(amounts.sum())
    if not total:
        return 1.0
    return float(((lows + 1.0 + highs) / 3.0) @ amounts / total)


def _reference_percentile(values: FloatArray, q: float) -> float | None:
    v = float(np.quantile(values, q, method="inverted_cdf"))
    return None if not np.isfinite(v) else v


def reference_monte_carlo(
    inputs: CashFlowInputs, a: Assumptions, draws: int, seed: int
) -> MonteCarloResult:
    rng = np.random.default_rng(seed)
    n = inputs.months
    r = line_ranges(inputs, a)
    mc = _reference_triangular(rng, r.cost_low, r.cost_high, draws)
    mb = _reference_triangular(rng, r.benefit_low, r.benefit_high, draws)
    base = np.repeat((inputs.cost_annual / 12.0)[:, None], n, axis=1) + inputs.cost_series
    base[:, 0] += inputs.cost_one_time
    costs = mc @ base
    benefits = ((mb @ inputs.benefit_annual) / 12.0)[:, None] * inputs.ramp[None, :]
    net = benefits - costs
    values = npv_many(inputs.discount_rate, net)
    values.setflags(write=False)
    paybacks = payback_many(net)
    paid = np.isfinite(paybacks)
    sortable = np.where(paid, paybacks, np.inf)
    p10, p50, p90 = (float(x) for x in np.quantile(values, [0.1, 0.5, 0.9]))
    cost_amounts = base.sum(axis=1)
    benefit_amounts = inputs.benefit_annual * float(inputs.ramp.sum()) / 12.0
    return MonteCarloResult(
        npv_mean=float(values.mean()),
        probability_npv_negative=float((values < 0).mean()),
        cost_multiplier=_reference_expected(r.cost_low, r.cost_high, cost_amounts),
        benefit_multiplier=_reference_expected(r.benefit_low, r.benefit_high, benefit_amounts),
        draws=draws,
        seed=seed,
        npv_p10=p10,
        npv_p50=p50,
        npv_p90=p90,
        payback_p10=_reference_percentile(sortable, 0.1),
        payback_p50=_reference_percentile(sortable, 0.5),
        payback_p90=_reference_percentile(sortable, 0.9),
        probability_npv_positive=float((values > 0).mean()),
        probability_payback=float(paid.mean()),
        npv_draws=values,
    )


def differing_fields(got: MonteCarloResult, want: MonteCarloResult) -> list[str]:
    """The fields (npv_draws included) that are not exactly equal."""
    bad = []
    for f in dataclasses.fields(MonteCarloResult):
        x, y = getattr(got, f.name), getattr(want, f.name)
        if x is None or y is None:
            same = x is None and y is None
        else:
            same = np.asarray(x).dtype == np.asarray(y).dtype and np.array_equal(x, y)
        if not same:
            bad.append(f.name)
    return bad


# --- plans ------------------------------------------------------------------------------


def _lines(count: int, horizon: int, seed: int) -> Assumptions:
    """``count`` cost and benefit lines of varied amounts and ranges: a third with their
    own (some skewed, some without spread), the rest on the defaults."""
    rng = np.random.default_rng(seed)
    costs, benefits = [], []
    for i in range(count):
        own = i % 3 == 0
        flat = i % 11 == 0
        costs.append(
            CostLine(
                f"cost {i}",
                one_time=float(rng.uniform(0, 2e6)),
                annual=float(rng.uniform(0, 1e6)),
                range_low=1.0 if flat else float(rng.uniform(0, 1)) if own else None,
                range_high=1.0 if flat else float(rng.uniform(1, 3)) if own else None,
            )
        )
        benefits.append(
            BenefitLine(
                f"benefit {i}",
                annual=float(rng.uniform(0, 3e6)),
                range_low=1.0 if i % 4 == 0 else None,
                range_high=1.0 if i % 4 == 0 else None,
            )
        )
    return Assumptions(
        cost_lines=costs,
        benefit_lines=benefits,
        ramp=Ramp("linear", 30),
        horizon_months=horizon,
        discount_rate=0.08,
    )


def _computed(horizon: int) -> tuple[CashFlowInputs, Assumptions]:
    """A derived (estate) line, computed infrastructure and observability series, and a
    coverage ramp: the computed lines take the infrastructure range."""
    a = seed_assumptions(Ramp("coverage"))
    a.horizon_months = horizon
    a.infrastructure = "computed"
    a.monte_carlo.infrastructure_low, a.monte_carlo.infrastructure_high = 0.9, 1.6
    months = np.arange(1, horizon + 1, dtype=np.float64)
    coverage = np.minimum(months / 20.0, 1.0)
    inputs = compile_inputs(
        a,
        coverage=coverage,
        infrastructure_monthly=30_000.0 * coverage + 1_000.0,
        observability_monthly=4_000.0 * coverage,
        derived=[("Platform (estate)", np.where(months <= 24, 90_000.0, 30_000.0))],
    )
    return inputs, a


def _never_pays_back() -> Assumptions:
    a = seed_assumptions(Ramp("linear", 14))
    a.benefit_lines = [BenefitLine("small", 10_000.0)]
    return a


def _no_cost_spread() -> Assumptions:
    a = seed_assumptions(Ramp("linear", 14))
    a.monte_carlo.cost_low = a.monte_carlo.cost_high = 1.0
    return a


def large_cases() -> list[tuple[str, CashFlowInputs, Assumptions]]:
    long = seed_assumptions(Ramp("linear", 14))
    long.horizon_months = limits.MAX_HORIZON_MONTHS
    out = [
        ("seed plan, linear ramp", seed_assumptions(Ramp("linear", 14))),
        ("seed plan, 600 months", long),
        ("300 lines, 600 months", _lines(300, limits.MAX_HORIZON_MONTHS, 1)),
        ("1,000 lines, 36 months", _lines(limits.MAX_LINES, 36, 2)),
        ("never pays back", _never_pays_back()),
        ("no cost spread", _no_cost_spread()),
        ("benefits only", Assumptions(benefit_lines=[BenefitLine("b", 1e6)])),
        ("costs only", Assumptions(cost_lines=[CostLine("c", 1e6, 2e5)])),
    ]
    cases = [(name, compile_inputs(a), a) for name, a in out]
    cases.append(("computed series, 240 months", *_computed(240)))
    return cases


# 985 draws in blocks of 64 leave 25, a product small enough for BLAS's small-matrix
# kernel (those join the block before); 333 is not a multiple of BLAS's row groups.
DRAWS_AND_SEEDS = [(1, 3), (2, 0), (63, 5), (985, 7), (9_001, 42), (12_345, limits.MAX_SEED)]
BLOCKS = [None, 64, 333, 1_000]  # 333 and 1,000 are taken as 384 and 1,024


def large_case_mismatches() -> list[str]:
    """Every (plan, draws, seed, block) whose blocked run differs from the reference.

    The default block is several blocks where a draw's matrices are wide (9,001 draws of
    1,000 lines are two blocks)."""
    found = []
    for name, inputs, a in large_cases():
        wide = max(len(inputs.cost_names), inputs.months) > 100
        for draws, seed in DRAWS_AND_SEEDS:
            if wide and draws > 10_000:
                continue  # keeps the reference's matrices (and the test's time) small
            want = reference_monte_carlo(inputs, a, draws, seed)
            for block in BLOCKS:
                got = monte_carlo(inputs, a, draws=draws, seed=seed, block=block)
                if bad := differing_fields(got, want):
                    found.append(f"{name}, {draws} draws, seed {seed}, block {block}: {bad}")
    return found


# --- tests ------------------------------------------------------------------------------


def test_blocked_runs_equal_the_all_at_once_reference() -> None:
    """Many lines, long horizons, computed series, several seeds, and blocks that do not
    divide the draws: every field equal, every draw's NPV included (one BLAS thread)."""
    code = (
        "import json\n"
        "from tests.domain.test_montecarlo_blocks import large_case_mismatches\n"
        "print(json.dumps(large_case_mismatches()))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env={**os.environ, **ONE_BLAS_THREAD},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == []


def _single_terms(horizon: int) -> tuple[CashFlowInputs, Assumptions]:
    """One line of each kind with a spread and one without (its amounts zero): every
    product sums a single non-zero term, so no BLAS kernel or thread split can change
    a bit, while the line without spread still must take no random number."""
    a = Assumptions(
        cost_lines=[
            CostLine("fixed", range_low=1.0, range_high=1.0),
            CostLine("team", one_time=250_000.0, annual=1.2e6, range_low=0.7, range_high=1.9),
        ],
        benefit_lines=[
            BenefitLine("savings", annual=2.5e6, range_low=0.0, range_high=1.4),
            BenefitLine("nothing", range_low=1.0, range_high=1.0),
        ],
        horizon_months=horizon,
    )
    return compile_inputs(a), a


@pytest.mark.parametrize("draws", [1, 2, 65, 1_000, 4_099, 30_001])
def test_blocks_read_the_random_stream_in_order(draws: int) -> None:
    inputs, a = _single_terms(1)
    for seed in (0, 11, limits.MAX_SEED):
        want = reference_monte_carlo(inputs, a, draws, seed)
        for block in BLOCKS:
            got = monte_carlo(inputs, a, draws=draws, seed=seed, block=block)
            assert differing_fields(got, want) == [], (seed, block)
            assert not got.npv_draws.flags.writeable


CHILD = """
import json, sys
from workbench.domain.assumptions import Assumptions, BenefitLine, CostLine, Ramp
from workbench.domain.economics.cashflow import compile_inputs
from workbench.domain.economics.montecarlo import monte_carlo


def high_water_mb():
    # this process's resident-set high-water mark; it starts afresh at exec
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024


horizon, lines, draws = (int(x) for x in sys.argv[1:])
a = Assumptions(
    cost_lines=[CostLine(f"cost {i}", 1_000.0 + i, 50_000.0 + i) for i in range(lines)],
    benefit_lines=[BenefitLine(f"benefit {i}", 90_000.0 + i) for i in range(lines)],
    ramp=Ramp("linear", 12),
    horizon_months=horizon,
)
a.monte_carlo.draws = draws
inputs = compile_inputs(a)
before = high_water_mb()
result = monte_carlo(inputs, a)
print(json.dumps({"before_mb": before, "peak_mb": high_water_mb(), "p50": result.npv_p50}))
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads Linux VmHWM")
@pytest.mark.parametrize(
    ("horizon", "lines", "draws"),
    [
        (limits.MAX_HORIZON_MONTHS, 9, limits.MAX_DRAWS),  # 4.6 GB all at once
        (36, limits.MAX_LINES, 50_000),  # 1.2 GB all at once
    ],
    ids=["600 months x 200,000 draws", "1,000 lines each x 50,000 draws"],
)
def test_monte_carlo_peak_memory_stays_bounded(horizon: int, lines: int, draws: int) -> None:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(horizon), str(lines), str(draws)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    child = json.loads(out.stdout)
    assert child["peak_mb"] <= PEAK_LIMIT_MB, child
