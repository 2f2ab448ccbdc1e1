"""Save and load of plan files at 1,000 and 10,000 workloads: time, size, peak memory.

Run: ``pytest tests/benchmarks/bench_plan_file.py -o python_files='bench_*.py' -s``

Two estates per size: the product's synthetic generator (``mesh-workbench generate``) and
the tests' heavier builder (1-3 containers per workload, each with ports, resources, env
vars, probes, labels and annotations). Times are the median of three runs in this
process; the peak memory of a load is the high-water mark of the resident set of a
fresh interpreter that imports the loader and loads the file (Linux VmHWM).
"""

from __future__ import annotations

import importlib.util
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.strategies import build_plan
from workbench.domain.plan import Plan
from workbench.io.plan_file import load_plan, save_plan

TARGET_SECONDS = 1.5  # save and load of 10,000 workloads
TARGET_FILE_MB = 5.0
TARGET_PEAK_MB = 400.0

CHILD = """
import json, resource, sys, time


def high_water_kb():
    # The resident-set high-water mark of this process. /proc's VmHWM starts afresh at
    # exec; ru_maxrss would carry over the (large) parent's figure on Linux.
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


from workbench.io.plan_file import load_plan

before = high_water_kb()
started = time.perf_counter()
plan = load_plan(sys.argv[1])
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "before_kb": before, "peak_kb": high_water_kb(),
                  "workloads": len(plan.inventory.workloads)}))
"""


def estates() -> list[tuple[str, Callable[[int], Plan]]]:
    found = [("tests builder", lambda n: build_plan(n, clusters=3, seed=1))]
    if importlib.util.find_spec("workbench.ops.generate") is not None:
        from workbench.ops.generate import generate_plan

        found.insert(0, ("generate_plan", lambda n: generate_plan(n, clusters=3, seed=1)))
    return found


def median_seconds(action: Callable[[], object], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def fresh_load(path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, check=True
    )
    result: dict[str, float] = json.loads(out.stdout)
    return result


@pytest.mark.parametrize("workloads", [1_000, 10_000])
@pytest.mark.parametrize("estate", [name for name, _ in estates()])
def test_save_and_load(estate: str, workloads: int, tmp_path: Path) -> None:
    build = dict(estates())[estate]
    plan = build(workloads)
    path = tmp_path / "bench.meshplan"
    save_s = median_seconds(lambda: save_plan(plan, path))
    load_s = median_seconds(lambda: load_plan(path))
    size_mb = path.stat().st_size / 1e6
    child = fresh_load(path)
    assert child["workloads"] == workloads
    peak_mb = child["peak_kb"] / 1024
    base_mb = child["before_kb"] / 1024
    print(
        f"\n[{estate}, {workloads:,} workloads, {len(plan.inventory.services):,} services, "
        f"{len(plan.dependencies.edges):,} edges]\n"
        f"  save {save_s:.3f} s | load {load_s:.3f} s (fresh process {child['seconds']:.3f} s)"
        f" | file {size_mb:.2f} MB | peak RSS of a load {peak_mb:.0f} MB"
        f" (interpreter and imports {base_mb:.0f} MB)"
    )
    if workloads == 10_000:
        print(
            f"  targets: save <= {TARGET_SECONDS} s, load <= {TARGET_SECONDS} s, "
            f"file <= {TARGET_FILE_MB} MB, peak <= {TARGET_PEAK_MB:.0f} MB"
        )
        assert save_s <= TARGET_SECONDS
        assert load_s <= TARGET_SECONDS and child["seconds"] <= TARGET_SECONDS
        assert size_mb <= TARGET_FILE_MB
        assert peak_mb <= TARGET_PEAK_MB
