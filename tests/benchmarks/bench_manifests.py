"""Manifests for 10,000 workloads: target <= 5 s (build, validate every object, write).

Run with
``pytest tests/benchmarks/bench_manifests.py -o python_files='bench_*.py' -s``.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

from workbench.domain.jobs import CancelToken, no_progress
from workbench.domain.planning.autoplan import AutoPlanOptions
from workbench.io.manifests import build_manifests, write_manifests
from workbench.ops.export_manifests import export_manifests
from workbench.ops.generate import generate_plan
from workbench.ops.planning import auto_plan

WORKLOADS = 10_000
TARGET_S = 5.0


def test_manifests_for_10000_workloads(tmp_path: Path) -> None:
    plan = generate_plan(WORKLOADS, clusters=3, seed=11)
    options = AutoPlanOptions(start=date(2027, 1, 4), max_workloads=1500, keep_assignments=False)
    auto_plan(plan, options).do(plan)
    scheduled = len(plan.schedule.assigned())
    t0 = time.perf_counter()
    report = export_manifests(plan, tmp_path / "all")
    total = time.perf_counter() - t0
    t1 = time.perf_counter()
    built = build_manifests(plan)
    t2 = time.perf_counter()
    write_manifests(built.manifests, tmp_path / "again", no_progress, CancelToken())
    t3 = time.perf_counter()
    print(
        f"\n{len(plan.inventory.workloads)} workloads, {scheduled} in "
        f"{len(plan.schedule.waves)} waves: {report.objects} objects "
        f"({report.validated} validations), {report.patches} patches, {report.files} files\n"
        f"export {total:.2f} s (target <= {TARGET_S:.0f} s); "
        f"build+validate {t2 - t1:.2f} s, write {t3 - t2:.2f} s"
    )
    assert scheduled > 7000
    assert total <= TARGET_S
