"""Event-loop latency of the desktop on a 10,000-workload / 100,000-pod / 5-cluster plan.

Runs :mod:`tests.benchmarks.latency_session` in a fresh interpreter: a 1 ms probe timer
records every gap between two turns of the Qt event loop while a scripted user opens
the plan, types in the inventory filter, switches views, drags a wave on the Gantt
chart, edits an assumption, runs auto-plan and exports the Excel workbook.
Targets: longest stall <= 100 ms, 99th percentile <= 30 ms, open <= 3 s, memory with
the plan open <= 800 MB. Figures depend on machine load; they are printed against the
targets, and the test fails only when the session does not complete or the estate is
not the size asked for. ``--trace-stalls`` on the module prints where long stalls sat.
Run: pytest tests/benchmarks/bench_ui_latency.py -o python_files='bench_*.py' -s
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

LONGEST_TARGET_MS = 100.0
P99_TARGET_MS = 30.0
OPEN_TARGET_S = 3.0
MEMORY_TARGET_MB = 800.0
REPO = Path(__file__).resolve().parents[2]


def test_event_loop_latency_of_a_scripted_session_on_a_large_plan() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    result = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.latency_session"],
        capture_output=True,
        text=True,
        env=env,
        timeout=1800,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads(result.stdout.strip().splitlines()[-1])
    print()
    print(
        f"plan: {data['workloads']:,} workloads, {data['pods']:,} pods, {data['clusters']} clusters"
    )
    print(f"load average at the end: {data['load_average']:.1f} (figures are for a quiet machine)")
    print(
        f"open: inventory shown after {data['plan_shown_s']:.2f} s "
        f"(target <= {OPEN_TARGET_S} s); findings complete after {data['checked_s']:.2f} s "
        "(the window answers throughout)"
    )
    print(
        f"whole session: longest stall {data['longest_ms']:.0f} ms "
        f"(target <= {LONGEST_TARGET_MS:.0f}), p99 {data['p99_ms']:.1f} ms "
        f"(target <= {P99_TARGET_MS:.0f})"
    )
    for phase, figures in data["phases"].items():
        print(
            f"  {phase:<11} longest {figures['longest_ms']:8.0f} ms   "
            f"p99 {figures['p99_ms']:7.1f} ms   ({figures['turns']} turns)"
        )
    print(
        f"memory with the plan open: window {data['rss_mb']:.0f} MB + checking process "
        f"{data['worker_rss_mb']:.0f} MB (target <= {MEMORY_TARGET_MB:.0f} MB)"
    )
    print(
        "slowest scripted steps (ms):",
        ", ".join(f"{p} {ms:.0f}" for p, ms in data["slowest_steps"]),
    )
    assert data["completed"] and not data["errors"]
    assert data["workloads"] == 10_000 and data["clusters"] == 5
    assert data["pods"] >= 100_000
