"""The Dependencies view on its own: graph, highlight, filter, edits with undo, exports, scale."""

from __future__ import annotations

import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QAction, QColor, QImage, QWheelEvent
from PySide6.QtWidgets import QApplication, QGraphicsView
from pytestqt.qtbot import QtBot

from tests.io.test_graph_export import parse_dot
from tests.ui.plans import FakeDialogs
from workbench.domain.dependencies import Edge, Evidence
from workbench.domain.plan import Plan
from workbench.io.plan_file import load_plan
from workbench.ops.generate import generate_plan
from workbench.ui.document import PlanDocument
from workbench.ui.graph import DependencyView
from workbench.ui.graph.context_menu import build_context_menu
from workbench.ui.graph.edge_item import EdgeItem
from workbench.ui.graph.node_items import NodeItem
from workbench.ui.graph.style import EdgeState, NodeState

SIZE = (1600, 1000)
ORDER_SERVICE = "prod-east/orders/Deployment/order-service"
OpenView = Callable[..., DependencyView]


@pytest.fixture
def dialogs() -> FakeDialogs:
    return FakeDialogs()


@pytest.fixture
def open_view(qtbot: QtBot, dialogs: FakeDialogs) -> Iterator[OpenView]:
    views: list[DependencyView] = []

    def open_(document: PlanDocument, *, show: bool = False) -> DependencyView:
        view = DependencyView(document, dialogs=dialogs)
        qtbot.addWidget(view)
        view.resize(*SIZE)
        if show:
            view.show()
            qtbot.waitExposed(view)
        qtbot.waitUntil(lambda: view.last_result is not None, timeout=20_000)
        views.append(view)
        return view

    yield open_
    for view in views:
        view.shutdown()


@pytest.fixture
def sample_document(sample_plan_path: Path) -> Iterator[PlanDocument]:
    document = PlanDocument()
    document.open(sample_plan_path)
    yield document
    document.undo_stack.clear()


@pytest.fixture(scope="module")
def large_plan() -> Plan:
    return generate_plan(5000, 3, seed=0)


def _centre(view: DependencyView, node_id: str) -> QPoint:
    item = view.scene.nodes[node_id]
    view.canvas.centerOn(item)
    return view.canvas.mapFromScene(item.sceneBoundingRect().center())


def _relayout(qtbot: QtBot, view: DependencyView, action: Callable[[], object]) -> None:
    with qtbot.waitSignal(view.layout_ready, timeout=20_000):
        action()


def test_shows_the_sample_plans_graph(open_view: OpenView, sample_document: PlanDocument) -> None:
    view = open_view(sample_document)
    plan = sample_document.plan
    layout = view.graph_layout
    assert layout is not None and not layout.collapsed
    assert set(view.scene.nodes) == set(plan.inventory.workloads)
    assert set(view.scene.edges) == set(plan.dependencies.edges)
    assert set(view.scene.groups) == {w.namespace_key for w in plan.inventory.workloads.values()}
    assert all(isinstance(i, EdgeItem) for i in view.scene.edges.values())
    assert view.last_result is not None and view.last_result.thread_id != threading.get_ident()
    assert "150 workloads" in view.status.text()
    assert view.namespace_button.text() == "Namespaces (12/12)"


def test_clicking_a_workload_highlights_exactly_its_callers_and_callees(
    qtbot: QtBot, open_view: OpenView, sample_document: PlanDocument
) -> None:
    view = open_view(sample_document, show=True)
    deps = sample_document.plan.dependencies
    qtbot.mouseClick(
        view.canvas.viewport(), Qt.MouseButton.LeftButton, pos=_centre(view, ORDER_SERVICE)
    )
    assert [n.node.id for n in view.scene.selected_nodes()] == [ORDER_SERVICE]
    callers, callees = view.highlighted()
    assert callers == set(deps.callers_of(ORDER_SERVICE)) and callers
    assert callees == set(deps.callees_of(ORDER_SERVICE)) and callees
    near = callers | callees | {ORDER_SERVICE}
    for key, item in view.scene.nodes.items():
        assert (item.state is NodeState.DIMMED) == (key not in near), key
    for (caller, callee), edge in view.scene.edges.items():
        if callee == ORDER_SERVICE:
            assert edge.state is EdgeState.INCOMING
        elif caller == ORDER_SERVICE:
            assert edge.state is EdgeState.OUTGOING
        else:
            assert edge.state is EdgeState.DIMMED
    # clicking the background clears the highlight
    qtbot.mouseClick(view.canvas.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(3, 3))
    assert view.highlighted() == (set(), set())
    assert all(i.state is NodeState.NORMAL for i in view.scene.nodes.values())


