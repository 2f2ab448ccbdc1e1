"""Excel export of a generated 10,000-workload plan: time and peak memory.

Run: ``pytest tests/benchmarks/bench_excel.py -o python_files='bench_*.py' -s``

Targets (issue: exports): the workbook of a 10,000-workload plan in at most 8 s with at
most 600 MB peak. The time is the median of three exports in this process, with its
split between the app's figures (economics and every finding) and writing the workbook;
the peak is the resident-set high-water mark (Linux VmHWM) of a fresh interpreter that
loads the plan file and exports it, so it counts the plan, the findings and the writer.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from workbench.domain.jobs import CancelToken, no_progress
from workbench.io.excel.workbook import write_workbook
from workbench.io.plan_file import save_plan
from workbench.ops.export_excel import excel_content, export_excel
from workbench.ops.generate import generate_plan

WORKLOADS = 10_000
TARGET_SECONDS = 8.0
TARGET_PEAK_MB = 600.0

CHILD = """
import json, sys, time


def high_water_kb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


from workbench.io.plan_file import load_plan
from workbench.ops.export_excel import export_excel

plan = load_plan(sys.argv[1])
loaded = high_water_kb()
started = time.perf_counter()
report = export_excel(plan, sys.argv[2])
print(json.dumps({"seconds": time.perf_counter() - started, "loaded_kb": loaded,
                  "peak_kb": high_water_kb(), "bytes": report.size_bytes}))
"""


def test_excel_export_of_10000_workloads(tmp_path: Path) -> None:
    plan = generate_plan(WORKLOADS, clusters=5, seed=1)
    target = tmp_path / "plan.xlsx"
    times = []
    for _ in range(3):
        started = time.perf_counter()
        report = export_excel(plan, target)
        times.append(time.perf_counter() - started)
    seconds = statistics.median(times)
    started = time.perf_counter()
    content, _ = excel_content(plan)
    figures = time.perf_counter() - started
    started = time.perf_counter()
    with open(tmp_path / "again.xlsx", "wb") as out:
        write_workbook(content, out, no_progress, CancelToken())
    writing = time.perf_counter() - started

    plan_file = tmp_path / "plan.meshplan"
    save_plan(plan, plan_file, keep_backup=False)
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(plan_file), str(tmp_path / "child.xlsx")],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    fresh = json.loads(child.stdout)
    peak_mb = fresh["peak_kb"] / 1024
    print()
    print(
        f"Excel export, {WORKLOADS:,} workloads ({report.findings:,} findings, "
        f"{report.dependencies:,} edges, {report.months} months, "
        f"{report.size_bytes / 1e6:.1f} MB file)"
    )
    print(
        f"  export: median {seconds:.2f} s of {', '.join(f'{t:.2f}' for t in times)}"
        f" (target <= {TARGET_SECONDS:.0f} s): figures {figures:.2f} s, workbook {writing:.2f} s"
    )
    print(
        f"  fresh process: export {fresh['seconds']:.2f} s, peak {peak_mb:.0f} MB"
        f" (plan loaded: {fresh['loaded_kb'] / 1024:.0f} MB; target <= {TARGET_PEAK_MB:.0f} MB)"
    )
    assert seconds <= TARGET_SECONDS
    assert peak_mb <= TARGET_PEAK_MB
