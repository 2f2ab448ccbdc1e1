"""The dependency graph cannot be misread: edges go around other namespaces' boxes, an
edge under the pointer (or selected) lights up exactly its caller and callee, and a long
layout shows its progress and can be cancelled."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from workbench.ops.generate import generate_plan
from workbench.ops.graph_routes import Box, crosses
from workbench.ui.document import PlanDocument
from workbench.ui.graph import layout_progress
from workbench.ui.graph.style import EdgeState, NodeState
from workbench.ui.graph.view import DependencyView
from workbench.ui.theme import apply_theme


def _view(qtbot: QtBot, sample_plan_path: Path) -> DependencyView:
    document = PlanDocument()
    document.open(sample_plan_path)
    view = DependencyView(document)
    qtbot.addWidget(view)
    view.resize(1400, 900)
    qtbot.waitUntil(lambda: view.last_result is not None, timeout=20_000)
    return view


def _polyline(view: DependencyView, key: tuple[str, str]) -> list[tuple[float, float]]:
    """Points sampled along the drawn edge (its arrow head ends inside the target)."""
    path = view.scene.edges[key].path()
    points = [path.pointAtPercent(i / 200) for i in range(201)]
    return [(p.x(), p.y()) for p in points]


def test_no_edge_runs_under_a_third_namespace_box(qtbot: QtBot, sample_plan_path: Path) -> None:
    view = _view(qtbot, sample_plan_path)
    layout = view.graph_layout
    assert layout is not None and view.scene.routes is not None and view.scene.routes.outer.enabled
    routed = 0
    for key, item in view.scene.edges.items():
        source, target = layout.nodes[key[0]], layout.nodes[key[1]]
        if source.namespace == target.namespace:
            continue
        routed += bool(item.via)
        points = _polyline(view, key)
        for group in layout.groups.values():
            if group.id in (source.namespace, target.namespace):
                continue
            box = Box(group.x, group.y, group.x + group.width, group.y + group.height)
            for a, b in itertools.pairwise(points):
                assert not crosses(a, b, box), f"{key} runs under {group.id}"
    assert routed > 0  # the sample has edges that had to bend


def test_no_drawn_edge_passes_under_a_workload_it_does_not_join(
    qtbot: QtBot, sample_plan_path: Path
) -> None:
    view = _view(qtbot, sample_plan_path)
    layout = view.graph_layout
    assert layout is not None
    nodes = {
        k: Box(n.x + 1, n.y + 1, n.x + n.width - 1, n.y + n.height - 1)
        for k, n in layout.nodes.items()
    }
    for key in view.scene.edges:
        points = _polyline(view, key)
        for node_id, box in nodes.items():
            if node_id not in key:
                assert not any(crosses(a, b, box) for a, b in itertools.pairwise(points)), (
                    f"{key} passes under {node_id}"
                )


def test_hovering_an_edge_highlights_both_ends(qtbot: QtBot, sample_plan_path: Path) -> None:
    view = _view(qtbot, sample_plan_path)
    key = sorted(view.scene.edges)[0]
    view.scene.hover_edge(key)
    states = {k: n.state for k, n in view.scene.nodes.items()}
    assert states[key[0]] is NodeState.CALLER and states[key[1]] is NodeState.CALLEE
    assert {s for k, s in states.items() if k not in key} == {NodeState.DIMMED}
    assert view.scene.edges[key].state is EdgeState.OUTGOING
    view.scene.hover_edge(None)
    assert {n.state for n in view.scene.nodes.values()} == {NodeState.NORMAL}
    # selecting the edge keeps both ends lit
    view.scene.edges[key].setSelected(True)
    assert view.scene.nodes[key[0]].state is NodeState.CALLER
    assert view.scene.nodes[key[1]].state is NodeState.CALLEE
    rect = QRectF(view.scene.nodes[key[0]].sceneBoundingRect())
    assert rect.contains(QPointF(rect.center()))


def test_the_pointer_on_an_edge_lights_its_two_ends(qtbot: QtBot, sample_plan_path: Path) -> None:
    view = _view(qtbot, sample_plan_path)
    view.show()
    qtbot.waitExposed(view)
    key = ("prod-east/orders/Deployment/cart-service", "prod-east/orders/StatefulSet/cart-cache")
    item = view.scene.edges[key]
    view.canvas.fit(item.sceneBoundingRect(), 2.0)
    qtbot.wait(30)
    spots = [view.canvas.mapFromScene(item.path().pointAtPercent(i / 20)) for i in range(4, 17)]
    at = next(p for p in spots if view.canvas.itemAt(p) is item)  # a spot no other edge shares
    viewport = view.canvas.viewport()
    if QApplication.mouseButtons() != Qt.MouseButton.NoButton:  # left pressed by an earlier test
        qtbot.mouseRelease(viewport, QApplication.mouseButtons(), pos=QPoint(3, 3))

    def pointer_on_edge() -> bool:  # from off the graph onto the edge: a fresh hover
        qtbot.mouseMove(viewport, QPoint(3, 3))
        qtbot.mouseMove(viewport, at)
        return item.state is EdgeState.OUTGOING

    qtbot.waitUntil(pointer_on_edge, timeout=3_000)
    assert view.highlighted() == ({key[0]}, {key[1]})
    qtbot.mouseMove(viewport, at + QPoint(0, 300))
    qtbot.waitUntil(lambda: item.state is EdgeState.NORMAL, timeout=2_000)
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=at)
    assert item.isSelected() and view.highlighted() == ({key[0]}, {key[1]})


def test_a_long_layout_shows_progress_and_cancel_keeps_the_graph_shown(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the panel appears at once here: on a quiet machine the layout can end before the
    # window's usual delay, and then there is no panel to cancel from
    monkeypatch.setattr(layout_progress, "SHOW_AFTER_MS", 0)
    document = PlanDocument()
    document.replace(generate_plan(5000, 3, seed=0), None)
    view = DependencyView(document)
    qtbot.addWidget(view)
    view.resize(1400, 900)
    view.show()
    qtbot.waitUntil(lambda: view.last_result is not None, timeout=30_000)
    shown = view.graph_layout
    assert shown is not None and shown.collapsed
    try:
        view.set_grouping(False)  # every one of 5,000 workloads: seconds of work
        assert view.layout_running
        panel = view.progress_panel
        qtbot.waitUntil(panel.isVisible, timeout=5_000)
        with qtbot.assertNotEmitted(view.layout_ready, wait=1_500):
            qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
            assert not view.layout_running and not panel.isVisible()
        assert view.graph_layout is shown and view.group_action.isChecked()
        assert view.status.text().startswith("Layout cancelled")
        # asking again works, and Esc on the canvas cancels too
        view.set_grouping(False)
        view.canvas.setFocus()
        qtbot.keyClick(view.canvas, Qt.Key.Key_Escape)
        assert not view.layout_running and view.graph_layout is shown
    finally:
        view.shutdown()


def test_switching_to_the_dark_theme_recolours_the_open_graph(
    qtbot: QtBot, qapp: QApplication, sample_plan_path: Path
) -> None:
    view = _view(qtbot, sample_plan_path)
    view.show()
    before = view.scene.backgroundBrush().color()
    edge = next(iter(view.scene.edges.values()))
    assert before.lightnessF() > 0.5
    try:
        apply_theme(qapp, "dark")
        qtbot.waitUntil(lambda: view.scene.backgroundBrush().color().lightnessF() < 0.5)
        assert view.graph_style.group_brush.color().lightnessF() < 0.5
        assert view.graph_style.text_pens["text"].color().lightnessF() > 0.5
        assert edge.pen().color().lightnessF() > view.scene.backgroundBrush().color().lightnessF()
    finally:
        apply_theme(qapp, "light")
    qtbot.waitUntil(lambda: view.scene.backgroundBrush().color().lightnessF() > 0.5)