def test_namespace_filter_hides_the_others(
    qtbot: QtBot, open_view: OpenView, sample_document: PlanDocument
) -> None:
    view = open_view(sample_document)
    keep = {"prod-east/orders", "prod-east/payments"}
    _relayout(qtbot, view, lambda: view.set_namespace_filter(keep))
    assert {i.node.namespace for i in view.scene.nodes.values()} == keep
    assert set(view.scene.groups) == keep
    for caller, callee in view.scene.edges:
        assert caller.rsplit("/", 2)[0] in keep and callee.rsplit("/", 2)[0] in keep
    assert view.namespace_button.text() == "Namespaces (2/12)"
    # the checklist drives the same filter: tick a third namespace
    checklist = view.checklist
    row = next(
        r
        for r in range(checklist.list.count())
        if checklist.list.item(r).text().startswith("prod-east/catalog ")
    )
    assert checklist.list.item(row).checkState() == Qt.CheckState.Unchecked
    checklist.list.item(row).setCheckState(Qt.CheckState.Checked)
    _relayout(qtbot, view, checklist.flush)
    assert set(view.scene.groups) == keep | {"prod-east/catalog"}
    _relayout(qtbot, view, lambda: view.set_namespace_filter(None))
    assert len(view.scene.nodes) == 150


def test_add_a_dependency_by_hand_with_undo_and_redo(
    qtbot: QtBot, open_view: OpenView, sample_document: PlanDocument
) -> None:
    view = open_view(sample_document, show=True)
    plan = sample_document.plan
    caller = "prod-east/kube-system/Deployment/coredns"
    callee = "prod-west/search/Deployment/search-api"
    assert (caller, callee) not in plan.dependencies.edges
    viewport = view.canvas.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=_centre(view, caller))
    qtbot.mouseClick(
        viewport,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.ControlModifier,
        pos=_centre(view, callee),
    )
    assert view.add_action.isEnabled()
    view.add_action.trigger()
    edge = plan.dependencies.edges[(caller, callee)]
    assert edge.manual and [e.kind for e in edge.evidence] == ["manual"]
    item = view.scene.edges[(caller, callee)]
    assert item.edge.style == "manual" and item.edge.width > 2
    assert sample_document.is_modified
    sample_document.undo_stack.undo()
    assert (caller, callee) not in plan.dependencies.edges
    assert (caller, callee) not in view.scene.edges
    sample_document.undo_stack.redo()
    assert plan.dependencies.edges[(caller, callee)].manual
    assert view.scene.edges[(caller, callee)].edge.style == "manual"
    assert set(view.scene.nodes) == set(plan.inventory.workloads)  # edits do not re-layout


def test_pick_the_callee_after_add_and_an_inferred_edge_keeps_its_evidence(
    open_view: OpenView, sample_document: PlanDocument
) -> None:
    view = open_view(sample_document)
    plan = sample_document.plan
    caller, callee = next(iter(plan.dependencies.edges))
    before = [e.kind for e in plan.dependencies.edges[(caller, callee)].evidence]
    view.select_node(caller)
    view.add_action.trigger()  # one workload selected: the next one picked is the callee
    assert "Click the workload" in view.status.text()
    view.select_node(callee)
    edge = plan.dependencies.edges[(caller, callee)]
    assert edge.manual and [e.kind for e in edge.evidence] == [*before, "manual"]
    assert view.scene.edges[(caller, callee)].edge.style == "manual"
    sample_document.undo_stack.undo()
    restored = plan.dependencies.edges[(caller, callee)]
    assert not restored.manual and [e.kind for e in restored.evidence] == before
    assert view.scene.edges[(caller, callee)].edge.style == "static"


