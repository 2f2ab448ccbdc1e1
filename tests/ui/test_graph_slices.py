"""What the dependency view does on the UI thread comes in slices: the plan is read and
a layout's scene built over several turns of the event loop, the graph before stays on
screen meanwhile, and the callers-unknown marks are read once per plan revision."""

from __future__ import annotations

import time
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from tests.io.runtime.conftest import DB, XWING
from tests.ui.plans import FakeDialogs
from workbench.domain.commands import AddDependency
from workbench.domain.dependencies import Edge, Evidence
from workbench.domain.evidence import unknown_callers
from workbench.io.plan_file import load_plan
from workbench.ops.generate import generate_plan
from workbench.ops.graph_layout import compute_layout, graph_input
from workbench.ui import sliced_job
from workbench.ui.document import PlanDocument
from workbench.ui.graph import caller_marks
from workbench.ui.graph.caller_marks import UnknownCallers
from workbench.ui.graph.scene import DependencyScene
from workbench.ui.graph.style import GraphStyle, label_widths, measure_labels
from workbench.ui.graph.view import DependencyView
from workbench.ui.sliced_job import SlicedJob


def _turn_counter() -> tuple[QTimer, list[int]]:
    turns = [0]
    timer = QTimer()
    timer.setInterval(0)
    timer.timeout.connect(lambda: turns.__setitem__(0, turns[0] + 1))
    return timer, turns


def test_sliced_work_spreads_over_turns_and_hands_back_its_result(qtbot: QtBot) -> None:
    timer, turns = _turn_counter()
    seen: list[int] = []

    def steps() -> Generator[None, None, str]:
        for _ in range(12):
            seen.append(turns[0])
            time.sleep(sliced_job.SLICE_BUDGET_S / 2)  # two steps fill a turn's budget
            yield
        return "built"

    work = SlicedJob[str]()
    done: list[str] = []
    timer.start()
    try:
        work.start(steps(), done.append)
        assert work.running and not seen  # nothing runs before the event loop turns
        qtbot.waitUntil(lambda: not work.running, timeout=5_000)
    finally:
        timer.stop()
    assert done == ["built"]
    assert len(set(seen)) >= 4, "the steps ran in too few turns"


def test_sliced_work_stops_finishes_now_and_ends_on_an_error(qtbot: QtBot) -> None:
    def steps(result: str, fail: bool = False) -> Generator[None, None, str]:
        for _ in range(3):
            yield
        if fail:
            raise ValueError("broken")
        return result

    work = SlicedJob[str]()
    done: list[str] = []
    work.start(steps("first"), done.append)
    work.start(steps("second"), done.append)  # the first is dropped
    work.finish()
    assert done == ["second"] and not work.running
    work.start(steps("third"), done.append)
    work.cancel()
    qtbot.wait(20)
    assert done == ["second"] and not work.running
    work.start(steps("fourth", fail=True), done.append)
    with pytest.raises(ValueError, match="broken"):
        work.finish()
    assert not work.running


