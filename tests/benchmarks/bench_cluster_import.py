"""Live import speed against kubectl, on one loopback API server.

Run: pytest tests/benchmarks/bench_cluster_import.py -o python_files='bench_*.py' -s

The server (a separate process, so it does not share the interpreter lock with the
client) serves 10,000 Deployments, 10,000 Services and 2,000 ConfigMaps from
pre-serialised pages. Four timings, each the best after a warm-up run (the three fast
ones taken in turns, five times):

- ``kubectl get --raw`` fetching the three lists (no conversion at all);
- ``kubectl get deploy,svc,cm -A -o json``;
- the workbench's reading layer: every list of the context fetched through the
  ``kubernetes`` client and parsed into plain dicts (what the issue's reference figures
  for the client measure: raw JSON instead of the client's models);
- the workbench's whole live import of the context: the same reading, plus converting
  every object into the plan's inventory and discovering dependencies.

Targets (from the issue): at most twice the ``--raw`` time, and less than
``kubectl -o json``. Both the reading layer and the whole import are held to both.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.conftest import require
from tests.io.k8s_api_server import write_kubeconfig
from workbench.io.cluster_reader import ClusterReader
from workbench.io.kubeconfig import load_kubeconfig
from workbench.ops.import_cluster import ClusterImportOutcome, import_clusters

SERVER = Path(__file__).resolve().parent.parent / "io" / "k8s_api_server.py"
LISTS = ("/apis/apps/v1/deployments", "/api/v1/services", "/api/v1/configmaps")
COUNTS = {"deployments": 10_000, "services": 10_000, "configmaps": 2_000}
RUNS = 5


def best_of(runs: int, fn: Callable[[], object]) -> float:
    return best_interleaved(runs, {"": fn})[""]


def best_interleaved(runs: int, fns: dict[str, Callable[[], object]]) -> dict[str, float]:
    """Best time of each, run in turns so that a busy moment on the machine (other
    processes share its cores) weighs on all of them alike."""
    for fn in fns.values():
        fn()  # warm-up: discovery caches, page caches, imports
    best = dict.fromkeys(fns, float("inf"))
    for _ in range(runs):
        for name, fn in fns.items():
            started = time.perf_counter()
            product = fn()
            best[name] = min(best[name], time.perf_counter() - started)
            del product  # freeing what was made is not part of making it
    return best


def test_live_import_against_kubectl(tmp_path: Path) -> None:
    kubectl = shutil.which("kubectl")
    require(kubectl is not None, "kubectl (Debian package kubernetes-client)")
    assert kubectl is not None
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env |= {"HOME": str(tmp_path), "KUBECONFIG": str(tmp_path / "config")}
    args = [f"--{name}={n}" for name, n in COUNTS.items()]
    server = subprocess.Popen(
        [sys.executable, str(SERVER), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), url
        config = write_kubeconfig(tmp_path / "config", {"bench": url})

        def kubectl_raw() -> None:
            for path in LISTS:
                subprocess.run(
                    [kubectl, "get", "--raw", path], env=env, check=True, stdout=subprocess.DEVNULL
                )

        def kubectl_json() -> None:
            subprocess.run(
                [kubectl, "get", "deploy,svc,cm", "-A", "-o", "json"],
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )

        def reading() -> None:
            kc = load_kubeconfig(config)
            count = [0]
            ClusterReader(kc, kc.context("bench"), "bench").read(
                lambda _spec, items: count.__setitem__(0, count[0] + len(items))
            )
            assert count[0] >= sum(COUNTS.values())

        def workbench() -> ClusterImportOutcome:
            outcome = import_clusters(["bench"], kubeconfig=config, env={})
            inventory = outcome.plan.inventory
            assert len(inventory.workloads) == COUNTS["deployments"]
            assert len(inventory.services) == COUNTS["services"]
            return outcome

        as_json = best_of(3, kubectl_json)
        best = best_interleaved(RUNS, {"raw": kubectl_raw, "read": reading, "ours": workbench})
        raw, read, ours = best["raw"], best["read"], best["ours"]
    finally:
        assert server.stdin is not None
        server.stdin.close()
        server.wait(timeout=10)

    print()
    print(
        "live import of 10,000 Deployments + 10,000 Services + 2,000 ConfigMaps "
        f"(best of 3 for -o json, of {RUNS} for the others)"
    )
    print(f"  kubectl get --raw (3 lists)           {raw:6.2f} s")
    print(f"  kubectl get deploy,svc,cm -A -o json  {as_json:6.2f} s")
    print(f"  workbench reading (all lists, dicts)  {read:6.2f} s")
    print(f"  workbench import (read + inventory)   {ours:6.2f} s")
    for label, value in (("reading", read), ("import", ours)):
        verdict = "met" if value <= 2 * raw else "NOT MET"
        print(f"  {label}: {value / raw:.2f} x --raw (target <= 2.0: {verdict}), ", end="")
        print(f"{value / as_json:.2f} x -o json (target < 1.0)")
    assert read <= 2 * raw, f"reading {read:.2f} s > 2 x kubectl --raw {raw:.2f} s"
    assert ours <= 2 * raw, f"import {ours:.2f} s > 2 x kubectl --raw {raw:.2f} s"
    assert read < as_json, f"reading {read:.2f} s >= kubectl -o json {as_json:.2f} s"
    assert ours < as_json, f"import {ours:.2f} s >= kubectl -o json {as_json:.2f} s"
