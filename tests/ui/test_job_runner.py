"""Plain progress/cancel functions run on the pool and report on the UI thread."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from workbench.domain.errors import WorkbenchError
from workbench.domain.jobs import CancelToken, JobCancelled, Progress
from workbench.ui.workers import JobRunner


@pytest.fixture
def runner(qapp: QApplication) -> Iterator[JobRunner]:
    jobs = JobRunner(qapp)
    yield jobs
    jobs.shutdown(2000)
    QApplication.processEvents()
    jobs.deleteLater()


def test_result_and_progress_arrive_on_the_ui_thread(
    qtbot: QtBot, qapp: QApplication, runner: JobRunner
) -> None:
    worker_threads: list[int] = []
    seen: list[tuple[float, str, bool]] = []

    def job(progress: Progress, cancel: CancelToken) -> int:
        worker_threads.append(threading.get_ident())
        for i in range(3):
            progress(i / 2, f"step {i}")
            time.sleep(0.06)
        return 42

    handle = runner.start("Counting", job)
    handle.progress.connect(
        lambda f, m: seen.append((f, m, QThread.currentThread() is qapp.thread()))
    )
    assert runner.running() == [handle]
    with qtbot.waitSignal(handle.finished, timeout=5000) as blocker:
        pass
    assert blocker.args == [42]
    assert worker_threads and worker_threads[0] != threading.get_ident()
    assert seen and all(on_ui for _f, _m, on_ui in seen) and seen[-1][:2] == (1.0, "step 2")
    qtbot.waitUntil(lambda: runner.running() == [], timeout=2000)


def test_cancel_stops_the_job_and_failures_are_reported(qtbot: QtBot, runner: JobRunner) -> None:

    def endless(progress: Progress, cancel: CancelToken) -> None:
        while True:
            cancel.check("the endless job")
            time.sleep(0.01)

    handle = runner.start("Endless", endless)
    qtbot.wait(50)
    with qtbot.waitSignal(handle.failed, timeout=3000) as blocker:
        handle.cancel()
    assert isinstance(blocker.args[0], JobCancelled)

    def broken(progress: Progress, cancel: CancelToken) -> None:
        raise WorkbenchError("the cluster said no")

    failing = runner.start("Broken", broken)
    with qtbot.waitSignal(failing.failed, timeout=3000) as blocker:
        pass
    assert str(blocker.args[0]) == "the cluster said no"
    assert runner.shutdown(2000)
