"""Saving over a plan another program saved since it was opened refuses with a clear
message and offers Save As; nothing the other program wrote is lost."""

from __future__ import annotations

from pathlib import Path

from tests.ui.plans import FakeDialogs
from tests.ui.test_plan_files import modify
from workbench.io.plan_file import load_plan, save_plan
from workbench.ui.main_window import MainWindow


def test_save_refuses_when_the_file_changed_on_disk_and_offers_save_as(
    window: MainWindow, dialogs: FakeDialogs, plan_path: Path, tmp_path: Path
) -> None:
    window.open_plan(plan_path)
    theirs = load_plan(plan_path)
    theirs.meta.title = "saved by another program"
    save_plan(theirs, plan_path)  # e.g. a `comment` or `deps add` from the command line
    on_disk = plan_path.read_bytes()
    modify(window)
    dialogs.save_paths.append(None)  # the offered Save As is cancelled
    assert not window.save()
    [(title, message)] = dialogs.errors
    assert title == "Plan changed on disk"
    assert "changed by another program since it was opened" in message
    assert "Save As" in message and str(plan_path.resolve()) in message
    assert plan_path.read_bytes() == on_disk and window.isWindowModified()
    copy = tmp_path / "mine.meshplan"
    dialogs.save_paths.append(str(copy))  # this time a new name is chosen
    assert window.save() and dialogs.errors[-1][0] == "Plan changed on disk"
    assert window.document.path == copy.resolve() and not window.isWindowModified()
    assert plan_path.read_bytes() == on_disk
    assert load_plan(copy) == window.document.plan


def test_saving_again_after_own_save_needs_no_confirmation(
    window: MainWindow, dialogs: FakeDialogs, plan_path: Path
) -> None:
    window.open_plan(plan_path)
    modify(window)
    assert window.save()
    window.document.undo_stack.undo()
    assert window.save() and not dialogs.errors
    dialogs.save_paths.append(str(plan_path))  # Save As onto the same file: overwrite chosen
    theirs = load_plan(plan_path)
    theirs.meta.title = "saved elsewhere"
    save_plan(theirs, plan_path)
    assert window.save_as() and not dialogs.errors
    assert load_plan(plan_path).meta.title != "saved elsewhere"
