"""Loading the largest plans a hostile file can hold within the plan file's limits.

Target: each loads (or is refused) in at most 10 s with a peak of at most 1 GB, whatever
its content. Each file is crafted just under the value limit the loader checks before it
parses (``MAX_JSON_VALUES``) and within the compressed and decompressed size limits:

- ``workloads``: as many realistic workloads as fit, all valid (loads);
- ``edges``: a small inventory and as many dependency edges as fit (loads);
- ``labels``: one workload whose labels hold every value (loads);
- ``refused last``: the ``workloads`` file with one dangling reference at its very end,
  so everything is decoded and checked before the refusal.

Each load runs in a fresh interpreter so its peak resident set is its own.

Run: pytest tests/benchmarks/bench_hostile_plan.py -o python_files='bench_*.py' -s
"""

from __future__ import annotations

import copy
import gzip
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.benchmarks.bench_plan_file import CHILD
from tests.strategies import build_plan, unpack
from workbench.io import plan_file
from workbench.io.plan_file import json_values, plan_to_bytes

TARGET_SECONDS = 10.0
TARGET_PEAK_MB = 1024.0
HEADROOM = 0.98  # of the value limit

CHILD_OR_REFUSED = CHILD.replace(
    "plan = load_plan(sys.argv[1])",
    "try:\n    plan = load_plan(sys.argv[1])\nexcept Exception as exc:\n"
    "    print(str(exc)[:200], file=sys.stderr)\n    plan = None",
).replace('"workloads": len(plan.inventory.workloads)', '"loaded": plan is not None')


def _values(doc: Any) -> int:
    return json_values(orjson.dumps(doc))


def _base() -> dict[str, Any]:
    doc = unpack(plan_to_bytes(build_plan(50, clusters=1)))
    doc.pop("checksum", None)  # a crafted file carries none (or a wrong one): a warning only
    return doc


def _many_workloads(doc: dict[str, Any], budget: int) -> None:
    workloads = doc["plan"]["inventory"]["workloads"]
    template_key, template = next(iter(workloads.items()))
    per = _values({template_key: template}) + 1
    cluster, ns, kind, _ = template_key.split("/")
    for i in range(min(budget // per, 240_000)):
        entry = copy.deepcopy(template)
        entry["name"] = f"w{i:06d}"
        workloads[f"{cluster}/{ns}/{kind}/w{i:06d}"] = entry


def _many_edges(doc: dict[str, Any], budget: int) -> None:
    _many_workloads(doc, budget // 20)  # callers and callees enough for every edge
    keys = sorted(doc["plan"]["inventory"]["workloads"])
    edges = doc["plan"]["dependencies"]["edges"]
    template = edges[0]
    per = _values(template) + 1
    budget -= _values(doc["plan"]["inventory"]["workloads"])
    taken = {(e["caller"], e["callee"]) for e in edges}
    pairs = ((a, b) for a in keys for b in keys if a != b and (a, b) not in taken)
    extra = []
    for (a, b), _ in zip(pairs, range(budget // per), strict=False):
        edge = dict(template, caller=a, callee=b)
        extra.append(edge)
    edges.extend(extra)


def _many_labels(doc: dict[str, Any], budget: int) -> None:
    workload = next(iter(doc["plan"]["inventory"]["workloads"].values()))
    workload["labels"] = {f"l{i}": "v" for i in range(budget // 2)}  # a key and a value each


def _refused_last(doc: dict[str, Any], budget: int) -> None:
    _many_workloads(doc, budget)
    doc["plan"]["mutes"].append({"rule": "R1", "scope": "nowhere/ns", "reason": "late"})


SHAPES = {
    "workloads": _many_workloads,
    "edges": _many_edges,
    "labels": _many_labels,
    "refused last": _refused_last,
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_the_largest_hostile_plan_loads_within_bounds(shape: str, tmp_path: Path) -> None:
    doc = _base()
    budget = int(plan_file.MAX_JSON_VALUES * HEADROOM) - _values(doc)
    SHAPES[shape](doc, budget)
    text = json.dumps(doc).encode()
    values = json_values(text)
    path = tmp_path / "hostile.meshplan"
    path.write_bytes(gzip.compress(text, compresslevel=6, mtime=0))
    size = path.stat().st_size
    assert values <= plan_file.MAX_JSON_VALUES and len(text) <= plan_file.MAX_JSON_BYTES
    assert size <= plan_file.MAX_FILE_BYTES
    out = subprocess.run(
        [sys.executable, "-c", CHILD_OR_REFUSED, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    child = json.loads(out.stdout)
    peak_mb = child["peak_kb"] / 1024
    load = os.getloadavg()[0]
    print(
        f"\nhostile plan, {shape}: {values:,} values, {len(text) / 1e6:.0f} MB JSON, "
        f"{size / 1e6:.1f} MB file: {'loaded' if child['loaded'] else 'refused'} in "
        f"{child['seconds']:.1f} s (target <= {TARGET_SECONDS:g} s), peak {peak_mb:.0f} MB "
        f"(target <= {TARGET_PEAK_MB:.0f} MB); load average {load:.1f}"
    )
    if shape == "refused last":
        assert not child["loaded"] and "plan.mutes" in out.stderr
    else:
        assert child["loaded"], out.stderr
    assert child["seconds"] <= TARGET_SECONDS
    assert peak_mb <= TARGET_PEAK_MB
