"""Generation speed and size of synthetic estates (target: 10,000 workloads in a few seconds).

Run: pytest tests/benchmarks/bench_generate.py -o python_files='bench_*.py' -s
"""

from __future__ import annotations

import time
import tracemalloc

import pytest

from workbench.ops.generate import generate_estate

TARGET_SECONDS_10K = 3.0


@pytest.mark.parametrize(("workloads", "clusters"), [(1_000, 1), (10_000, 1), (10_000, 5)])
def test_generation_time(workloads: int, clusters: int) -> None:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        estate = generate_estate(workloads, clusters, seed=1)
        best = min(best, time.perf_counter() - start)
    tracemalloc.start()
    generate_estate(workloads, clusters, seed=1)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    inv = estate.plan.inventory
    print(
        f"\ngenerate {workloads} workloads / {clusters} cluster(s): best of 3 {best:.3f} s, "
        f"peak traced memory {peak / 2**20:.0f} MiB; {len(inv.namespaces)} namespaces, "
        f"{len(inv.services)} services, {inv.total_pods()} pods, {len(estate.truth)} edges "
        f"(target for 10,000: <= {TARGET_SECONDS_10K} s)"
    )
    if workloads == 10_000:
        assert best <= TARGET_SECONDS_10K
