"""A large plan file opens in the background: the window stays live, Cancel keeps the
plan shown, a bad file is reported, an edit made meanwhile is not lost."""

from __future__ import annotations

import gc
import threading
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.ui.plans import FakeDialogs, build_plan
from tests.ui.test_plan_files import modify
from workbench.io.collector import collections_running
from workbench.io.plan_file import load_plan, save_plan
from workbench.ops.loading import process as loading
from workbench.ui.dialogs import UnsavedChoice
from workbench.ui.main_window import MainWindow

WAIT_MS = 60_000


@pytest.fixture(autouse=True)
def every_file_in_background(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loading, "BACKGROUND_BYTES", 0)


def test_the_plan_arrives_while_the_window_keeps_running(
    qtbot: QtBot, window: MainWindow, plan_path: Path
) -> None:
    assert window.open_plan(plan_path)
    assert window.document.path is None and window.opening is not None
    progress = window._opening_progress
    assert progress is not None and progress.isVisibleTo(window)
    qtbot.waitUntil(lambda: window.document.path == plan_path.resolve(), timeout=WAIT_MS)
    # the job's end comes as a signal of its own after its answer (the progress hides then)
    qtbot.waitUntil(lambda: not window.document.jobs.running(), timeout=WAIT_MS)
    assert window.document.plan == load_plan(plan_path)
    assert not window.document.is_modified and window.opening is None
    assert not progress.isVisibleTo(window)
    assert str(plan_path.resolve()) in window.recent.paths()


def test_cancel_keeps_the_plan_shown(qtbot: QtBot, window: MainWindow, plan_path: Path) -> None:
    before = window.document.plan
    window.open_plan(plan_path)
    progress = window._opening_progress
    assert progress is not None
    progress.cancel_button.click()
    qtbot.waitUntil(lambda: not window.document.jobs.running(), timeout=WAIT_MS)
    assert window.document.plan is before and window.document.path is None
    assert "cancelled" in window.statusBar().currentMessage()


def test_a_broken_file_is_reported_and_nothing_changes(
    qtbot: QtBot, window: MainWindow, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    path = tmp_path / "broken.meshplan"
    path.write_bytes(b"\x1f\x8b not really gzip")
    before = window.document.plan
    window.open_plan(path)
    qtbot.waitUntil(lambda: bool(dialogs.errors), timeout=WAIT_MS)
    assert "broken.meshplan" in str(dialogs.errors[-1])
    assert window.document.plan is before


def test_an_edit_made_while_loading_is_offered_for_saving(
    qtbot: QtBot, window: MainWindow, dialogs: FakeDialogs, plan_path: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other.meshplan"
    save_plan(build_plan(20, "Other"), other)
    window.document.replace(load_plan(other), other)
    window.open_plan(plan_path)
    window.unassign(list(window.document.plan.schedule.waves[0].members)[:1])
    assert window.document.is_modified
    dialogs.unsaved_answers.append(UnsavedChoice.CANCEL)
    qtbot.waitUntil(lambda: window.opening is None, timeout=WAIT_MS)
    assert window.document.path == other and window.document.is_modified
    assert "kept" in window.statusBar().currentMessage()


def test_a_plan_opened_in_the_background_still_refuses_to_overwrite_a_newer_file(
    qtbot: QtBot, window: MainWindow, dialogs: FakeDialogs, plan_path: Path
) -> None:
    assert window.open_plan(plan_path)
    qtbot.waitUntil(lambda: window.document.path == plan_path.resolve(), timeout=WAIT_MS)
    assert window.document.stamp  # the stamp of what the loading process read
    theirs = load_plan(plan_path)
    theirs.meta.title = "saved by another program"
    save_plan(theirs, plan_path)
    on_disk = plan_path.read_bytes()
    modify(window)
    dialogs.save_paths.append(None)  # the offered Save As is cancelled
    assert not window.save()
    assert dialogs.errors[-1][0] == "Plan changed on disk"
    assert plan_path.read_bytes() == on_disk


@pytest.mark.usefixtures("collector_on")
def test_the_collector_waits_for_the_plan_and_runs_on_the_ui_thread_only(
    qtbot: QtBot, window: MainWindow, plan_path: Path
) -> None:
    """While the file loads no collection runs, and collections resume once the plan is
    in, each of them on the UI thread: one on the loading thread would scan the whole new
    plan there, holding the interpreter the window needs, and destroy there the Qt objects
    it found in cycles."""
    threads: list[str] = []

    def record(phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            threads.append(threading.current_thread().name)

    gc.callbacks.append(record)
    try:
        window.open_plan(plan_path)
        assert not collections_running()
        qtbot.waitUntil(lambda: window.document.path == plan_path.resolve(), timeout=WAIT_MS)
        qtbot.waitUntil(lambda: not window.document.jobs.running(), timeout=WAIT_MS)
        qtbot.waitUntil(collections_running, timeout=WAIT_MS)
        garbage = [[] for _ in range(3 * gc.get_threshold()[0])]
        for item in garbage:
            item.append(item)  # cycles only a collection frees
        del garbage, item
        qtbot.waitUntil(lambda: bool(threads), timeout=WAIT_MS)  # the UI thread's timer
    finally:
        gc.callbacks.remove(record)
    assert set(threads) == {threading.main_thread().name}


@pytest.mark.usefixtures("collector_on")
def test_a_cancelled_open_resumes_the_collector(
    qtbot: QtBot, window: MainWindow, plan_path: Path
) -> None:
    window.open_plan(plan_path)
    window.cancel_opening()
    qtbot.waitUntil(lambda: not window.document.jobs.running(), timeout=WAIT_MS)
    qtbot.waitUntil(collections_running, timeout=WAIT_MS)
