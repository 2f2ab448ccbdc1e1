"""The main window on a plan: title, counts, the inventory table, edits with undo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from tests.ui.plans import FakeDialogs
from workbench.domain.plan import Plan
from workbench.ops.summary import plan_summary
from workbench.ui.inventory_columns import HEADERS, WAVE_COLUMN
from workbench.ui.main_window import MainWindow

NAME_COL = HEADERS.index("Name")
PODS_COL = HEADERS.index("Pods")
CPU_COL = HEADERS.index("CPU (cores)")
MEM_COL = HEADERS.index("Memory (MiB)")


def select_rows(window: MainWindow, rows: list[int]) -> None:
    table = window.inventory.table
    sel = table.selectionModel()
    sel.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in rows:
        sel.select(window.inventory.proxy.index(row, 0), flags)


def menu_action(menu: QMenu, *path: str) -> QAction:
    """The action reached by following menu texts that start with each part of ``path``."""
    current = menu
    for i, part in enumerate(path):
        for action in current.actions():
            if action.text().replace("&", "").startswith(part):
                if i == len(path) - 1:
                    return action
                sub = action.menu()
                assert isinstance(sub, QMenu)
                current = sub
                break
        else:
            raise AssertionError(
                f"no menu entry {part!r} in {[a.text() for a in current.actions()]}"
            )
    raise AssertionError("empty path")


def cell(window: MainWindow, row: int, col: int) -> str:
    proxy = window.inventory.proxy
    return str(proxy.data(proxy.index(row, col)))


def test_open_plan_shows_title_counts_and_rows(
    window: MainWindow, plan: Plan, plan_path: Path
) -> None:
    assert window.open_plan(plan_path)
    expected = plan_summary(plan)
    counts = window.header.counts()
    assert counts == {k: expected[k] for k in counts}
    assert counts["workloads"] == 50 and counts["waves"] == 3 and counts["phases"] == 4
    assert counts["unassigned"] == 50 - 50 // 3
    assert window.header.title_label.text() == "Fixture estate"
    assert window.windowTitle() == "Fixture estate[*] — Mesh Migration Workbench"
    assert not window.isWindowModified()
    assert window.inventory.proxy.rowCount() == 50
    assert sorted(window.inventory.visible_keys()) == sorted(plan.inventory.workloads)
    assert window.inventory.count_label.text() == "50 workloads"
    # cells follow the units: cores and MiB from millicores and bytes
    key = window.inventory.visible_keys()[0]
    w = plan.inventory.workloads[key]
    assert cell(window, 0, CPU_COL) == f"{w.cpu_request_m() / 1000:,.2f}"
    assert cell(window, 0, MEM_COL) == str(w.memory_request_bytes() // (1024 * 1024))


def test_sort_by_numeric_and_text_columns(window: MainWindow, plan_path: Path) -> None:
    window.open_plan(plan_path)
    table = window.inventory.table
    table.sortByColumn(PODS_COL, Qt.SortOrder.DescendingOrder)
    pods = [int(cell(window, r, PODS_COL)) for r in range(50)]
    assert pods == sorted(pods, reverse=True) and pods[0] > pods[-1]
    table.sortByColumn(CPU_COL, Qt.SortOrder.AscendingOrder)
    cpu = [float(c) for r in range(50) if (c := cell(window, r, CPU_COL)) != "—"]
    assert cpu == sorted(cpu)
    table.sortByColumn(MEM_COL, Qt.SortOrder.AscendingOrder)
    mib = [int(c) for r in range(50) if (c := cell(window, r, MEM_COL)) != "—"]
    assert mib == sorted(mib) and mib[0] == 64 and mib[-1] == 320  # numeric, not "128" < "64"
    table.sortByColumn(NAME_COL, Qt.SortOrder.AscendingOrder)
    names = [cell(window, r, NAME_COL) for r in range(50)]
    assert names == sorted(names)
    table.sortByColumn(WAVE_COLUMN, Qt.SortOrder.AscendingOrder)
    waves = [cell(window, r, WAVE_COLUMN) for r in range(50)]
    assert waves[0] == "Pilot wave" and waves[-1] == "unassigned"  # schedule order


def test_filter_box_narrows_rows_and_counts(window: MainWindow, plan_path: Path) -> None:
    window.open_plan(plan_path)
    QTest.keyClicks(window.inventory.filter_edit, "payment")  # typed like a user
    shown = window.inventory.visible_keys()
    assert shown and len(shown) < 50
    assert all("/payment-service/" in k for k in shown)
    assert window.inventory.count_label.text() == f"{len(shown)} of 50 workloads"
    window.inventory.filter_edit.setText("prod-eu statefulset")  # every word must match
    shown = window.inventory.visible_keys()
    assert shown and all(k.startswith("prod-eu/") and "/StatefulSet/" in k for k in shown)
    window.inventory.filter_edit.setText("unassigned pilot")
    assert window.inventory.visible_keys() == []
    window.inventory.filter_edit.clear()
    assert window.inventory.proxy.rowCount() == 50


def test_assign_by_context_menu_then_undo_and_redo(window: MainWindow, plan_path: Path) -> None:
    window.open_plan(plan_path)
    window.inventory.filter_edit.setText("unassigned")
    select_rows(window, [0, 1, 2])
    keys = window.inventory.selected_keys()
    assert len(keys) == 3
    before = window.header.counts()["unassigned"]

    menu_action(window.inventory.context_menu(), "Assign to wave", "Core wave B").trigger()
    plan = window.document.plan
    assert [plan.schedule.wave_of(k) for k in keys] == ["wave-03"] * 3
    assert window.isWindowModified()
    assert window.header.counts()["unassigned"] == before - 3
    assert not set(keys) & set(window.inventory.visible_keys())  # the filter re-applies
    assert window.undo_action.isEnabled() and "wave-03" in window.undo_action.text()

    assert window.save_state_label.text() == "Unsaved changes"
    window.undo_action.trigger()
    assert [plan.schedule.wave_of(k) for k in keys] == [None] * 3
    assert not window.isWindowModified()
    assert window.save_state_label.text() == "All changes saved"
    assert window.header.counts()["unassigned"] == before
    assert set(keys) <= set(window.inventory.visible_keys())

    window.redo_action.trigger()
    assert [plan.schedule.wave_of(k) for k in keys] == ["wave-03"] * 3
    assert window.isWindowModified()


def test_unassign_by_context_menu(window: MainWindow, plan_path: Path) -> None:
    window.open_plan(plan_path)
    window.inventory.filter_edit.setText("pilot wave")
    select_rows(window, [0])
    (key,) = window.inventory.selected_keys()
    menu_action(window.inventory.context_menu(), "Unassign").trigger()
    assert window.document.plan.schedule.wave_of(key) is None
    window.inventory.filter_edit.clear()
    row = window.inventory.visible_keys().index(key)
    assert cell(window, row, WAVE_COLUMN) == "unassigned"
    window.undo_action.trigger()
    assert window.document.plan.schedule.wave_of(key) == "wave-01"
    assert cell(window, row, WAVE_COLUMN) == "Pilot wave"


def test_context_menu_without_selection_offers_nothing(window: MainWindow, plan_path: Path) -> None:
    window.open_plan(plan_path)
    menu = window.inventory.context_menu()
    assert not menu_action(menu, "Assign to wave").isEnabled()
    assert not menu_action(menu, "Unassign").isEnabled()


def test_refused_edit_is_shown_and_leaves_no_undo_step(
    window: MainWindow, dialogs: FakeDialogs, plan_path: Path
) -> None:
    window.open_plan(plan_path)
    key = next(iter(window.document.plan.inventory.workloads))
    assert not window.assign_to_wave([key], "wave-99")
    assert dialogs.errors and "wave-99" in dialogs.errors[0][1]
    assert window.document.undo_stack.count() == 0
    assert not window.isWindowModified()


def test_window_geometry_is_remembered(qtbot: QtBot, dialogs: FakeDialogs) -> None:
    first = MainWindow(dialogs=dialogs)
    qtbot.addWidget(first)
    first.resize(640, 480)  # within the 800x800 offscreen screen
    first.close()
    second = MainWindow(dialogs=dialogs)
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (640, 480)


def test_sorting_keeps_the_selection_and_survives_reopening(
    window: MainWindow, plan_path: Path
) -> None:
    window.open_plan(plan_path)
    select_rows(window, [0, 7, 21])
    chosen = set(window.inventory.selected_keys())
    window.inventory.table.sortByColumn(CPU_COL, Qt.SortOrder.DescendingOrder)
    assert set(window.inventory.selected_keys()) == chosen
    window.inventory.table.sortByColumn(NAME_COL, Qt.SortOrder.DescendingOrder)
    assert set(window.inventory.selected_keys()) == chosen
    window.open_plan(plan_path)  # a fresh plan comes in sorted the same way
    names = [cell(window, r, NAME_COL) for r in range(50)]
    assert names == sorted(names, reverse=True)


def test_equal_values_stay_in_key_order_both_ways(window: MainWindow, plan_path: Path) -> None:
    window.open_plan(plan_path)
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        window.inventory.table.sortByColumn(PODS_COL, order)
        keys = window.inventory.visible_keys()
        pods = [int(cell(window, r, PODS_COL)) for r in range(50)]
        for value in set(pods):
            same = [k for k, p in zip(keys, pods, strict=True) if p == value]
            assert same == sorted(same)


def test_menus_and_shortcuts(window: MainWindow) -> None:
    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions()}
    assert list(menus) == ["File", "Edit", "View", "Plan", "Help"]
    file_menu, edit_menu = menus["File"], menus["Edit"]
    assert isinstance(file_menu, QMenu) and isinstance(edit_menu, QMenu)
    shortcuts = {
        a.text().replace("&", ""): a.shortcut().toString()
        for a in file_menu.actions() + edit_menu.actions()
        if not a.isSeparator()
    }
    assert shortcuts["Open…"] == "Ctrl+O"
    assert shortcuts["Save"] == "Ctrl+S"
    assert shortcuts["Save As…"] == "Ctrl+Shift+S"
    assert shortcuts["Quit"] == "Ctrl+Q"
    assert shortcuts["Close"] == "Ctrl+W"
    assert shortcuts["Undo"] == "Ctrl+Z"
    assert shortcuts["Redo"] in {"Ctrl+Shift+Z", "Ctrl+Y"}
    assert "Open Recent" in shortcuts
    assert window.windowTitle() == "Untitled plan[*] — Mesh Migration Workbench"
    assert window.header.counts()["workloads"] == 0


def test_missing_requests_show_a_dash_and_sort_first(window: MainWindow, plan_path: Path) -> None:
    window.open_plan(plan_path)
    plan = window.document.plan
    bare = sorted(
        k
        for k, w in plan.inventory.workloads.items()
        if not w.containers[0].resources.cpu_request_m
    )
    assert bare  # the fixture has workloads without requests
    window.inventory.table.sortByColumn(CPU_COL, Qt.SortOrder.AscendingOrder)
    assert window.inventory.visible_keys()[: len(bare)] == bare
    assert {cell(window, r, CPU_COL) for r in range(len(bare))} == {"—"}
    assert cell(window, len(bare), CPU_COL) != "—"
    window.inventory.filter_edit.setText("—")
    assert sorted(window.inventory.visible_keys()) == bare
