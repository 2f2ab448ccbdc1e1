"""Monte Carlo on the largest plans the limits allow: time and peak memory.

The four plans of the reliability audit (issue 17), each within
:mod:`workbench.domain.limits`: the sample plan with 200,000 draws over 36 months; over
600 months; with 1,000 cost and 1,000 benefit lines over 36 months; all of these at once.
Each runs ``mesh-workbench economics PLAN --json`` in a fresh interpreter (the whole
command: load, economics, sensitivity, Monte Carlo, JSON; peak resident set from Linux
VmHWM), then Monte Carlo alone (the domain function) in another fresh interpreter.

Target: a peak of at most 1 GB for each. When every draw was evaluated at once the
command took, on a 2-vCPU machine, 1.3 s / 368 MB, 10.9 s / 4.78 GB, 20.6 s / 4.76 GB and
39.7 s / 7.99 GB for the four plans.

Run: pytest tests/benchmarks/bench_montecarlo_memory.py -o python_files='bench_*.py' -s
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workbench.domain import limits
from workbench.domain.assumptions import BenefitLine, CostLine
from workbench.io.plan_file import load_plan, save_plan

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "plans" / "seed-playbook.meshplan"
TARGET_PEAK_MB = 1024.0

HIGH_WATER = """
import json, resource, sys, time


def high_water_mb():
    # this process's resident-set high-water mark; /proc's VmHWM starts afresh at exec
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""

COMMAND = (
    HIGH_WATER
    + """
import contextlib, io
from workbench.cli import main

out = io.StringIO()
with contextlib.redirect_stdout(out):
    code = main(["economics", sys.argv[1], "--json"])
npv = json.loads(out.getvalue())["monte_carlo"]["npv"]
print(json.dumps({"code": code, "peak_mb": high_water_mb(), "p50": npv["p50"]}))
"""
)

MONTE_CARLO = (
    HIGH_WATER
    + """
from workbench.domain.economics.montecarlo import monte_carlo
from workbench.io.plan_file import load_plan
from workbench.ops.economics import compute

report = compute(load_plan(sys.argv[1]))
inputs, a = report.evaluation.inputs, report.assumptions
before = high_water_mb()
started = time.perf_counter()
result = monte_carlo(inputs, a)
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "before_mb": before, "peak_mb": high_water_mb(),
                  "lines": [len(inputs.cost_names), len(inputs.benefit_names)],
                  "months": inputs.months, "p50": result.npv_p50}))
"""
)

CASES = {
    "200,000 draws, 36 months": (36, 0),
    "200,000 draws, 600 months": (limits.MAX_HORIZON_MONTHS, 0),
    "200,000 draws, 1,000 + 1,000 lines": (36, limits.MAX_LINES),
    "all of the above": (limits.MAX_HORIZON_MONTHS, limits.MAX_LINES),
}


def _plan(path: Path, horizon: int, lines: int) -> None:
    plan = load_plan(SAMPLE)
    a = plan.assumptions
    a.monte_carlo.draws = limits.MAX_DRAWS
    a.horizon_months = horizon
    if lines:
        a.cost_lines = [
            CostLine(f"cost {i}", one_time=1_000.0 + i, annual=5_000.0 + 3 * i)
            for i in range(lines)
        ]
        a.benefit_lines = [
            BenefitLine(f"benefit {i}", annual=9_000.0 + 7 * i) for i in range(lines)
        ]
    save_plan(plan, path)


def _child(code: str, path: Path) -> tuple[dict[str, float], float]:
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    assert out.returncode == 0, out.stderr
    found: dict[str, float] = json.loads(out.stdout)
    return found, seconds


@pytest.mark.parametrize("case", list(CASES))
def test_monte_carlo_time_and_peak_memory(case: str, tmp_path: Path) -> None:
    path = tmp_path / "largest.meshplan"
    _plan(path, *CASES[case])
    command, command_s = _child(COMMAND, path)
    alone, _ = _child(MONTE_CARLO, path)
    print(
        f"\n{case} ({alone['lines'][0]} cost and {alone['lines'][1]} benefit lines, "
        f"{alone['months']} months): economics --json {command_s:5.1f} s, "
        f"peak {command['peak_mb']:4.0f} MB; Monte Carlo alone {alone['seconds']:5.1f} s, "
        f"peak {alone['peak_mb']:4.0f} MB ({alone['before_mb']:.0f} MB before it) "
        f"(target <= {TARGET_PEAK_MB:.0f} MB); load average {os.getloadavg()[0]:.1f}"
    )
    assert command["code"] == 0 and command["p50"] == pytest.approx(alone["p50"], abs=0.01)
    assert command["peak_mb"] <= TARGET_PEAK_MB
    assert alone["peak_mb"] <= TARGET_PEAK_MB
