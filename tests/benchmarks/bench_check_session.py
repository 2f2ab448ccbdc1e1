"""Incremental re-checking on a 10,000-workload / 5-cluster plan, as the worker does it.

Measures a full check (what every edit cost before), then the incremental session:
moving one workload, a wave drag step (dates only) and changing a wave's mTLS target,
each including the delta sent to the window. Also the size of a schedule edit on the
wire. Run: pytest tests/benchmarks/bench_check_session.py -o python_files='bench_*.py' -s
"""

from __future__ import annotations

import pickle
import statistics
import time
from datetime import timedelta

from workbench.domain.commands import AssignWorkloads, RescheduleWave, SetWaveTargets
from workbench.ops.background import CheckSession, parts_for
from workbench.ops.check import check_plan
from workbench.ops.generate import generate_plan

MOVE_TARGET_MS = 50.0


def _timed(fn: object) -> float:
    started = time.perf_counter()
    fn()  # type: ignore[operator]
    return (time.perf_counter() - started) * 1000


def test_incremental_check_after_edits_on_ten_thousand_workloads() -> None:
    plan = generate_plan(10_000, 5, 7)
    full_ms = _timed(lambda: check_plan(plan))
    started = time.perf_counter()
    session = CheckSession(pickle.loads(pickle.dumps(plan)))
    first = session.delta(0)
    build_s = time.perf_counter() - started

    def edit(command: object, generation: int) -> tuple[float, int, int]:
        change = command.do(plan)  # type: ignore[attr-defined]
        wire = pickle.dumps(parts_for(plan, change))
        started = time.perf_counter()
        session.apply(pickle.loads(wire), change)
        delta = session.delta(generation)
        ms = (time.perf_counter() - started) * 1000
        return ms, len(wire), len(delta.added) + len(delta.removed)

    unassigned = plan.unassigned()
    moves = [edit(AssignWorkloads([k], "wave-03"), i) for i, k in enumerate(unassigned[:10], 1)]
    wave = plan.schedule.wave("wave-03")
    drags = [
        edit(
            RescheduleWave(wave.id, wave.start + timedelta(days=d), wave.end + timedelta(days=d)),
            20 + d,
        )
        for d in range(1, 6)
    ]
    strict, _, strict_changed = edit(SetWaveTargets("wave-01", mtls="STRICT"), 40)
    assert session.result().findings == check_plan(plan).findings
    move_ms = statistics.median(m[0] for m in moves)
    print()
    print(f"full check (every edit, before): {full_ms:.0f} ms; {len(first.added):,} findings")
    print(f"worker start-up check: {build_s:.2f} s")
    print(
        f"move one workload: median {move_ms:.1f} ms, worst {max(m[0] for m in moves):.1f} ms "
        f"(target <= {MOVE_TARGET_MS:.0f} ms); schedule on the wire {moves[0][1] / 1024:.0f} KB; "
        f"delta {statistics.median(m[2] for m in moves):.0f} findings"
    )
    print(f"wave drag step (1,000 members): median {statistics.median(d[0] for d in drags):.0f} ms")
    print(f"wave mTLS to STRICT: {strict:.0f} ms, {strict_changed} findings changed")
    assert all(m[2] < len(first.added) / 10 for m in moves)
