"""Every view in the window at 1400x900 and 1920x1080, light and dark, saved under
test-artifacts/window/ to be looked at; and the layout checks that go with them: the view
list keeps its width, the graph's toolbar and legend are not clipped."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QToolButton
from pytestqt.qtbot import QtBot

from tests.ui.plans import FakeDialogs
from workbench.ui.findings_view import FindingsView
from workbench.ui.graph.view import DependencyView
from workbench.ui.main_window import NAV_WIDTH, MainWindow
from workbench.ui.theme import apply_theme
from workbench.ui.views import VIEWS

SIZES = ((1400, 900), (1920, 1080))
THEMES = ("light", "dark")


@pytest.fixture(params=THEMES)
def theme(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    apply_theme(qapp, request.param)
    yield request.param
    apply_theme(qapp, "light")


@pytest.fixture(params=SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def window_at(
    request: pytest.FixtureRequest, qtbot: QtBot, dialogs: FakeDialogs, sample_plan_path: Path
) -> Iterator[MainWindow]:
    window = MainWindow(dialogs=dialogs)
    qtbot.addWidget(window)
    window.resize(*request.param)
    window.show()
    qtbot.waitExposed(window)
    assert window.open_plan(sample_plan_path)
    window.document.analysis.refresh_now()
    qtbot.waitUntil(lambda: window.document.analysis.current.ready, timeout=20_000)
    yield window
    window.document.undo_stack.setClean()


def _save(window: MainWindow, repo_root: Path, name: str) -> Path:
    image = window.grab().toImage()
    assert (image.width(), image.height()) == (window.width(), window.height())
    folder = repo_root / "test-artifacts" / "window"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}-{window.width()}x{window.height()}.png"
    assert image.save(str(path))
    assert path.stat().st_size > 10_000
    return path


def _show(window: MainWindow, qtbot: QtBot, view_id: str) -> None:
    plan = window.document.plan
    key = sorted(plan.schedule.waves[0].members)[0]
    view = window.show_view(view_id)
    window.navigate(key) if view_id == "inventory" else None
    if isinstance(view, FindingsView):
        view.refresh()
        assert view.select_rule(view.model.roots[0].children[0].rule)
    charts = getattr(view, "charts", None)
    for slot in getattr(charts, "slots", {}).values():
        slot.rebuild()  # at the final size, without waiting for the resize debounce
    if isinstance(view, DependencyView):
        qtbot.waitUntil(lambda: not view.layout_running and view.graph_layout is not None)
        view.follow_key(key)
    qtbot.wait(80)


@pytest.mark.parametrize("view_id", [v.id for v in VIEWS])
def test_every_view_at_both_sizes_in_both_themes(
    window_at: MainWindow, qtbot: QtBot, repo_root: Path, theme: str, view_id: str
) -> None:
    _show(window_at, qtbot, view_id)
    assert window_at.nav.width() == NAV_WIDTH
    _save(window_at, repo_root, f"{view_id}-{theme}")


def test_the_view_list_keeps_its_width_after_the_economics_view(
    window_at: MainWindow, qtbot: QtBot
) -> None:
    window_at.show_view("economics")
    qtbot.wait(50)
    window_at.show_view("inventory")
    assert window_at.nav.width() == NAV_WIDTH
    for row in range(window_at.nav.count()):
        rect = window_at.nav.visualItemRect(window_at.nav.item(row))
        text = window_at.nav.item(row).text()
        assert window_at.nav.fontMetrics().horizontalAdvance(text) + 32 < rect.width()


def test_graph_toolbar_and_legend_are_not_clipped(
    window_at: MainWindow, qtbot: QtBot, repo_root: Path
) -> None:
    view = window_at.show_view("dependencies")
    assert isinstance(view, DependencyView)
    qtbot.waitUntil(lambda: not view.layout_running and view.graph_layout is not None)
    qtbot.wait(50)
    extension = view.toolbar.findChild(QToolButton, "qt_toolbar_ext_button")
    assert extension is None or not extension.isVisible(), "toolbar actions overflow"
    assert view.search.width() >= 180
    legend, status = view.legend.geometry(), view.status.geometry()
    assert legend.width() >= view.legend.sizeHint().width(), "legend squeezed"
    assert legend.right() < status.left(), "legend runs into the edge count"
    assert status.height() >= view.status.heightForWidth(status.width()), "counts clipped"
    assert "edges" in view.status.text()
    # another, taller view (the dashboard) must not push the legend out of sight
    assert not window_at.view_scroll.verticalScrollBar().isVisible(), "the view scrolls"


def test_help_and_tray_screenshots(window_at: MainWindow, qtbot: QtBot, repo_root: Path) -> None:
    window_at.show_view("gantt")
    assert window_at.tray.isVisible()
    help_window = window_at.show_help("rules")
    help_window.resize(900, 680)
    qtbot.wait(50)
    image = help_window.grab().toImage()
    folder = repo_root / "test-artifacts" / "window"
    folder.mkdir(parents=True, exist_ok=True)
    assert image.save(str(folder / f"help-rules-{window_at.width()}.png"))
    help_window.show_topic("guide")
    assert help_window.grab().toImage().save(str(folder / f"help-guide-{window_at.width()}.png"))
    help_window.close()
