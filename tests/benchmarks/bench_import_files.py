"""Offline import of a 100 MB ``kubectl get all -A -o json``-style dump.

Target (issue): <= 10 s and peak memory <= 1 GB. The dump is generated here from a
synthetic estate: Deployments with ReplicaSets and Pods, Services and ConfigMaps, with
the metadata noise real dumps carry (managedFields, last-applied annotations, status).
The import runs in a fresh interpreter so its peak RSS is its own.

Run: pytest tests/benchmarks/bench_import_files.py -o python_files='bench_*.py' -s
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import orjson

from tests.io.estate_objects import inventory_objects

TARGET_SECONDS = 10.0
TARGET_PEAK_BYTES = 1024**3
DUMP_BYTES = 100 * 1024 * 1024


def _noise(obj: dict[str, Any], i: int) -> dict[str, Any]:
    meta = obj.setdefault("metadata", {})
    meta["uid"] = f"{i:08x}-1111-2222-3333-444455556666"
    meta["resourceVersion"] = str(100000 + i)
    meta["creationTimestamp"] = "2026-01-01T00:00:00Z"
    meta.setdefault("annotations", {})["kubectl.kubernetes.io/last-applied-configuration"] = (
        json.dumps({k: v for k, v in obj.items() if k != "status"})
    )
    meta["managedFields"] = [
        {
            "manager": "kubectl-client-side-apply",
            "operation": "Update",
            "apiVersion": "apps/v1",
            "time": "2026-01-01T00:00:00Z",
            "fieldsType": "FieldsV1",
            "fieldsV1": {"f:metadata": {"f:labels": {"f:app": {}}}, "f:spec": {"f:replicas": {}}},
        }
    ]
    return obj


def _owned(w: dict[str, Any], i: int) -> list[dict[str, Any]]:
    if w["kind"] != "Deployment":
        return []
    name, ns = w["metadata"]["name"], w["metadata"]["namespace"]
    rs = {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": f"{name}-7d4b9",
            "namespace": ns,
            "ownerReferences": [{"kind": "Deployment", "name": name, "controller": True}],
        },
        "spec": w["spec"],
    }
    pods = []
    for n in range(2):
        pod_spec = w["spec"]["template"]["spec"]
        pods.append(
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {
                    "name": f"{name}-7d4b9-{n}",
                    "namespace": ns,
                    "labels": {
                        **w["spec"]["template"]["metadata"]["labels"],
                        "pod-template-hash": "7d4b9",
                    },
                    "ownerReferences": [
                        {"kind": "ReplicaSet", "name": f"{name}-7d4b9", "controller": True}
                    ],
                },
                "spec": pod_spec,
                "status": {
                    "phase": "Running",
                    "podIP": f"10.{i % 250}.{n}.{i % 200}",
                    "conditions": [
                        {"type": t, "status": "True"}
                        for t in ("Initialized", "Ready", "ContainersReady", "PodScheduled")
                    ],
                },
            }
        )
    return [rs, *pods]


def make_dump(path: Path, target_bytes: int) -> tuple[int, int]:
    from workbench.ops.generate import generate_estate

    items: list[dict[str, Any]] = []
    size, seed = 0, 0
    while size < target_bytes:
        estate = generate_estate(2000, clusters=1, seed=seed)
        inv = estate.plan.inventory
        cluster = next(iter(inv.clusters))
        batch = []
        for obj in inventory_objects(inv, cluster):
            meta = obj["metadata"]
            if obj["kind"] == "Namespace":
                meta["name"] = f"{meta['name']}-s{seed}"
            else:
                meta["namespace"] = f"{meta['namespace']}-s{seed}"
            batch.append(obj)
        for i, obj in enumerate(batch):
            items.append(_noise(obj, len(items)))
            items.extend(_noise(o, len(items)) for o in _owned(obj, i))
            if obj["kind"] == "Service" and i % 3 == 0:
                items.append(
                    _noise(
                        {
                            "apiVersion": "v1",
                            "kind": "ConfigMap",
                            "metadata": {
                                "name": f"{obj['metadata']['name']}-cfg",
                                "namespace": obj["metadata"]["namespace"],
                            },
                            "data": {
                                "application.properties": "server.port=8080\nupstream.url=http://orders:80\n"
                                "db.password=notkept\n" * 5
                            },
                        },
                        len(items),
                    )
                )
        size = len(orjson.dumps({"apiVersion": "v1", "kind": "List", "items": items}))
        seed += 1
    data = orjson.dumps({"apiVersion": "v1", "kind": "List", "items": items})
    path.write_bytes(data)
    return len(data), len(items)


CHILD = """
import json, resource, sys, time
t0 = time.perf_counter()
from workbench.ops.import_files import import_files
from workbench.io.plan_file import save_plan
t1 = time.perf_counter()
outcome = import_files([sys.argv[1]])
t2 = time.perf_counter()
save_plan(outcome.plan, sys.argv[2])
t3 = time.perf_counter()
print(json.dumps({"import_s": t2 - t1, "save_s": t3 - t2, "startup_s": t1 - t0,
                  "workloads": len(outcome.plan.inventory.workloads),
                  "edges": len(outcome.plan.dependencies.edges),
                  "objects": outcome.objects,
                  "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
"""


def test_offline_import_of_a_100_mb_dump(tmp_path: Path) -> None:
    dump = tmp_path / "all.json"
    started = time.perf_counter()
    size, count = make_dump(dump, DUMP_BYTES)
    print(
        f"\ngenerated {size / 1024**2:.1f} MiB dump, {count} objects "
        f"in {time.perf_counter() - started:.1f} s"
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    wall = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(dump), str(tmp_path / "p.meshplan")],
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - wall
    figures = json.loads(result.stdout)
    plan_size = (tmp_path / "p.meshplan").stat().st_size
    print(
        f"import: {figures['import_s']:.2f} s (target <= {TARGET_SECONDS:.0f} s); "
        f"save: {figures['save_s']:.2f} s; process wall {wall:.2f} s"
    )
    print(f"peak RSS: {figures['peak_rss'] / 1024**2:.0f} MiB (target <= 1024 MiB)")
    print(
        f"{figures['objects']} objects -> {figures['workloads']} workloads, "
        f"{figures['edges']} edges; plan file {plan_size / 1024**2:.1f} MiB"
    )
    assert before >= 0
    assert figures["import_s"] <= TARGET_SECONDS
    assert figures["peak_rss"] <= TARGET_PEAK_BYTES


def test_yaml_import_rate_for_reference(tmp_path: Path) -> None:
    """YAML goes through libyaml's CSafeLoader: reported for reference (no target)."""
    import yaml

    from workbench.ops.import_files import import_files

    dump = tmp_path / "all.json"
    make_dump(dump, 12 * 1024 * 1024)
    items = orjson.loads(dump.read_bytes())["items"]
    path = tmp_path / "all.yaml"
    path.write_text(yaml.dump_all(items, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper)))
    size = path.stat().st_size
    started = time.perf_counter()
    outcome = import_files([str(path)])
    seconds = time.perf_counter() - started
    rate = size / 1024**2 / seconds
    print(
        f"\nYAML: {size / 1024**2:.1f} MiB, {outcome.objects} objects in {seconds:.2f} s "
        f"({rate:.1f} MiB/s; a 100 MiB YAML dump would take about {100 / rate:.0f} s)"
    )
    assert outcome.objects == len(items)
