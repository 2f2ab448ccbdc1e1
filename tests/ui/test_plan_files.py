"""Opening, saving, recent files and the unsaved-changes prompt."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.ui.plans import FakeDialogs, build_plan
from workbench.io.plan_file import load_plan, save_plan
from workbench.ui.dialogs import UnsavedChoice
from workbench.ui.main_window import MainWindow
from workbench.ui.recent_files import MAX_RECENT, RecentFiles


def modify(window: MainWindow) -> str:
    key = window.document.plan.unassigned()[0]
    assert window.assign_to_wave([key], "wave-03")
    assert window.isWindowModified()
    return key


def test_save_then_reopen_gives_an_equal_plan(window: MainWindow, plan_path: Path) -> None:
    window.open_plan(plan_path)
    key = modify(window)
    assert window.save_action.isEnabled()
    assert window.save()
    assert not window.isWindowModified()
    reloaded = load_plan(plan_path)
    assert reloaded == window.document.plan
    assert reloaded.schedule.wave_of(key) == "wave-03"
    other = MainWindow(dialogs=FakeDialogs())
    try:
        assert other.open_plan(plan_path)
        assert other.document.plan == window.document.plan
        assert other.header.counts() == window.header.counts()
    finally:
        other.deleteLater()


def test_save_as_writes_a_new_file_and_follows_it(
    window: MainWindow, dialogs: FakeDialogs, plan_path: Path, tmp_path: Path
) -> None:
    window.open_plan(plan_path)
    original = plan_path.read_bytes()
    modify(window)
    target = tmp_path / "copy.meshplan"
    dialogs.save_paths.append(str(target))
    window.save_as_action.trigger()
    assert target.is_file() and plan_path.read_bytes() == original
    assert window.document.path == target.resolve()
    assert not window.isWindowModified()
    assert load_plan(target) == window.document.plan
    assert window.recent.paths()[0] == str(target.resolve())
    assert str(target.resolve()) in window.header.path_label.text()


def test_save_of_a_new_plan_asks_for_a_path_and_cancel_saves_nothing(
    window: MainWindow, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    assert window.document.path is None
    dialogs.save_paths.append(None)
    assert not window.save()
    assert list(tmp_path.glob("*.meshplan")) == []
    target = tmp_path / "new.meshplan"
    dialogs.save_paths.append(str(target))
    assert window.save()
    assert load_plan(target) == window.document.plan


def test_unsaved_changes_prompt_cancel_keeps_the_window_discard_closes(
    qtbot: QtBot, window: MainWindow, dialogs: FakeDialogs, plan_path: Path
) -> None:
    window.show()
    qtbot.waitExposed(window)
    window.open_plan(plan_path)
    key = modify(window)
    dialogs.unsaved_answers.append(UnsavedChoice.CANCEL)
    assert not window.close()
    assert window.isVisible() and dialogs.unsaved_asked == ["Fixture estate"]
    dialogs.unsaved_answers.append(UnsavedChoice.DISCARD)
    assert window.close()
    assert not window.isVisible()
    assert load_plan(plan_path).schedule.wave_of(key) is None


def test_unsaved_changes_prompt_save_writes_before_closing(
    window: MainWindow, dialogs: FakeDialogs, plan_path: Path
) -> None:
    window.open_plan(plan_path)
    key = modify(window)
    dialogs.unsaved_answers.append(UnsavedChoice.SAVE)
    assert window.close()
    assert load_plan(plan_path).schedule.wave_of(key) == "wave-03"


def test_opening_another_plan_with_unsaved_changes_asks_first(
    window: MainWindow, dialogs: FakeDialogs, plan_path: Path, tmp_path: Path
) -> None:
    window.open_plan(plan_path)
    modify(window)
    second = tmp_path / "second.meshplan"
    save_plan(build_plan(12, title="Second estate"), second)
    dialogs.unsaved_answers.append(UnsavedChoice.CANCEL)
    assert not window.file_open()
    assert window.document.path == plan_path.resolve() and window.isWindowModified()
    dialogs.unsaved_answers.append(UnsavedChoice.DISCARD)
    dialogs.open_paths.append(str(second))
    assert window.file_open()
    assert window.header.counts()["workloads"] == 12
    assert window.windowTitle().startswith("Second estate[*]")
    assert not window.isWindowModified() and not window.undo_action.isEnabled()


def test_open_error_shows_the_message_and_keeps_the_plan(
    window: MainWindow, dialogs: FakeDialogs, plan_path: Path, tmp_path: Path
) -> None:
    window.open_plan(plan_path)
    before = window.document.plan
    broken = tmp_path / "broken.meshplan"
    broken.write_bytes(b"\x00not a plan at all\xff" * 10)
    dialogs.open_paths.append(str(broken))
    assert not window.file_open()
    assert len(dialogs.errors) == 1
    title, message = dialogs.errors[0]
    assert title == "Cannot open plan" and "broken.meshplan" in message
    assert window.document.plan is before and window.document.path == plan_path.resolve()
    assert window.header.counts()["workloads"] == 50
    missing = tmp_path / "missing.meshplan"
    assert not window.open_plan(missing)
    assert "missing.meshplan" in dialogs.errors[1][1]
    assert str(broken.resolve()) not in window.recent.paths()


def test_recent_files_newest_first_capped_and_pruned(tmp_path: Path) -> None:
    recent = RecentFiles()
    files = []
    for i in range(MAX_RECENT + 3):
        path = tmp_path / f"plan-{i:02d}.meshplan"
        path.write_bytes(b"x")
        files.append(path)
        recent.add(path)
    assert recent.paths() == [str(p) for p in reversed(files)][:MAX_RECENT]
    recent.add(files[5])  # re-adding moves to the front without duplicating
    assert recent.paths()[0] == str(files[5]) and len(recent.paths()) == MAX_RECENT
    files[12].unlink()
    assert str(files[12]) not in recent.paths()
    assert len(RecentFiles().paths()) == MAX_RECENT - 1  # pruning was stored


def test_open_recent_menu_lists_and_opens_plans(
    window: MainWindow, plan_path: Path, tmp_path: Path
) -> None:
    second = tmp_path / "second.meshplan"
    save_plan(build_plan(8, title="Second estate"), second)
    window.open_plan(plan_path)
    window.open_plan(second)
    window.rebuild_recent_menu()
    entries = [a for a in window.recent_menu.actions() if a.toolTip().endswith(".meshplan")]
    assert [a.toolTip() for a in entries] == [str(second.resolve()), str(plan_path.resolve())]
    entries[1].trigger()
    assert window.document.path == plan_path.resolve()
    assert window.header.counts()["workloads"] == 50
    second.unlink()
    window.rebuild_recent_menu()
    tips = [a.toolTip() for a in window.recent_menu.actions()]
    assert tips[0] == str(plan_path.resolve()) and str(second.resolve()) not in tips
