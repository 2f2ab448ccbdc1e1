"""Readiness evaluation over 10,000 generated workloads (target: well under 1 s).

.venv/bin/python -m pytest tests/benchmarks/bench_readiness.py -o python_files='bench_*.py' -s
"""

from __future__ import annotations

import time

from workbench.domain.readiness import evaluate
from workbench.ops.generate import generate_plan

TARGET_S = 1.0


def test_evaluate_10k_workloads() -> None:
    plan = generate_plan(10_000, clusters=5, seed=7)
    inv = plan.inventory
    evaluate(plan)  # warm-up
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        report = evaluate(plan)
        runs.append(time.perf_counter() - start)
    best = min(runs)
    print(
        f"\nreadiness: {len(inv.workloads)} workloads, {len(inv.services)} services, "
        f"{len(inv.namespaces)} namespaces -> {len(report.findings)} findings "
        f"{report.counts()}; best of 3 {best:.3f} s (runs {', '.join(f'{r:.3f}' for r in runs)}),"
        f" target < {TARGET_S:.1f} s"
    )
    assert best < TARGET_S
