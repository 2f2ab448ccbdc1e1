"""The application collects cyclic garbage on the UI thread: what a worker thread's
allocations made due is finalised on the UI thread, by the timer, never on the worker."""

from __future__ import annotations

import gc
import threading

from PySide6.QtCore import QObject, QThreadPool
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from workbench.io.collector import collections_running
from workbench.ui.app import application
from workbench.ui.collection_timer import collect_on_ui_thread


class Held(QObject):
    """A Qt object in a reference cycle, recording the thread that finalises it."""

    finalised_on: list[str] = []

    def __init__(self) -> None:
        super().__init__()
        self.me = self

    def __del__(self) -> None:
        Held.finalised_on.append(threading.current_thread().name)


def test_the_application_has_one_collection_timer(qapp: QApplication) -> None:
    timer = collect_on_ui_thread(qapp)
    assert application() is qapp and collect_on_ui_thread(qapp) is timer
    assert timer.isActive() and not gc.isenabled() and collections_running()


def test_qt_objects_in_cycles_are_finalised_on_the_ui_thread(qtbot: QtBot) -> None:
    Held.finalised_on.clear()
    for _ in range(50):
        Held()  # each one unreachable at once, in its cycle
    pool = QThreadPool()
    done = threading.Event()
    kept: list[list[int]] = []

    def allocate() -> None:
        kept.extend([i] for i in range(50 * gc.get_threshold()[0]))  # past every threshold
        done.set()

    pool.start(allocate)
    qtbot.waitUntil(done.is_set, timeout=10_000)
    pool.waitForDone()
    qtbot.waitUntil(lambda: len(Held.finalised_on) == 50, timeout=10_000)
    assert set(Held.finalised_on) == {threading.main_thread().name}
