"""Rollout check of a 10,000-workload plan: read the written export back and replay
every step against every known call (target <= 10 s), plus the in-memory check the
desktop runs (build, render, replay).

Run with
``pytest tests/benchmarks/bench_simulate.py -o python_files='bench_*.py' -s``.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

from workbench.domain.planning.autoplan import AutoPlanOptions
from workbench.domain.simulation import simulate
from workbench.domain.simulation.facts import estate_facts
from workbench.io.manifests.readback import read_folder, read_steps
from workbench.ops.export_manifests import export_manifests
from workbench.ops.generate import generate_plan
from workbench.ops.planning import auto_plan
from workbench.ops.simulate import check_rollout

WORKLOADS = 10_000
TARGET_S = 10.0


def test_rollout_check_of_10000_workloads(tmp_path: Path) -> None:
    plan = generate_plan(WORKLOADS, clusters=3, seed=11)
    options = AutoPlanOptions(start=date(2027, 1, 4), max_workloads=1500, keep_assignments=False)
    auto_plan(plan, options).do(plan)
    export_manifests(plan, tmp_path / "m")
    t0 = time.perf_counter()
    files = read_folder(tmp_path / "m")
    steps = read_steps(files, rollback=True)
    t1 = time.perf_counter()
    facts = estate_facts(plan)
    t2 = time.perf_counter()
    report = simulate(plan, steps, facts=facts)
    t3 = time.perf_counter()
    check = check_rollout(plan)
    t4 = time.perf_counter()
    total = t3 - t0
    print(
        f"\n{WORKLOADS} workloads, {report.calls} calls, {len(steps)} steps (with rollbacks), "
        f"{len(files)} files: read back {t1 - t0:.2f} s, facts {t2 - t1:.2f} s, "
        f"replay {t3 - t2:.2f} s; total {total:.2f} s (target <= {TARGET_S:.0f} s); "
        f"in-memory check (build, render, replay) {t4 - t3:.2f} s; "
        f"broken {report.broken_edges}"
    )
    assert report.broken_edges == 0 and check.report.broken_edges == 0
    assert total <= TARGET_S
