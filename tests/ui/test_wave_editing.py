"""Wave editing in the window: the Plan menu, the Waves table, the Gantt, "Assign to wave ›
New wave…" and the workload tray, each edit one undo step."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from tests.ui.plans import FakeDialogs
from workbench.ui.gantt.view import GanttView
from workbench.ui.inventory_view import InventoryView
from workbench.ui.main_window import MainWindow
from workbench.ui.waves_view import WavesView


def _menu(window: MainWindow, title: str) -> QMenu:
    for action in window.menuBar().actions():
        if action.text().replace("&", "") == title:
            menu = action.menu()
            assert isinstance(menu, QMenu)
            return menu
    raise AssertionError(f"no {title} menu")


def _waves(window: MainWindow) -> WavesView:
    view = window.show_view("waves")
    assert isinstance(view, WavesView)
    return view


def _pick_waves(view: WavesView, *wave_ids: str) -> None:
    selection = view.table.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    selection.clearSelection()
    for i, wave_id in enumerate(wave_ids):
        row = view.row_of(wave_id)
        assert row is not None
        index = view.model.index(row, 0)
        if i == 0:
            selection.setCurrentIndex(index, flags)
        else:
            selection.select(index, flags)


def test_plan_menu_offers_the_wave_edits(window: MainWindow, plan_path: Path) -> None:
    window.open_plan(plan_path)
    texts = [a.text().replace("&", "") for a in _menu(window, "Plan").actions() if a.text()]
    assert texts == ["New wave…", "Rename wave…", "Delete wave", "Split wave", "Merge waves"]
    editor = window.wave_editor
    assert not editor.rename.isEnabled() and not editor.merge.isEnabled()
    _pick_waves(_waves(window), "wave-01")
    assert editor.selected == ["wave-01"]
    assert editor.rename.isEnabled() and editor.delete.isEnabled() and editor.split.isEnabled()
    assert not editor.merge.isEnabled()


def test_new_rename_and_delete_wave_from_the_plan_menu_then_undo(
    window: MainWindow, dialogs: FakeDialogs, plan_path: Path
) -> None:
    window.open_plan(plan_path)
    sched = window.document.plan.schedule
    count = len(sched.waves)
    dialogs.texts.append("Payments")
    window.wave_editor.new.trigger()
    assert len(sched.waves) == count + 1
    new = sched.waves[-1]
    assert new.name == "Payments" and new.start > sched.waves[-2].end
    assert window.wave_editor.selected == [new.id]
    assert window.details.key == f"wave:{new.id}"
    dialogs.texts.append("Payments and billing")
    window.wave_editor.rename.trigger()
    assert sched.wave(new.id).name == "Payments and billing"
    # delete a wave with members: they go back to Unassigned, undo brings them back
    _pick_waves(_waves(window), "wave-02")
    members = list(sched.wave("wave-02").members)
    assert members
    window.wave_editor.delete.trigger()
    assert not sched.has_wave("wave-02")
    assert all(sched.wave_of(k) is None for k in members)
    assert set(members) <= set(window.tray.model.keys)
    window.undo_action.trigger()
    assert sched.wave("wave-02").members == members
    window.undo_action.trigger()  # the rename
    window.undo_action.trigger()  # the new wave
    assert len(sched.waves) == count and not sched.has_wave(new.id)


def test_split_and_merge_from_the_waves_table_then_undo(
    window: MainWindow, plan_path: Path
) -> None:
    window.open_plan(plan_path)
    sched = window.document.plan.schedule
    view = _waves(window)
    members = list(sched.wave("wave-01").members)
    _pick_waves(view, "wave-01")
    window.wave_editor.split.trigger()
    second = sched.waves[1]
    assert sched.wave("wave-01").members + second.members == members
    assert second.start > sched.wave("wave-01").end
    assert set(window.wave_editor.selected) == {"wave-01", second.id}
    window.undo_action.trigger()
    assert sched.wave("wave-01").members == members and len(sched.waves) == 3
    _pick_waves(view, "wave-02", "wave-03")
    assert window.wave_editor.selected == ["wave-02", "wave-03"]
    assert window.wave_editor.merge.isEnabled()
    before = list(sched.wave("wave-02").members)
    window.wave_editor.merge.trigger()
    assert [w.id for w in sched.waves] == ["wave-01", "wave-02"]
    assert sched.wave("wave-02").end.isoformat() == "2027-11-26"
    assert sched.wave("wave-02").members == before
    window.undo_action.trigger()
    assert [w.id for w in sched.waves] == ["wave-01", "wave-02", "wave-03"]


def test_assign_to_a_new_wave_from_the_inventory(
    window: MainWindow, dialogs: FakeDialogs, plan_path: Path
) -> None:
    window.open_plan(plan_path)
    view = window.show_view("inventory")
    assert isinstance(view, InventoryView)
    unassigned = sorted(window.document.plan.unassigned())[:3]
    for key in unassigned:
        view.select_key(key)
    view.table.selectAll()
    menu = view.context_menu()
    assign = next(a.menu() for a in menu.actions() if a.text() == "Assign to wave")
    assert isinstance(assign, QMenu)
    new_action = assign.actions()[0]
    assert new_action.text() == "New wave…" and new_action.isEnabled()
    dialogs.texts.append("Everything")
    new_action.trigger()
    sched = window.document.plan.schedule
    wave = sched.waves[-1]
    assert wave.name == "Everything"
    assert len(wave.members) == len(window.document.plan.inventory.workloads)
    window.undo_action.trigger()
    assert not sched.has_wave(wave.id)
    assert sorted(window.document.plan.unassigned())[:3] == unassigned


def test_cancelling_the_name_adds_no_wave(
    window: MainWindow, dialogs: FakeDialogs, plan_path: Path
) -> None:
    window.open_plan(plan_path)
    dialogs.texts.append(None)
    assert window.wave_editor.new_wave() == ""
    assert window.document.undo_stack.count() == 0


def test_tray_lists_unassigned_beside_gantt_and_waves_and_drags_onto_a_wave(
    window: MainWindow, qtbot: QtBot, plan_path: Path
) -> None:
    window.open_plan(plan_path)
    window.show()
    qtbot.waitExposed(window)
    tray = window.tray
    plan = window.document.plan
    assert tray.model.keys == sorted(plan.unassigned())
    window.show_view("inventory")
    assert not tray.isVisible()
    window.show_view("gantt")
    assert tray.isVisible()
    window.actions_.tray.setChecked(False)
    assert not tray.isVisible()
    window.actions_.tray.setChecked(True)
    window.show_view("waves")
    assert tray.isVisible()
    total = len(tray.model.keys)
    tray.filter_edit.setText("svc-04")
    shown = tray.shown_keys()
    assert shown and all("svc-04" in k for k in shown) and len(shown) < total
    assert tray.count_label.text() == f"{len(shown)} of {total} unassigned"
    # drag the filtered rows onto wave-03's row of the Waves table
    tray.list.selectAll()
    data = tray.model.mimeData([tray.proxy.mapToSource(i) for i in tray.list.selectedIndexes()])
    waves = _waves(window)
    row = waves.row_of("wave-03")
    assert row is not None
    assert waves.model.dropMimeData(
        data, waves.model.supportedDropActions(), -1, -1, waves.model.index(row, 0)
    )
    assert plan.schedule.wave("wave-03").members == shown
    assert not tray.shown_keys()
    # and back: a drop on the tray unassigns
    back = tray.model.dropMimeData(data, tray.model.supportedDropActions(), -1, -1, QModelIndex())
    assert back and not plan.schedule.wave("wave-03").members
    assert tray.shown_keys() == shown


def test_gantt_selection_drives_the_details_and_the_wave_editor(
    window: MainWindow, qtbot: QtBot, plan_path: Path
) -> None:
    window.open_plan(plan_path)
    window.show()  # the Gantt builds its bars when it is first on screen
    qtbot.waitExposed(window)
    gantt = window.show_view("gantt")
    assert isinstance(gantt, GanttView)
    gantt.scene.bars["wave-02"].setSelected(True)
    assert window.details.key == "wave:wave-02"
    assert window.wave_editor.selected == ["wave-02"]
    gantt.scene.bars["wave-03"].setSelected(True)
    assert set(window.wave_editor.selected) == {"wave-02", "wave-03"}
    # the Waves table follows a wave picked on the Gantt
    waves = _waves(window)
    assert waves.selected_wave_ids()[-1:] == ["wave-03"]
