"""The dependency graph in the window at 1400x900 and 1920x1080, light and dark, on the
sample plan and on Online Boutique: saved as docs/screenshots/graph-*.png to be looked at,
with the checks that go with them: toolbar and legend whole (grouped or not), canvas,
boxes, labels and edges in the palette's colours, Online Boutique's edges clear of every
workload they do not start or end in."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QToolButton
from pytestqt.qtbot import QtBot

from tests.ops.graph_estates import boutique_key, online_boutique
from tests.ui.plans import FakeDialogs
from workbench.io.plan_file import save_plan
from workbench.ui.graph.style import EdgeState
from workbench.ui.graph.view import DependencyView
from workbench.ui.main_window import MainWindow
from workbench.ui.theme import apply_theme

SIZES = ((1400, 900), (1920, 1080))


@pytest.fixture(params=("light", "dark"))
def theme(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    apply_theme(qapp, request.param)
    yield request.param
    apply_theme(qapp, "light")


def _graph_in_window(
    qtbot: QtBot, dialogs: FakeDialogs, path: Path, size: tuple[int, int]
) -> tuple[MainWindow, DependencyView]:
    window = MainWindow(dialogs=dialogs)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    assert window.open_plan(path)
    view = window.show_view("dependencies")
    assert isinstance(view, DependencyView)
    qtbot.waitUntil(
        lambda: not view.layout_running and view.graph_layout is not None, timeout=20_000
    )
    qtbot.wait(50)
    return window, view


def _assert_whole(view: DependencyView) -> None:
    extension = view.toolbar.findChild(QToolButton, "qt_toolbar_ext_button")
    assert extension is None or not extension.isVisible(), "toolbar actions overflow"
    assert view.search.width() >= 180
    legend, status = view.legend.geometry(), view.status.geometry()
    # the legend is on one line, or wrapped onto as many as it needs: never cut off
    assert legend.height() >= view.legend.heightForWidth(legend.width()), "legend clipped"
    if view.legend.lines() > 1:
        assert legend.width() < view.legend.sizeHint().width()
    assert legend.right() < status.left(), "legend runs into the edge count"
    assert status.height() >= view.status.heightForWidth(status.width()), "counts clipped"


def _assert_palette(view: DependencyView) -> None:
    palette = view.palette()
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    dark = base.lightnessF() < 0.5
    style = view.graph_style
    background = view.scene.backgroundBrush().color()
    assert (background.lightnessF() < 0.5) == dark
    assert (style.group_brush.color().lightnessF() < 0.5) == dark
    assert style.text_pens["text"].color() == text
    edge = next(iter(view.scene.edges.values()))
    colour = edge.pen().color()
    assert abs(colour.lightnessF() - background.lightnessF()) > 0.25, "edges fade into the canvas"


def _save(window: MainWindow, repo_root: Path, name: str) -> None:
    image = window.grab().toImage()
    assert (image.width(), image.height()) == (window.width(), window.height())
    path = repo_root / "docs" / "screenshots" / f"{name}-{window.width()}x{window.height()}.png"
    assert image.save(str(path))
    assert path.stat().st_size > 20_000


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_sample_graph_at_both_sizes_and_themes(
    qtbot: QtBot,
    dialogs: FakeDialogs,
    sample_plan_path: Path,
    repo_root: Path,
    theme: str,
    size: tuple[int, int],
) -> None:
    window, view = _graph_in_window(qtbot, dialogs, sample_plan_path, size)
    _assert_whole(view)
    _assert_palette(view)
    view.select_node("prod-east/orders/Deployment/order-service", centre=False)
    view.canvas.fit()
    qtbot.wait(50)
    _save(window, repo_root, f"graph-sample-{theme}")
    with qtbot.waitSignal(view.layout_ready, timeout=20_000):
        view.set_grouping(True)  # the legend gains a row and must still fit
    qtbot.wait(50)
    _assert_whole(view)
    window.document.undo_stack.setClean()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_online_boutique_at_both_sizes_and_themes(
    qtbot: QtBot,
    dialogs: FakeDialogs,
    tmp_path: Path,
    repo_root: Path,
    theme: str,
    size: tuple[int, int],
) -> None:
    path = tmp_path / "online-boutique.meshplan"
    save_plan(online_boutique(), path)
    window, view = _graph_in_window(qtbot, dialogs, path, size)
    _assert_whole(view)
    _assert_palette(view)
    layout = view.graph_layout
    assert layout is not None
    # no drawn edge passes under a workload it does not start or end in
    for (source, target), item in view.scene.edges.items():
        path_ = item.path()
        points = [path_.pointAtPercent(i / 200) for i in range(201)]
        for key, node in layout.nodes.items():
            if key in (source, target):
                continue
            rect = QRectF(node.x, node.y, node.width, node.height).adjusted(1, 1, -1, -1)
            assert not any(rect.contains(p) for p in points), f"{source}->{target} under {key}"
            for p, q in itertools.pairwise(points):
                mid = QPointF((p.x() + q.x()) / 2, (p.y() + q.y()) / 2)
                assert not rect.contains(mid)
    # hovering cartservice -> redis-cart lights exactly those two
    key = (boutique_key("cartservice"), boutique_key("redis-cart"))
    view.scene.hover_edge(key)
    assert view.highlighted() == ({key[0]}, {key[1]})
    assert view.scene.edges[key].state is EdgeState.OUTGOING
    view.scene.hover_edge(None)
    view.select_node(boutique_key("checkoutservice"), centre=False)
    view.canvas.fit()
    qtbot.wait(50)
    _save(window, repo_root, f"graph-boutique-{theme}")
    window.document.undo_stack.setClean()