def test_label_widths_in_slices_equal_the_measure_and_reuse_what_was_measured(
    sample_plan_path: Path,
) -> None:
    style = GraphStyle()
    graph = graph_input(load_plan(sample_plan_path))
    measured: dict[str, float] = {}
    steps = label_widths(style, graph, measured, chunk=40)
    pauses = 0
    while True:
        try:
            next(steps)
            pauses += 1
        except StopIteration as end:
            widths = end.value
            break
    assert widths == measure_labels(style, graph) and pauses == -(-len(graph.workloads) // 40)
    assert set(measured) == {w.name for w in graph.workloads}
    measured[graph.workloads[0].name] = 999.0  # known already: not measured again
    again = measure_labels(style, graph) | {graph.workloads[0].name: 999.0}
    steps = label_widths(style, graph, measured)
    with pytest.raises(StopIteration) as end:
        while True:
            next(steps)
    assert end.value.value == again


def test_the_scene_is_built_in_slices_into_what_show_layout_builds(
    qtbot: QtBot, sample_plan_path: Path
) -> None:
    graph = graph_input(load_plan(sample_plan_path))
    layout = compute_layout(graph)
    whole = DependencyScene(GraphStyle())
    whole.show_layout(compute_layout(graph_input(generate_plan(300, 2, seed=3))))
    whole.show_layout(layout)  # replaces the first graph
    built = DependencyScene(GraphStyle())
    built.show_layout(compute_layout(graph_input(generate_plan(300, 2, seed=3))))
    pauses = sum(1 for _ in built.build(layout))
    assert pauses > 10  # groups, nodes and edges a few dozen at a time
    assert set(built.nodes) == set(whole.nodes) == set(layout.nodes)
    assert set(built.edges) == set(whole.edges)
    assert set(built.groups) == set(whole.groups)
    assert len(built.items()) == len(whole.items())  # nothing of the graph before is left
    paths = {k: built.edges[k].path() for k in built.edges}
    assert all(paths[k] == whole.edges[k].path() for k in paths)


@pytest.fixture
def view(
    qtbot: QtBot, star_wars_document: PlanDocument, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[DependencyView, list[int]]]:
    """The Star Wars estate's graph; the list counts the readings of caller knowledge."""
    reads: list[int] = []

    def counted(plan: object) -> set[str]:
        reads.append(1)
        return unknown_callers(plan)  # type: ignore[arg-type]

    monkeypatch.setattr(caller_marks, "unknown_callers", counted)
    view = DependencyView(star_wars_document, dialogs=FakeDialogs())
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show()
    qtbot.waitUntil(lambda: view.last_result is not None and not view.layout_running)
    yield view, reads
    view.shutdown()


def test_caller_knowledge_is_read_once_per_plan_revision(
    qtbot: QtBot, view: tuple[DependencyView, list[int]]
) -> None:
    graph, reads = view
    assert reads == [1] and graph.scene.nodes[DB].callers_unknown
    for relayout in (graph.refresh, lambda: graph.set_grouping(True)):
        with qtbot.waitSignal(graph.layout_ready, timeout=20_000):
            relayout()
    assert reads == [1]  # the same plan: the marks are reused
    with qtbot.waitSignal(graph.layout_ready, timeout=20_000):
        graph.set_grouping(False)
    graph.document.execute(AddDependency(Edge(XWING, DB, [Evidence("manual", "by hand")])))
    qtbot.waitUntil(lambda: not graph.scene.nodes[DB].callers_unknown)  # now partly known
    assert reads == [1, 1]


def test_an_answer_for_an_older_revision_is_dropped(
    qtbot: QtBot, star_wars_document: PlanDocument
) -> None:
    marks = UnknownCallers(star_wars_document)
    answers: list[set[str]] = []
    marks.ready.connect(lambda: answers.append(set(marks.keys)))
    marks.ask()  # the job starts when the event loop next turns
    marks.plan_changed()  # ... and its answer is stale by then
    qtbot.waitUntil(lambda: not star_wars_document.jobs.running())
    assert answers == [] and not marks.current
    marks.ask()
    qtbot.waitUntil(lambda: marks.current)
    assert answers == [unknown_callers(star_wars_document.plan)]


def test_the_graph_before_stays_on_screen_until_the_new_one_is_whole(
    qtbot: QtBot, view: tuple[DependencyView, list[int]]
) -> None:
    graph, _reads = view
    viewport = graph.canvas.viewport()
    states: list[tuple[bool, bool]] = []
    graph.feed.building.connect(
        lambda: QTimer.singleShot(
            0, lambda: states.append((viewport.updatesEnabled(), graph.canvas.isInteractive()))
        )
    )
    with qtbot.waitSignal(graph.layout_ready, timeout=20_000):
        graph.set_grouping(True)
    assert states == [(False, False)]  # while the items were made
    assert viewport.updatesEnabled() and graph.canvas.isInteractive()


def test_a_cancelled_reading_of_the_marks_is_read_again(
    qtbot: QtBot, star_wars_document: PlanDocument
) -> None:
    view = DependencyView(star_wars_document, dialogs=FakeDialogs())
    qtbot.addWidget(view)
    star_wars_document.jobs.cancel_all()  # as a closing dashboard does, before it ran
    try:
        qtbot.waitUntil(lambda: view.last_result is not None, timeout=20_000)
        assert view.scene.nodes[DB].callers_unknown and view.feed.callers.current
    finally:
        view.shutdown()