def test_remove_the_selected_edge_with_undo(
    qtbot: QtBot, open_view: OpenView, sample_document: PlanDocument
) -> None:
    view = open_view(sample_document, show=True)
    plan = sample_document.plan
    key = ("prod-east/edge/Deployment/api-gateway", ORDER_SERVICE)
    original = plan.dependencies.edges[key]
    assert not view.remove_action.isEnabled()
    view.scene.clearSelection()
    view.scene.edges[key].setSelected(True)
    assert view.remove_action.isEnabled()
    view.canvas.setFocus()
    qtbot.keyClick(view.canvas, Qt.Key.Key_Delete)
    assert key not in plan.dependencies.edges and key not in view.scene.edges
    sample_document.undo_stack.undo()
    assert plan.dependencies.edges[key] == original
    assert view.scene.edges[key].edge.kinds == tuple(sorted({e.kind for e in original.evidence}))
    sample_document.undo_stack.redo()
    assert key not in view.scene.edges


def test_a_refused_edit_is_reported_not_raised(
    open_view: OpenView, sample_document: PlanDocument, dialogs: FakeDialogs
) -> None:
    view = open_view(sample_document)
    assert not view.add_dependency(ORDER_SERVICE, ORDER_SERVICE)
    assert dialogs.errors and "itself" in dialogs.errors[-1][1]
    assert sample_document.undo_stack.count() == 0


def _busy_pixels(image: QImage, background: QColor, step: int) -> int:
    return sum(
        1
        for y in range(0, image.height(), step)
        for x in range(0, image.width(), step)
        if image.pixelColor(x, y).rgb() != background.rgb()
    )


