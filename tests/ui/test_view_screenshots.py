"""Screenshots of the start page and every view over the sample plan, at 1600x1000,
for the docs (docs/screenshots/<view>.png)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.plans import FakeDialogs
from workbench.ui.findings_view import FindingsView
from workbench.ui.inventory_view import InventoryView
from workbench.ui.main_window import MainWindow
from workbench.ui.rollout_check import rollout_checker
from workbench.ui.theme import apply_theme
from workbench.ui.views import VIEWS

SIZE = (1600, 1000)
# The graph, Gantt and dashboard widgets write dependencies.png, gantt.png and
# dashboard.png from their own tests; here they are shown inside the window.
NAMES = {
    "dependencies": "window-dependencies",
    "gantt": "window-gantt",
    "waves": "waves-table",
    "economics": "window-economics",
    "comments": "window-comments",
}


def save(window: MainWindow, repo_root: Path, name: str) -> Path:
    image = window.grab().toImage()
    assert (image.width(), image.height()) == SIZE
    folder = repo_root / "docs" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    assert image.save(str(path))
    assert path.stat().st_size > 10_000
    return path


@pytest.fixture
def shown(qtbot: QtBot, dialogs: FakeDialogs, sample_plan_path: Path) -> MainWindow:
    window = MainWindow(dialogs=dialogs)
    qtbot.addWidget(window)
    window.resize(*SIZE)
    window.show()
    qtbot.waitExposed(window)
    return window


def prepare(window: MainWindow, qtbot: QtBot, path: Path) -> None:
    assert window.open_plan(path)
    window.document.analysis.refresh_now()
    qtbot.waitUntil(lambda: window.document.analysis.current.ready, timeout=10_000)
    inventory = window.views["inventory"]
    assert isinstance(inventory, InventoryView)
    key = sorted(window.document.plan.schedule.waves[0].members)[0]
    inventory.select_key(key)


def test_start_page_screenshot(shown: MainWindow, repo_root: Path) -> None:
    assert shown.pages.currentWidget() is shown.start_page
    save(shown, repo_root, "start-page")


@pytest.mark.parametrize("view_id", [v.id for v in VIEWS])
def test_view_screenshot(
    shown: MainWindow, qtbot: QtBot, repo_root: Path, sample_plan_path: Path, view_id: str
) -> None:
    prepare(shown, qtbot, sample_plan_path)
    view = shown.show_view(view_id)
    if isinstance(view, FindingsView):
        assert view.select_rule(view.model.roots[0].children[0].rule)
    if view_id == "rollout":
        checker = rollout_checker(shown.document)
        qtbot.waitUntil(lambda: checker.current is not None, timeout=60_000)
    qtbot.wait(50)
    save(shown, repo_root, NAMES.get(view_id, view_id))


def test_dark_theme_screenshot(
    shown: MainWindow, qtbot: QtBot, qapp: QApplication, repo_root: Path, sample_plan_path: Path
) -> None:
    old = qapp.palette()
    apply_theme(qapp, "dark")
    try:
        prepare(shown, qtbot, sample_plan_path)
        shown.show_view("inventory")
        qtbot.wait(50)
        save(shown, repo_root, "inventory-dark")
    finally:
        apply_theme(qapp, "light")
        qapp.setPalette(old)
