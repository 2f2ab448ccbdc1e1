"""The inventory shows, sorts and filters imported business metadata."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from workbench.domain.business import BusinessInfo
from workbench.domain.commands_business import SetBusinessInfo
from workbench.ui.inventory_columns import HEADERS
from workbench.ui.inventory_view import InventoryView
from workbench.ui.main_window import MainWindow


def test_business_columns_follow_an_import_and_its_undo(
    window: MainWindow, qtbot: QtBot, sample_plan_path: Path, repo_root: Path
) -> None:
    assert window.open_plan(sample_plan_path)
    view = window.views["inventory"]
    assert isinstance(view, InventoryView)
    keys = sorted(window.document.plan.inventory.workloads)[:3]
    infos = {
        keys[0]: BusinessInfo(owner="team-checkout", criticality="critical"),
        keys[1]: BusinessInfo(
            owner="team-search",
            criticality="low",
            slo_tier="gold",
            environment="staging",
            maintenance="Sat 01:00-05:00",
        ),
        keys[2]: BusinessInfo(owner="team-checkout", criticality="high"),
    }
    window.document.execute(SetBusinessInfo(infos))
    col = {h: i for i, h in enumerate(HEADERS)}

    def cell(key: str, header: str) -> str:
        row = view.visible_keys().index(key)
        return str(view.proxy.data(view.proxy.index(row, col[header])))

    assert cell(keys[0], "Owner team") == "team-checkout"
    assert cell(keys[1], "Criticality") == "low"
    assert cell(keys[1], "Environment") == "staging"
    assert cell(keys[1], "SLO tier") == "gold"
    assert cell(keys[1], "Maintenance window") == "Sat 01:00-05:00"
    view.filter_edit.setText("sat 01:00")
    assert view.visible_keys() == [keys[1]]
    view.filter_edit.setText("team-checkout")
    assert sorted(view.visible_keys()) == sorted([keys[0], keys[2]])
    view.filter_edit.setText("gold")
    assert view.visible_keys() == [keys[1]]
    view.filter_edit.setText("")
    view.table.sortByColumn(col["Criticality"], Qt.SortOrder.AscendingOrder)
    assert view.visible_keys()[:3] == [keys[0], keys[2], keys[1]]  # critical, high, low
    window.resize(1600, 1000)
    window.show()
    window.show_view("inventory")
    qtbot.waitExposed(window)
    bar = view.table.horizontalScrollBar()
    bar.setValue(bar.maximum())
    image = view.grab().toImage()
    (repo_root / "test-artifacts").mkdir(exist_ok=True)
    assert image.save(str(repo_root / "test-artifacts" / "inventory-business.png"))
    window.document.undo_stack.undo()
    assert cell(keys[0], "Owner team") == ""
    assert cell(keys[1], "Maintenance window") == ""
