"""Dependency graph speed: layout (off the UI thread) and scene build (on it).

Run: pytest tests/benchmarks/bench_graph.py -o python_files='bench_*.py' -s

Figures, best of five after a warm-up:

- the layout of a generated 5,000-workload estate, collapsed to namespaces (what the view
  shows on opening such a plan), and the same estate fully expanded (on request);
- the layout of the 150-workload sample plan, expanded;
- routing the sample's edges around boxes and workloads (on the worker, with the layout);
- building the QGraphicsScene from each layout and its routes (on the UI thread);
- the first paint: scene built, fitted into a 1600x1000 canvas and drawn once, which with
  the layout is what opening such a plan on the Dependencies view costs.

Targets: the issue asks that a 10,000-workload plan opens to an interactive window within
3 s, so the graph's share must stay small: collapsed 5,000-workload layout <= 1 s, sample
layout <= 0.2 s, its routing <= 1 s, scene build <= 0.3 s for the collapsed estate and the
sample, first paint <= 0.5 s (so layout + first paint <= 1.5 s). The expanded
5,000-workload figures are printed for information (no target: the view never opens a
graph that large expanded unless asked).

The window's side (:func:`test_the_dependency_view_never_holds_the_event_loop`): a 1 ms
timer records every gap between two turns of the event loop while the Dependencies view
shows the 10,000-workload / 100,000-pod / 5-cluster estate (the plan read and the scene
built in slices, the layout on a thread, caller knowledge on a background job), and
while every one of its workloads is laid out in a worker process. Target: no turn longer
than 100 ms for the view shown, and while the worker lays out; the build and the first
paint of the expanded graph that follow are printed for information. The target holds
for the CPU time the window's thread spent in a turn: on a loaded machine the wall time
of a turn is several times a quiet one's (it is printed, with the load average).
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication

from workbench.io.plan_file import load_plan
from workbench.ops.generate import generate_plan
from workbench.ops.graph_layout import GraphLayout, LayoutOptions, compute_layout, graph_input
from workbench.ops.graph_routes import LayoutRoutes
from workbench.ui.graph.canvas import GraphCanvas
from workbench.ui.graph.scene import DependencyScene
from workbench.ui.graph.style import GraphStyle

SAMPLE = Path(__file__).resolve().parents[2] / "plans" / "seed-playbook.meshplan"


def _best(run: Callable[[], object], repeats: int = 5) -> float:
    run()
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        timings.append(time.perf_counter() - started)
    return min(timings)


def _routed(layout: GraphLayout) -> LayoutRoutes:
    routes = LayoutRoutes(layout)
    routes.precompute()
    return routes


def _routing(layout: GraphLayout) -> float:
    """Every edge routed around the boxes and workloads (on the layout's worker thread)."""
    return _best(lambda: _routed(layout), repeats=3)


def _scene_build(layout: GraphLayout) -> float:
    style = GraphStyle()
    scene = DependencyScene(style)
    routes = _routed(layout)
    seconds = _best(lambda: scene.show_layout(layout, routes), repeats=3)
    scene.clear()
    return seconds


def _first_paint(layout: GraphLayout) -> float:
    """Scene built, fitted into a 1600x1000 canvas and painted once (best of three)."""
    style = GraphStyle()
    scene = DependencyScene(style)
    canvas = GraphCanvas(scene)
    canvas.resize(1600, 1000)

    routes = _routed(layout)

    def paint() -> None:
        scene.show_layout(layout, routes)
        canvas.fit()
        image = canvas.viewport().grab()
        assert not image.isNull()

    seconds = _best(paint, repeats=3)
    scene.clear()
    return seconds


def _report(what: str, seconds: float, target: float | None) -> bool:
    if target is None:
        print(f"  {what:<48} {seconds * 1000:8.1f} ms  (information)")
        return True
    verdict = "ok" if seconds <= target else "OVER TARGET"
    print(f"  {what:<48} {seconds * 1000:8.1f} ms  target <= {target * 1000:.0f} ms  {verdict}")
    return seconds <= target


def test_graph_layout_and_scene_speed() -> None:
    app = QApplication.instance() or QApplication([])
    assert app is not None
    large = graph_input(generate_plan(5000, 3, seed=0))
    sample = graph_input(load_plan(SAMPLE))
    collapsed = compute_layout(large)
    expanded = compute_layout(large, LayoutOptions(collapse=False))
    sample_layout = compute_layout(sample)
    assert collapsed.collapsed and not sample_layout.collapsed
    print()
    print(
        f"5,000 workloads: {len(large.edges):,} edges, {len(collapsed.nodes)} namespaces, "
        f"{len(collapsed.edges):,} namespace edges; sample: {len(sample.workloads)} workloads, "
        f"{len(sample.edges)} edges"
    )
    results = [
        _report("layout, 5,000 workloads collapsed", _best(lambda: compute_layout(large)), 1.0),
        _report("layout, 150-workload sample expanded", _best(lambda: compute_layout(sample)), 0.2),
        _report("routing, sample (worker thread)", _routing(sample_layout), 1.0),
        _report("scene build, 5,000 collapsed", _scene_build(collapsed), 0.3),
        _report("scene build, sample expanded", _scene_build(sample_layout), 0.3),
        _report("first paint, 5,000 collapsed (1600x1000)", _first_paint(collapsed), 0.5),
        _report("first paint, sample expanded (1600x1000)", _first_paint(sample_layout), 0.5),
        _report(
            "layout, 5,000 workloads expanded",
            _best(lambda: compute_layout(large, LayoutOptions(collapse=False)), repeats=2),
            None,
        ),
        _report("scene build, 5,000 expanded", _scene_build(expanded), None),
    ]
    assert all(results)


class _Turns:
    """Gaps between the turns of the event loop, seen by a 1 ms timer: wall time, and
    the CPU time the window's thread spent in it (less swayed by a loaded machine)."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.gaps: list[tuple[float, float, float]] = []  # (when, wall, cpu) in seconds
        self._last = (time.perf_counter(), time.thread_time())
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(1)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = (time.perf_counter(), time.thread_time())
        self.gaps.append((now[0], now[0] - self._last[0], now[1] - self._last[1]))
        self._last = now

    def start(self) -> None:
        self._last = (time.perf_counter(), time.thread_time())
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def longest(self, since: float, until: float) -> float:
        """The longest gap that began in (since, until]."""
        return max((w for at, w, _ in self.gaps if since < at - w <= until), default=0.0)

    def longest_cpu(self, since: float, until: float) -> float:
        return max((c for at, w, c in self.gaps if since < at - w <= until), default=0.0)

    def seen_after(self, moment: float) -> bool:
        return bool(self.gaps) and self.gaps[-1][0] > moment


def _wait(app: QApplication, ready: Callable[[], bool], timeout: float = 180.0) -> None:
    deadline = time.perf_counter() + timeout
    while not ready():
        assert time.perf_counter() < deadline, "timed out"
        app.processEvents()
        time.sleep(0.0005)


def test_the_dependency_view_never_holds_the_event_loop() -> None:
    from tests.benchmarks.latency_session import scaled_plan
    from workbench.ui.document import PlanDocument
    from workbench.ui.graph.view import DependencyView

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    document = PlanDocument()
    document.replace(scaled_plan(10_000, 100_000, 5), None)  # type: ignore[arg-type]
    analysis = document.analysis
    _wait(app, lambda: not analysis.busy and analysis.current.ready)  # its checks done
    turns = _Turns()
    turns.start()
    shown = time.perf_counter()
    view = DependencyView(document)
    view.resize(1600, 1000)
    view.show()
    try:
        _wait(app, lambda: view.last_result is not None and not view.layout_running)
        ready = time.perf_counter()
        _wait(app, lambda: time.perf_counter() > ready + 0.5)  # the first paint
        settled = time.perf_counter()
        _wait(app, lambda: turns.seen_after(settled))
        first = view.last_result
        assert first is not None and first.layout.collapsed
        asked = time.perf_counter()
        view.set_grouping(False)
        _wait(app, lambda: view.last_result is not first and not view.layout_running)
        expanded = view.last_result
        assert expanded is not None and not expanded.layout.collapsed
        drawn = time.perf_counter()
        _wait(app, lambda: time.perf_counter() > drawn + 0.5)
        end = time.perf_counter()
        _wait(app, lambda: turns.seen_after(end))
    finally:
        turns.stop()
        view.shutdown()
    load = os.getloadavg()[0]
    print()
    print(f"10,000 workloads / 100,000 pods / 5 clusters, load average {load:.2f}")
    print(
        f"  shown collapsed in {ready - shown:.2f} s; expanded laid out in a worker "
        f"in {expanded.seconds:.2f} s (process {expanded.process_id}, this {os.getpid()})"
    )
    results = []
    for what, since, until, target in (
        ("view shown (collapsed)", shown, settled, 0.1),
        ("10,000 laid out in a worker", asked, expanded.finished_at, 0.1),
        ("expanded built and first painted", expanded.finished_at, end, None),
    ):
        wall = turns.longest(since, until)
        print(f"  longest turn's wall time, {what}: {wall * 1000:.1f} ms")
        cpu = turns.longest_cpu(since, until)
        results.append(_report(f"longest turn's CPU time, {what}", cpu, target))
    assert expanded.process_id != os.getpid()
    assert all(results)
