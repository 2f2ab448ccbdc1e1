"""Rollout check of a 10,000-workload plan: read the written export back and replay
every step against the known calls it can affect (target <= 10 s), plus the in-memory
check the desktop runs (build, replay). Prints each phase against the target with the
load average.

Run with
``pytest tests/benchmarks/bench_simulate.py -o python_files='bench_*.py' -s``.
"""

from __future__ import annotations

import itertools
import os
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


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (5 min {five:.2f}) on {os.cpu_count()} cores"


def test_rollout_check_of_10000_workloads(tmp_path: Path) -> None:
    plan = generate_plan(WORKLOADS, clusters=3, seed=11)
    options = AutoPlanOptions(start=date(2027, 1, 4), max_workloads=1500, keep_assignments=False)
    auto_plan(plan, options).do(plan)
    export_manifests(plan, tmp_path / "m")
    marks = [(time.perf_counter(), time.process_time())]
    files = read_folder(tmp_path / "m")
    steps = read_steps(files, rollback=True)
    marks.append((time.perf_counter(), time.process_time()))
    facts = estate_facts(plan)
    marks.append((time.perf_counter(), time.process_time()))
    report = simulate(plan, steps, facts=facts)
    marks.append((time.perf_counter(), time.process_time()))
    check = check_rollout(plan)
    marks.append((time.perf_counter(), time.process_time()))
    wall = [b[0] - a[0] for a, b in itertools.pairwise(marks)]
    cpu = [b[1] - a[1] for a, b in itertools.pairwise(marks)]
    total = sum(wall[:3])
    verdict = "met" if total <= TARGET_S else "NOT met"
    phases = ("read back", "facts", "replay")
    print(
        f"\nrollout check, {WORKLOADS} workloads: {report.calls} calls, {len(steps)} steps "
        f"(with rollbacks), {len(files)} files; {_load()}\n"
        + "".join(
            f"  {n:<10} {w:6.2f} s  (CPU {c:5.2f} s)\n"
            for n, w, c in zip(phases, wall, cpu, strict=False)
        )
        + f"  total      {total:6.2f} s  (CPU {sum(cpu[:3]):5.2f} s)  "
        f"target <= {TARGET_S:.0f} s: {verdict}\n"
        f"  in-memory check (build, replay; no render) {wall[3]:.2f} s (CPU {cpu[3]:.2f} s), "
        f"{check.steps} steps\n"
        f"  broken calls: {report.broken_edges} read back, {check.report.broken_edges} in memory"
    )
    assert report.broken_edges == 0 and check.report.broken_edges == 0
    assert total <= TARGET_S
