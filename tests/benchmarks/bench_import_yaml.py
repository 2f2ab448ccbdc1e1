"""Offline import of a large multi-document YAML dump, streamed document by document.

Target: at least 20 MB/s on realistic manifests and a peak of at most 1 GB for 200 MB of
YAML. The dump is ``kubectl get -o yaml``-like (Deployments with their ReplicaSets and
Pods, Services, ConfigMaps, with managedFields and last-applied annotations), generated
here; the import runs in a fresh interpreter so its peak RSS is its own. Set
``BENCH_YAML_MB`` to change the size (default 200).

Run: pytest tests/benchmarks/bench_import_yaml.py -o python_files='bench_*.py' -s
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import orjson
import yaml

from tests.benchmarks.bench_import_files import make_dump
from workbench.io.yaml_stream import fast_parser_available

TARGET_MB_S = 20.0
TARGET_PEAK_BYTES = 1024**3
SIZE_MB = float(os.environ.get("BENCH_YAML_MB", "200"))

# The child's own peak: /proc's VmHWM starts afresh at exec, whereas ru_maxrss would
# carry over the figure of this (large, after generating the dump) process on Linux. A
# large file may be read by two processes: the worker's time and peak are its own
# (RUSAGE_CHILDREN of the importing process), and both peaks count against the target.
CHILD = """
import json, os, resource, sys, time
from workbench.ops.import_files import import_files
if __name__ == "__main__":
    load = os.getloadavg()[0]
    t, cpu = time.perf_counter(), time.process_time()
    outcome = import_files([sys.argv[1]])
    seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    worker = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"seconds": seconds, "cpu": cpu, "objects": outcome.objects,
                      "workloads": len(outcome.plan.inventory.workloads), "peak_rss": peak * 1024,
                      "worker_cpu": worker.ru_utime + worker.ru_stime,
                      "worker_peak": worker.ru_maxrss * 1024, "load": load}))
"""


def make_yaml(path: Path, size_mb: float) -> int:
    dump = path.with_suffix(".json")
    # JSON is about 0.96 of the YAML size for these objects (1e6 bytes a MB, as printed)
    make_dump(dump, int(size_mb * 0.96 * 1e6))
    items = orjson.loads(dump.read_bytes())["items"]
    dump.unlink()
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    with path.open("w") as out:
        for start in range(0, len(items), 2000):
            out.write(yaml.dump_all(items[start : start + 2000], Dumper=dumper))
            out.write("---\n")
    return len(items)


def test_streamed_yaml_import(tmp_path: Path) -> None:
    path = tmp_path / "estate.yaml"
    started = time.perf_counter()
    count = make_yaml(path, SIZE_MB)
    size = path.stat().st_size
    print(
        f"\ngenerated {size / 1e6:.0f} MB of YAML, {count} objects in "
        f"{time.perf_counter() - started:.0f} s; fast parser: {fast_parser_available()}"
    )
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, check=True
    )
    figures = json.loads(result.stdout)
    rate = size / 1e6 / figures["seconds"]
    peak = figures["peak_rss"] + figures["worker_peak"]
    worker = (
        f"a worker read part of it ({figures['worker_cpu']:.1f} s of processor time, "
        f"peak {figures['worker_peak'] / 1024**2:.0f} MiB)"
        if figures["worker_cpu"]
        else "read in one process"
    )
    print(
        f"import: {figures['seconds']:.1f} s, {rate:.1f} MB/s (target >= {TARGET_MB_S:.0f}); "
        f"{figures['cpu']:.1f} s of processor time in the importing process; {worker}; "
        f"peak RSS {peak / 1024**2:.0f} MiB in all (target <= 1024 MiB); "
        f"{figures['objects']} objects -> {figures['workloads']} workloads; "
        f"load average {figures['load']:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    )
    assert figures["objects"] == count
    assert rate >= TARGET_MB_S
    assert peak <= TARGET_PEAK_BYTES