def test_exports_png_svg_and_dot(
    open_view: OpenView, sample_document: PlanDocument, tmp_path: Path
) -> None:
    view = open_view(sample_document)
    plan = sample_document.plan
    png = view.export("png", tmp_path / "graph.png")
    image = QImage(str(png))
    assert not image.isNull() and image.width() > 1600
    step = max(4, image.width() // 400)
    busy = _busy_pixels(image, view.graph_style.background.color(), step)
    total = (image.width() // step) * (image.height() // step)
    assert 0.05 * total < busy < 0.9 * total
    svg = view.export("svg", tmp_path / "graph.svg")
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg")
    texts = {"".join(t.itertext()).strip() for t in root.iter() if t.tag.endswith("text")}
    names = {w.name for w in plan.inventory.workloads.values()}
    assert names <= texts
    assert "orders  (prod-east, 15)" in texts and "by hand" in texts  # box titles, legend
    dot = parse_dot(view.export("dot", tmp_path / "graph.dot").read_text(encoding="utf-8"))
    assert set(dot.nodes) == set(plan.inventory.workloads)
    assert {(a, b) for a, b, _ in dot.edges} == set(plan.dependencies.edges)


def test_export_menu_asks_for_a_path_and_reports_failures(
    open_view: OpenView, sample_document: PlanDocument, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    view = open_view(sample_document)
    answers = [str(tmp_path / "deps.dot"), str(tmp_path / "missing" / "deps.dot"), None]
    view.choose_export_path = lambda fmt: answers.pop(0)
    view._export_interactive("dot")
    assert (tmp_path / "deps.dot").is_file() and "Exported" in view.status.text()
    view._export_interactive("dot")
    assert dialogs.errors and "missing" in dialogs.errors[-1][1]
    view._export_interactive("dot")  # cancelled: nothing happens
    assert len(dialogs.errors) == 1


def test_zoom_with_keys_and_wheel(
    qtbot: QtBot, open_view: OpenView, sample_document: PlanDocument
) -> None:
    view = open_view(sample_document, show=True)
    canvas = view.canvas
    fitted = canvas.zoom
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_Plus)
    assert canvas.zoom == pytest.approx(fitted * 1.25)
    qtbot.keyClick(canvas, Qt.Key.Key_Plus)
    # zoomed in, the graph no longer fits: the scrollbars (and a drag) pan it
    assert canvas.dragMode() == QGraphicsView.DragMode.ScrollHandDrag
    bar = canvas.horizontalScrollBar()
    assert bar.maximum() > bar.minimum()
    before = canvas.mapToScene(canvas.viewport().rect().center())
    bar.setValue(bar.value() + 100)
    assert canvas.mapToScene(canvas.viewport().rect().center()).x() > before.x()
    for _ in range(3):
        qtbot.keyClick(canvas, Qt.Key.Key_Minus)
    assert canvas.zoom == pytest.approx(fitted / 1.25)
    centre = QPointF(canvas.viewport().rect().center())
    wheel = QWheelEvent(
        centre,
        QPointF(canvas.viewport().mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, 240),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(canvas.viewport(), wheel)
    assert canvas.zoom == pytest.approx(fitted / 1.25 * 1.15**2)
    qtbot.keyClick(canvas, Qt.Key.Key_0)
    assert canvas.zoom == pytest.approx(fitted)
    visible = canvas.mapToScene(canvas.viewport().rect()).boundingRect()
    assert visible.contains(view.scene.itemsBoundingRect())


def test_search_marks_matches_and_enter_selects_them(
    qtbot: QtBot, open_view: OpenView, sample_document: PlanDocument
) -> None:
    view = open_view(sample_document)
    qtbot.keyClicks(view.search, "kafka")
    marked = {k for k, item in view.scene.nodes.items() if item.matched}
    expected = {k for k in sample_document.plan.inventory.workloads if "kafka" in k.split("/")[-1]}
    assert marked == expected and len(expected) >= 2
    qtbot.keyClick(view.search, Qt.Key.Key_Return)
    first = [n.node.id for n in view.scene.selected_nodes()]
    qtbot.keyClick(view.search, Qt.Key.Key_Return)
    second = [n.node.id for n in view.scene.selected_nodes()]
    assert first != second and set(first + second) <= expected


def test_grouping_collapses_and_double_click_expands(
    qtbot: QtBot, open_view: OpenView, sample_document: PlanDocument
) -> None:
    view = open_view(sample_document, show=True)
    _relayout(qtbot, view, view.group_action.trigger)
    layout = view.graph_layout
    assert layout is not None and len(layout.collapsed) == 12 and not view.scene.groups
    assert all(item.is_namespace for item in view.scene.nodes.values())
    target = "prod-east/orders"
    point = _centre(view, target)
    with qtbot.waitSignal(view.layout_ready, timeout=20_000):
        qtbot.mouseDClick(view.canvas.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert target in view.scene.groups
    members = {k for k in sample_document.plan.inventory.workloads if k.startswith(target + "/")}
    assert members <= set(view.scene.nodes)
    _relayout(qtbot, view, lambda: view.collapse_namespace(target))
    assert target in view.scene.nodes and target not in view.scene.groups


def test_a_replaced_plan_is_laid_out_afresh(
    qtbot: QtBot, open_view: OpenView, sample_document: PlanDocument, sample_plan_path: Path
) -> None:
    view = open_view(sample_document, show=True)
    smaller = load_plan(sample_plan_path)
    for key in [k for k in smaller.inventory.workloads if "/orders/" not in k]:
        del smaller.inventory.workloads[key]
    smaller.dependencies.edges = {
        k: e
        for k, e in smaller.dependencies.edges.items()
        if "/orders/" in k[0] + k[1]
        and k[0] in smaller.inventory.workloads
        and k[1] in smaller.inventory.workloads
    }
    smaller.dependencies.add(
        Edge(
            *sorted(smaller.inventory.workloads)[:2],
            [Evidence("kiali", "graph")],
            requests_per_second=250.0,
        )
    )
    _relayout(qtbot, view, lambda: sample_document.replace(smaller, None))
    assert set(view.scene.nodes) == set(smaller.inventory.workloads)
    assert any(i.edge.style == "traffic" for i in view.scene.edges.values())


def test_a_hidden_view_lays_a_new_plan_out_only_when_shown(
    qtbot: QtBot, open_view: OpenView, sample_document: PlanDocument, sample_plan_path: Path
) -> None:
    view = open_view(sample_document)
    assert not view.isVisible()
    before = view.last_result
    smaller = load_plan(sample_plan_path)
    for key in [k for k in smaller.inventory.workloads if "/orders/" not in k]:
        del smaller.inventory.workloads[key]
    smaller.dependencies.edges = {}
    sample_document.replace(smaller, None)
    assert view.plan_stale and not view.layout_running and view.last_result is before
    _relayout(qtbot, view, view.show)
    assert not view.plan_stale
    assert set(view.scene.nodes) == set(smaller.inventory.workloads)


def test_context_menu_offers_what_fits_the_item(
    qtbot: QtBot, open_view: OpenView, sample_document: PlanDocument
) -> None:
    view = open_view(sample_document, show=True)

    def menu_at(node_id: str) -> dict[str, QAction]:
        menu = build_context_menu(view, _centre(view, node_id))
        return {a.text(): a for a in menu.actions()}

    menu = menu_at(ORDER_SERVICE)
    assert [n.node.id for n in view.scene.selected_nodes()] == [ORDER_SERVICE]
    assert {"Add dependency from here…", "Collapse namespace", "Show only this namespace"} <= set(
        menu
    )
    with qtbot.waitSignal(view.layout_ready, timeout=20_000):
        menu["Collapse namespace"].trigger()
    assert isinstance(view.scene.nodes["prod-east/orders"], NodeItem)
    menu = menu_at("prod-east/orders")
    assert "Expand namespace" in menu and "Add dependency from here…" not in menu
    with qtbot.waitSignal(view.layout_ready, timeout=20_000):
        menu["Show only this namespace"].trigger()
    assert view.namespace_filter == {"prod-east/orders"}
    assert "Show all namespaces" in menu_at("prod-east/orders")


def _save_screenshot(view: DependencyView, repo_root: Path, name: str) -> None:
    image = view.grab().toImage()
    assert (image.width(), image.height()) == SIZE
    for folder in (repo_root / "docs" / "screenshots", repo_root / "test-artifacts"):
        folder.mkdir(parents=True, exist_ok=True)
        assert image.save(str(folder / name))
    assert (repo_root / "docs" / "screenshots" / name).stat().st_size > 50_000


def test_sample_screenshot(
    qtbot: QtBot, open_view: OpenView, sample_document: PlanDocument, repo_root: Path
) -> None:
    view = open_view(sample_document, show=True)
    view.select_node(ORDER_SERVICE, centre=False)
    view.canvas.fit()
    qtbot.wait(50)
    _save_screenshot(view, repo_root, "dependencies.png")


def test_large_plan_opens_collapsed_with_the_layout_off_the_ui_thread(
    qtbot: QtBot, open_view: OpenView, large_plan: Plan, repo_root: Path
) -> None:
    document = PlanDocument()
    document.replace(large_plan, None)
    view = DependencyView(document)
    qtbot.addWidget(view)
    assert view.layout_running, "the constructor waited for the layout"
    view.resize(*SIZE)
    view.show()
    try:
        qtbot.waitUntil(lambda: view.last_result is not None, timeout=20_000)
        result = view.last_result
        assert result is not None and result.thread_id != threading.get_ident()
        layout = view.graph_layout
        assert layout is not None and layout.workload_count == 5000
        spaces = {w.namespace_key for w in large_plan.inventory.workloads.values()}
        assert layout.collapsed == spaces and set(view.scene.nodes) == spaces
        assert view.group_action.isChecked()
        qtbot.waitExposed(view)
        view.canvas.fit()
        qtbot.wait(50)
        _save_screenshot(view, repo_root, "dependencies-large.png")
        # expanding every workload is laid out in a worker process: see test_graph_worker
    finally:
        view.shutdown()
