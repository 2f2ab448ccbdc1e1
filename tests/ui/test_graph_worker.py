"""A large graph layout runs in a worker process: the window's event loop keeps turning
all the while, Cancel stops the worker, and a newer request makes the older result
stale; a small layout stays in the window's process, on a thread."""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot

from workbench.domain.plan import Plan
from workbench.ops.background.jobs import WORKERS
from workbench.ops.generate import generate_plan
from workbench.ops.graph_layout import LayoutOptions, graph_input
from workbench.ui.document import PlanDocument
from workbench.ui.graph import layout_progress
from workbench.ui.graph.layout_job import LayoutResult, LayoutRunner
from workbench.ui.graph.view import DependencyView


@pytest.fixture(scope="module")
def large_plan() -> Plan:
    return generate_plan(5000, 3, seed=0)


@pytest.fixture
def large_view(qtbot: QtBot, large_plan: Plan) -> Iterator[DependencyView]:
    """The 5,000-workload estate on screen, collapsed to namespaces."""
    document = PlanDocument()
    document.replace(large_plan, None)
    view = DependencyView(document)
    qtbot.addWidget(view)
    view.resize(1400, 900)
    view.show()
    qtbot.waitUntil(
        lambda: view.last_result is not None and not view.layout_running, timeout=30_000
    )
    yield view
    view.shutdown()


def _busy_layout_workers() -> set[int]:
    """Worker processes of this process now running a job (not kept idle for the next)."""
    idle = set(WORKERS.idle_pids())
    return {
        p.pid
        for p in multiprocessing.active_children()
        if p.name == "mesh-workbench-job" and p.pid is not None and p.pid not in idle
    }


def _turns() -> tuple[QTimer, list[int]]:
    """A 1 ms timer counting the turns of the event loop."""
    count = [0]
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(1)
    timer.timeout.connect(lambda: count.__setitem__(0, count[0] + 1))
    return timer, count


def test_the_collapsed_estate_is_laid_out_on_a_thread_of_the_window(
    large_view: DependencyView,
) -> None:
    result = large_view.last_result
    assert result is not None and result.layout.collapsed
    assert result.process_id == os.getpid() and result.thread_id != threading.get_ident()


def test_a_large_layout_runs_in_a_worker_while_the_event_loop_keeps_turning(
    qtbot: QtBot, large_view: DependencyView
) -> None:
    timer, turns = _turns()
    arrived: list[tuple[LayoutResult, int]] = []
    large_view.runner.finished.connect(lambda result: arrived.append((result, turns[0])))
    timer.start()
    try:
        with qtbot.waitSignal(large_view.layout_ready, timeout=120_000):
            large_view.set_grouping(False)  # every one of 5,000 workloads
    finally:
        timer.stop()
    result = large_view.last_result
    assert result is not None and not result.layout.collapsed
    assert result.process_id != os.getpid()  # laid out in a worker process
    assert len(large_view.scene.nodes) == 5000
    # while the worker computed, the window's event loop went on turning (a layout on a
    # thread of the window held the interpreter: a handful of turns, if any)
    (_, turned_meanwhile), *_ = arrived
    assert turned_meanwhile >= 50, f"only {turned_meanwhile} turns during the layout"


def test_cancel_stops_the_worker_and_keeps_the_graph_shown(
    qtbot: QtBot, large_view: DependencyView, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(layout_progress, "SHOW_AFTER_MS", 0)
    shown = large_view.graph_layout
    before = _busy_layout_workers()
    large_view.set_grouping(False)
    qtbot.waitUntil(lambda: bool(_busy_layout_workers() - before), timeout=30_000)
    (worker,) = _busy_layout_workers() - before
    panel = large_view.progress_panel
    qtbot.waitUntil(panel.isVisible, timeout=5_000)
    qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    assert not large_view.layout_running and not panel.isVisible()
    qtbot.waitUntil(lambda: worker not in _busy_layout_workers(), timeout=10_000)
    assert worker not in WORKERS.idle_pids()  # ended, not kept for the next job
    assert large_view.graph_layout is shown and large_view.group_action.isChecked()


def test_a_newer_request_discards_the_stale_layout(
    qtbot: QtBot, large_view: DependencyView
) -> None:
    before = _busy_layout_workers()
    large_view.set_grouping(False)  # long: in a worker
    qtbot.waitUntil(lambda: bool(_busy_layout_workers() - before), timeout=30_000)
    (worker,) = _busy_layout_workers() - before
    with qtbot.waitSignal(large_view.layout_ready, timeout=30_000):
        large_view.set_grouping(True)  # asked after it, quick: on a thread
    collapsed = large_view.graph_layout
    assert collapsed is not None and collapsed.collapsed
    qtbot.waitUntil(lambda: worker not in _busy_layout_workers(), timeout=10_000)
    with qtbot.assertNotEmitted(large_view.layout_ready, wait=1_000):
        pass  # the stale expanded layout never lands
    assert large_view.graph_layout is collapsed and not large_view.layout_running


def test_the_runner_delivers_only_the_latest_request(qtbot: QtBot, sample_plan_path: Path) -> None:
    from workbench.io.plan_file import load_plan

    large = graph_input(generate_plan(3000, 3, seed=1))
    small = graph_input(load_plan(sample_plan_path))
    runner = LayoutRunner()
    delivered: list[LayoutResult] = []
    runner.finished.connect(delivered.append)
    try:
        runner.start(large, LayoutOptions(collapse=False))
        latest = runner.start(small, LayoutOptions())
        qtbot.waitUntil(lambda: not runner.running, timeout=60_000)
        qtbot.wait(300)
        assert [r.generation for r in delivered] == [latest]
        assert delivered[0].layout.workload_count == len(small.workloads)
        assert delivered[0].process_id == os.getpid()  # the sample: no process to start
    finally:
        runner.shutdown()
