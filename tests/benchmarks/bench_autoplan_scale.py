"""Auto-plan at the scale to plan for: 10,000 workloads, 100,000 pods, 5 clusters.

Targets: auto-plan with full validation <= 3 s in-process (readiness evaluation
reported beside it); ``mesh-workbench plan auto`` end to end (load, readiness,
auto-plan, save, validation) <= 10 s; on the planned estate, the Gantt opens <= 3 s
and the median frame while dragging a wave <= 16 ms, measured on the chart as the user
sees it once its findings are in: the waves and the remediation backlog's lanes. Every
figure depends on the load of the machine. Run:
``pytest tests/benchmarks/bench_autoplan_scale.py -o python_files='bench_*.py' -s``
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt is imported

import statistics
import subprocess
import sys
import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from tests.benchmarks.gantt_drag import drag_frames, open_gantt_timed
from tests.domain.planning_invariants import apply_and_check
from workbench.domain.planning.autoplan import AutoPlanOptions, propose
from workbench.domain.planning.graph import CallGraph
from workbench.domain.planning.readiness_input import readiness_input
from workbench.domain.planning.validator import ScheduleValidator
from workbench.io.plan_file import load_plan, save_plan
from workbench.ops.generate import generate_plan
from workbench.ui.document import PlanDocument
from workbench.ui.gantt.time_axis import Zoom

WORKLOADS, PODS, CLUSTERS = 10_000, 100_000, 5
IN_PROCESS_TARGET_S = 3.0
CLI_TARGET_S = 10.0
OPEN_TARGET_S = 3.0
FRAME_TARGET_S = 0.016
OPTIONS = AutoPlanOptions(keep_assignments=False, parallel=2, max_pods=600)


def test_auto_plan_at_scale(tmp_path: Path, qtbot: QtBot) -> None:
    t = time.perf_counter()
    plan = generate_plan(WORKLOADS, clusters=CLUSTERS, seed=1, pods=PODS)
    generate_s = time.perf_counter() - t
    assert plan.inventory.total_pods() == PODS
    source = tmp_path / "estate.meshplan"
    save_plan(plan, source)

    t0 = time.perf_counter()
    readiness = readiness_input(plan)
    t1 = time.perf_counter()
    proposal = propose(plan, OPTIONS, readiness, CallGraph(plan))
    t2 = time.perf_counter()
    check_plan = load_plan(source)
    apply_and_check(check_plan, propose(check_plan, OPTIONS, readiness), OPTIONS)
    proposal.command().do(plan)
    t3 = time.perf_counter()
    findings = ScheduleValidator(plan, readiness).findings()
    t4 = time.perf_counter()
    planning = (t2 - t1) + (t4 - t3)
    serious = [f for f in findings if f.severity in ("blocker", "high")]
    print(
        f"\n{WORKLOADS} workloads, {plan.inventory.total_pods()} pods, {CLUSTERS} clusters, "
        f"{len(plan.dependencies.edges)} edges (generated in {generate_s:.2f} s)"
        f"\nreadiness evaluation       {t1 - t0:6.2f} s"
        f"\nauto-plan (graph, propose) {t2 - t1:6.2f} s: {len(proposal.waves)} waves, "
        f"{proposal.assigned_count()} planned, {len(proposal.left_out)} in the backlog"
        f"\nfull schedule validation   {t4 - t3:6.2f} s ({len(findings)} findings, "
        f"{len(serious)} blocker/high)"
        f"\nauto-plan + validation     {planning:6.2f} s (target <= {IN_PROCESS_TARGET_S} s); "
        f"with readiness {planning + t1 - t0:.2f} s"
        f"\nschedule {min(w.start for w in proposal.waves)}..{max(w.end for w in proposal.waves)}"
    )

    out = tmp_path / "planned.meshplan"
    args = ["plan", "auto", str(source), "-o", str(out), "--replan", "--max-pods", "600"]
    t = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "workbench", *args], capture_output=True, text=True, check=False
    )
    cli_s = time.perf_counter() - t
    assert done.returncode == 0, done.stderr
    print(f"CLI plan auto end to end   {cli_s:6.2f} s (target <= {CLI_TARGET_S} s)")

    doc = PlanDocument()
    doc.replace(load_plan(out), None)
    view, open_s = open_gantt_timed(qtbot, doc)
    started = time.perf_counter() - open_s
    qtbot.waitUntil(lambda: view.live.ready, timeout=60_000)
    ready_s = time.perf_counter() - started
    view.flush()
    view.set_zoom(Zoom.WEEKS)
    wave = doc.plan.schedule.waves[len(doc.plan.schedule.waves) // 2]
    viewport = view.canvas.viewport()
    press, frames = drag_frames(view, wave, 40)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, press)
    median = statistics.median(frames)
    lanes = view.scene.backlog
    waiting = sum(len(lane.keys) for lane in lanes)
    print(
        f"Gantt open                 {open_s:6.2f} s (target <= {OPEN_TARGET_S} s); "
        f"findings ready after {ready_s:.2f} s"
        f"\nGantt as the user sees it  {len(doc.plan.schedule.waves)} waves, "
        f"{len(lanes)} backlog lanes holding {waiting} workloads "
        f"(the auto-plan left {len(proposal.left_out)} in the backlog)"
        f"\nGantt drag frame           median {median * 1000:.1f} ms, "
        f"p95 {sorted(frames)[int(len(frames) * 0.95)] * 1000:.1f} ms (target <= 16 ms)"
    )
    assert serious == []
    assert waiting == len(proposal.left_out) > 0  # the drag was measured with the lanes shown
    assert set(view.scene.backlog_bars) == {lane.namespace for lane in lanes}
    assert planning <= IN_PROCESS_TARGET_S
    assert cli_s <= CLI_TARGET_S
    assert open_s <= OPEN_TARGET_S
    assert median <= FRAME_TARGET_S
