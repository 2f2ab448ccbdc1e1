"""Recovery copies a few seconds after an edit, restoring them after a crash, and the
unsaved-changes prompt on closing."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.ui.plans import FakeDialogs
from workbench.io.plan_file import load_plan
from workbench.ui.autosave import RecoveryStore
from workbench.ui.dialogs import UnsavedChoice
from workbench.ui.main_window import MainWindow
from workbench.ui.settings import Preferences, load_preferences, save_preferences

REPO = Path(__file__).resolve().parents[2]


def fast_autosave() -> None:
    prefs = load_preferences()
    prefs.autosave_seconds = 1
    save_preferences(prefs)


def test_an_edit_leaves_a_recovery_copy_that_a_save_removes(
    qtbot: QtBot, dialogs: FakeDialogs, plan_path: Path
) -> None:
    fast_autosave()
    window = MainWindow(dialogs=dialogs)
    qtbot.addWidget(window)
    window.open_plan(plan_path)
    store = window.recovery
    key = window.document.plan.unassigned()[0]
    with qtbot.waitSignal(window.autosaver.saved, timeout=10_000):
        window.assign_to_wave([key], "wave-03")
    assert store.plan_path.is_file()
    assert load_plan(store.plan_path).schedule.wave_of(key) == "wave-03"
    assert "recovery copy" in window.save_state_label.text()
    assert RecoveryStore(store.folder).orphans() == []  # this session still holds it
    assert window.save()
    assert not store.plan_path.exists()
    window.close()
    assert list(store.folder.glob("session-*")) == []  # a clean exit leaves nothing


def test_undo_back_to_the_saved_state_drops_the_copy(
    qtbot: QtBot, dialogs: FakeDialogs, plan_path: Path
) -> None:
    fast_autosave()
    window = MainWindow(dialogs=dialogs)
    qtbot.addWidget(window)
    window.open_plan(plan_path)
    with qtbot.waitSignal(window.autosaver.saved, timeout=10_000):
        window.assign_to_wave(window.document.plan.unassigned()[:1], "wave-03")
    window.undo_action.trigger()
    assert not window.recovery.plan_path.exists()
    window.close()


CRASHING_SESSION = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
    QSettings.setPath(fmt, QSettings.Scope.UserScope, sys.argv[1])
app = QApplication([])
from workbench.ui.main_window import MainWindow
window = MainWindow()
assert window.open_plan(sys.argv[2])
key = window.document.plan.unassigned()[0]
window.autosaver.saved.connect(lambda when: (print(key, flush=True), os._exit(3)))
window.assign_to_wave([key], "wave-03")
app.exec()
"""


def test_after_a_crash_the_next_start_offers_the_copy(
    qtbot: QtBot, dialogs: FakeDialogs, plan_path: Path, settings_dir: Path
) -> None:
    fast_autosave()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            textwrap.dedent(CRASHING_SESSION),
            str(settings_dir),
            str(plan_path),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 3, result.stderr[-2000:]  # died without closing
    key = result.stdout.strip().splitlines()[-1]

    window = MainWindow(dialogs=dialogs)
    qtbot.addWidget(window)
    orphans = window.recovery.orphans()
    assert len(orphans) == 1 and orphans[0].original == str(plan_path.resolve())
    dialogs.restore_answers.append(True)
    assert window.offer_recovery()
    offered = dialogs.restore_offers[0][0]
    assert offered.title == "Fixture estate"
    plan = window.document.plan
    assert plan.schedule.wave_of(key) == "wave-03"
    assert window.document.path == plan_path.resolve()
    assert window.isWindowModified()  # restored work still has to be saved
    assert load_plan(plan_path).schedule.wave_of(key) is None  # the file itself is untouched
    assert window.recovery.orphans() == []
    # declining at the next start discards nothing that is left
    assert not MainWindow(dialogs=FakeDialogs()).offer_recovery()
    window.document.undo_stack.setClean()
    window.close()


def test_declining_the_offer_discards_the_copies(
    qtbot: QtBot, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    folder = Path(load_preferences().recovery_dir)
    folder.mkdir(parents=True)
    (folder / "session-deadbeef0001.meshplan").write_bytes(b"not even a plan")
    (folder / "session-deadbeef0001.json").write_text(
        '{"title": "Lost", "saved": "2026-01-01T10:00:00"}'
    )
    window = MainWindow(dialogs=dialogs)
    qtbot.addWidget(window)
    dialogs.restore_answers.append(False)
    assert not window.offer_recovery()
    assert list(folder.glob("session-deadbeef0001*")) == []
    assert window.document.is_empty


def test_a_broken_copy_is_reported_not_restored(
    qtbot: QtBot, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    folder = Path(load_preferences().recovery_dir)
    folder.mkdir(parents=True)
    (folder / "session-deadbeef0002.meshplan").write_bytes(b"\x1f\x8b broken")
    window = MainWindow(dialogs=dialogs)
    qtbot.addWidget(window)
    dialogs.restore_answers.append(True)
    assert not window.offer_recovery()
    assert dialogs.errors and dialogs.errors[0][0] == "Cannot restore"
    assert "session-deadbeef0002.meshplan" in dialogs.errors[0][1]


def test_closing_with_unsaved_changes_asks_first(
    qtbot: QtBot, dialogs: FakeDialogs, plan_path: Path, tmp_path: Path
) -> None:
    window = MainWindow(dialogs=dialogs)
    qtbot.addWidget(window)
    window.show()
    window.open_plan(plan_path)
    key = window.document.plan.unassigned()[0]
    window.assign_to_wave([key], "wave-03")
    dialogs.unsaved_answers.append(UnsavedChoice.CANCEL)
    assert not window.close()
    assert window.isVisible() and dialogs.unsaved_asked == ["Fixture estate"]
    dialogs.unsaved_answers.append(UnsavedChoice.SAVE)
    assert window.close()
    assert load_plan(plan_path).schedule.wave_of(key) == "wave-03"
    other = MainWindow(dialogs=dialogs)
    qtbot.addWidget(other)
    other.open_plan(plan_path)
    other.unassign([key])
    dialogs.unsaved_answers.append(UnsavedChoice.DISCARD)
    assert other.close()
    assert load_plan(plan_path).schedule.wave_of(key) == "wave-03"


def test_preferences_are_stored_and_applied(qtbot: QtBot, dialogs: FakeDialogs) -> None:
    from workbench.ui.preferences_dialog import PreferencesDialog

    window = MainWindow(dialogs=dialogs)
    qtbot.addWidget(window)
    dialog = window.edit_preferences()
    assert isinstance(dialog, PreferencesDialog)
    dialog.theme_combo.setCurrentIndex(dialog.theme_combo.findData("dark"))
    dialog.autosave_combo.setCurrentIndex(dialog.autosave_combo.findData(30))
    dialog.accept()
    assert load_preferences().theme == "dark" and load_preferences().autosave_seconds == 30
    assert window.autosaver.delay_s == 30
    window.apply_preferences(Preferences())  # back to light for the other tests
