"""The status bar tells when the open plan's inventory has import gaps, and which
contexts could not be read at all."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.strategies import build_plan
from workbench.domain.inventory import ImportGap
from workbench.ui.main_window import MainWindow


def test_import_gaps_show_in_the_status_bar(qtbot: QtBot, window: MainWindow) -> None:
    window.resize(1500, 700)
    window.show()
    panel = window.findChild(object, "statusImportGaps")
    assert panel is not None
    plan = build_plan(20)
    window.document.replace(plan, None)
    assert not panel.isVisible()
    gapped = build_plan(20)
    gapped.inventory.gaps = [
        ImportGap(
            "east", "*", "cannot import context 'east' from https://east: connection refused"
        ),
        ImportGap("cluster-1", "secrets", "403 Forbidden", "payments"),
    ]
    window.document.replace(gapped, None)
    qtbot.waitUntil(panel.isVisible, timeout=5000)
    assert "2 import gap(s)" in panel.text() and "not read: east" in panel.text()
    assert "payments secrets: 403 Forbidden" in panel.toolTip()
    qtbot.wait(300)  # let the bar lay out the new text
    repo_root = Path(__file__).resolve().parents[2]
    folder = repo_root / "test-artifacts"
    folder.mkdir(exist_ok=True)
    window.statusBar().grab().save(str(folder / "status-import-gaps.png"))
