"""File › Close, imports that start a new plan and clear the views' filters."""

from __future__ import annotations

from pathlib import Path

from tests.ui.plans import FakeDialogs, build_plan
from workbench.ui.import_dialogs import FilesImportDialog, ImportDialog
from workbench.ui.inventory_view import InventoryView
from workbench.ui.main_window import MainWindow


def test_close_returns_to_the_start_page_after_asking_to_save(
    window: MainWindow, dialogs: FakeDialogs, plan_path: Path
) -> None:
    from workbench.ui.dialogs import UnsavedChoice

    window.open_plan(plan_path)
    assert window.pages.currentWidget() is not window.start_page
    window.unassign(list(window.document.plan.schedule.waves[0].members))
    dialogs.unsaved_answers.append(UnsavedChoice.CANCEL)
    window.actions_.close.trigger()
    assert window.document.path is not None  # cancelled: the plan stays open
    dialogs.unsaved_answers.append(UnsavedChoice.DISCARD)
    window.actions_.close.trigger()
    assert window.document.path is None and window.document.is_empty
    assert window.pages.currentWidget() is window.start_page
    assert not window.tray.isVisible()


def test_import_defaults_to_a_new_plan_and_clears_filters(
    window: MainWindow, plan_path: Path
) -> None:
    window.open_plan(plan_path)
    dialog = window.import_files()
    assert isinstance(dialog, FilesImportDialog) and isinstance(dialog, ImportDialog)
    assert dialog.new_radio.isChecked() and dialog.merge_radio.isEnabled()
    dialog.close()
    merging = window.import_files(new=False)
    assert isinstance(merging, ImportDialog) and merging.merge_radio.isChecked()
    merging.close()
    inventory = window.show_view("inventory")
    assert isinstance(inventory, InventoryView)
    inventory.filter_edit.setText("svc-001")
    window.tray.filter_edit.setText("svc")
    window.document.undo_stack.setClean()
    window.apply_import(build_plan(12, "Imported"), merge=False)
    assert inventory.filter_edit.text() == "" and window.tray.filter_edit.text() == ""
    assert len(inventory.visible_keys()) == 12
    assert window.document.plan.meta.title == "Imported"


def test_recent_plans_of_the_same_name_show_their_folders(
    window: MainWindow, tmp_path: Path
) -> None:
    from workbench.io.plan_file import save_plan

    paths = [tmp_path / folder / "seed-playbook.meshplan" for folder in ("team-a", "team-b")]
    for path in paths:
        path.parent.mkdir()
        save_plan(build_plan(6), path)
        assert window.open_plan(path)
    window.rebuild_recent_menu()
    entries = [a for a in window.recent_menu.actions() if a.toolTip().endswith(".meshplan")]
    labels = [a.text() for a in entries]
    assert len(labels) == 2 and labels[0] != labels[1]
    assert "team-b" in labels[0] and "team-a" in labels[1]
    window.actions_.close.trigger()
    assert window.pages.currentWidget() is window.start_page
    rows = [
        window.start_page.recent_list.item(i).text()
        for i in range(window.start_page.recent_list.count())
    ]
    assert rows[0].startswith("seed-playbook.meshplan") and "team-b" in rows[0]
    assert "team-a" in rows[1]
