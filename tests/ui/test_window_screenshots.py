"""Every view in the window at 1400x900 and 1920x1080, light and dark, saved under
docs/screenshots/views/ to be looked at; and the layout checks that go with them: the view
list keeps its width, the graph's toolbar and legend are not clipped, the economics view
fits without scrolling sideways and draws its charts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QToolButton
from pytestqt.qtbot import QtBot

from tests.ui.plans import FakeDialogs
from workbench.ops.comments import new_comment
from workbench.ui.dashboard.dashboard import EconomicsDashboard
from workbench.ui.findings_view import FindingsView
from workbench.ui.graph.view import DependencyView
from workbench.ui.main_window import NAV_WIDTH, MainWindow
from workbench.ui.rollout_check import rollout_checker
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
    request: pytest.FixtureRequest,
    qtbot: QtBot,
    dialogs: FakeDialogs,
    sample_plan_path: Path,
    theme: str,  # applied first, as at start-up
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
    folder = repo_root / "docs" / "screenshots" / "views"
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
    if charts is not None:  # every chart drawn (a step a turn), Monte Carlo's included
        recompute = view.recompute  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda: recompute.monte_carlo is not None, timeout=60_000)
        qtbot.waitUntil(lambda: not charts.pending, timeout=60_000)
    if isinstance(view, DependencyView):
        qtbot.waitUntil(lambda: not view.layout_running and view.graph_layout is not None)
        view.follow_key(key)
    if view_id == "rollout":  # the check's outcome, not an empty "not checked yet"
        checker = rollout_checker(window.document)
        checker.request(now=True)
        qtbot.waitUntil(lambda: checker.current is not None, timeout=60_000)
    if view_id == "comments":  # a thread to read, as a reviewed plan has
        wave = plan.schedule.waves[0].id
        window.document.execute(
            new_comment(plan, f"wave:{wave}", "Pilot after the CNI rollout?", "reviewer")
        )
        window.document.execute(
            new_comment(plan, "plan", "Costs checked against the 2026 budget.", "finance")
        )
        window.document.undo_stack.setClean()  # a reviewed plan, as saved
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


def test_help_and_tray_screenshots(
    window_at: MainWindow, qtbot: QtBot, repo_root: Path, theme: str
) -> None:
    window_at.show_view("gantt")
    assert window_at.tray.isVisible()
    help_window = window_at.show_help("rules")
    help_window.resize(900, 680)
    qtbot.wait(50)
    image = help_window.grab().toImage()
    folder = repo_root / "docs" / "screenshots" / "views"
    folder.mkdir(parents=True, exist_ok=True)
    assert image.save(str(folder / f"help-rules-{theme}.png"))
    help_window.show_topic("guide")
    guide = help_window.grab().toImage()
    assert guide.save(str(folder / f"help-guide-{theme}.png"))
    help_window.close()


def _luminance(colour: QColor) -> float:
    return 0.2126 * colour.redF() + 0.7152 * colour.greenF() + 0.0722 * colour.blueF()


def test_economics_fits_the_window_with_its_charts_drawn(
    window_at: MainWindow, qtbot: QtBot, theme: str
) -> None:
    view = window_at.show_view("economics")
    assert isinstance(view, EconomicsDashboard)
    assert view.scenarios.choose("playbook")  # its long description must wrap, not widen
    assert len(view.scenarios.description.text()) > 200
    view.refresh_now()
    qtbot.waitUntil(lambda: view.charts.report is not None, timeout=20_000)
    qtbot.wait(400)  # the resize debounce of the charts
    qtbot.waitUntil(lambda: not view.charts.pending, timeout=20_000)  # drawn a turn each
    assert not window_at.view_scroll.horizontalScrollBar().isVisible(), "scrolls sideways"
    assert view.width() <= window_at.view_scroll.viewport().width()
    assert window_at.nav.width() == NAV_WIDTH
    dark = theme == "dark"
    for slot in view.charts.slots.values():
        assert slot.picture is not None and slot.isVisible(), f"{slot.key} not drawn"
        assert slot.width() >= 200 and slot.height() >= 150
        image = slot.grab().toImage()
        step = 7
        colours = {
            image.pixel(x, y)
            for x in range(0, image.width(), step)
            for y in range(0, image.height(), step)
        }
        assert len(colours) > 8, f"{slot.key} is blank"
        face = slot.figure.get_facecolor()
        assert (sum(face[:3]) / 3 < 0.5) == dark, f"{slot.key} ignores the theme"
    for tile in view.tiles.tiles.values():
        value = tile.value
        shown = value.fontMetrics().horizontalAdvance(value.text())
        assert shown <= value.width(), f"{tile.spec.key}: {value.text()!r} is cut"
        assert value.font().pointSizeF() >= 10
    title = view.findChild(QLabel, "dashboard-title")
    assert title is not None
    text = title.palette().color(title.foregroundRole())
    back = window_at.palette().color(QPalette.ColorRole.Window)
    assert abs(_luminance(text) - _luminance(back)) > 0.5, "the title does not stand out"
    window_at.document.undo_stack.undo()  # back to the plan's own assumptions


def test_gantt_canvas_follows_the_theme(window_at: MainWindow, qtbot: QtBot, theme: str) -> None:
    view = window_at.show_view("gantt")
    qtbot.wait(100)
    canvas = view.canvas  # type: ignore[attr-defined]
    image = canvas.viewport().grab().toImage()
    corner = QColor(image.pixel(image.width() - 3, image.height() - 3))
    assert (_luminance(corner) < 0.3) == (theme == "dark"), corner.name()
