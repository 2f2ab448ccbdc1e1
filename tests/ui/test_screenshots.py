"""A picture of the main window for the docs, rendered offscreen at 1600x1000."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt
from pytestqt.qtbot import QtBot

from tests.ui.plans import FakeDialogs, build_plan
from workbench.io.plan_file import load_plan, save_plan
from workbench.ops.summary import plan_summary
from workbench.ui.inventory_columns import HEADERS
from workbench.ui.main_window import MainWindow

SIZE = (1600, 1000)


def _plan_to_show(repo_root: Path, tmp_path: Path) -> Path:
    sample = repo_root / "plans" / "seed-playbook.meshplan"
    if sample.is_file():
        return sample
    path = tmp_path / "estate.meshplan"
    save_plan(build_plan(150, title="Fixture estate (150 workloads)"), path)
    return path


def test_main_window_screenshot(
    qtbot: QtBot, dialogs: FakeDialogs, repo_root: Path, tmp_path: Path
) -> None:
    window = MainWindow(dialogs=dialogs)
    qtbot.addWidget(window)
    path = _plan_to_show(repo_root, tmp_path)
    assert window.open_plan(path)
    expected = plan_summary(load_plan(path))
    assert window.header.counts() == {k: expected[k] for k in window.header.counts()}
    window.resize(*SIZE)
    window.show()
    qtbot.waitExposed(window)
    window.inventory.table.sortByColumn(HEADERS.index("Wave"), Qt.SortOrder.AscendingOrder)
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in (1, 2):
        window.inventory.table.selectionModel().select(window.inventory.proxy.index(row, 0), flags)
    qtbot.wait(50)
    image = window.grab().toImage()
    assert (image.width(), image.height()) == SIZE
    for folder in (repo_root / "docs" / "screenshots", repo_root / "test-artifacts"):
        folder.mkdir(parents=True, exist_ok=True)
        assert image.save(str(folder / "main-window.png"))
    assert (repo_root / "docs" / "screenshots" / "main-window.png").stat().st_size > 10_000
