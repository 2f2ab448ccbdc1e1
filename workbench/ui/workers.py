"""Running long plain-function jobs on a thread pool, reporting back on the UI thread.

A job is any ``fn(progress, cancel) -> result`` (see :mod:`workbench.domain.jobs`). The
runner starts it on its own :class:`QThreadPool`; the job's :class:`JobHandle` emits
``progress``, ``finished`` and ``failed`` through queued signals, so receivers run on the
UI thread. A job never touches the document: whoever started it applies the result
(as an undoable command) when ``finished`` arrives.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from shiboken6 import isValid

from workbench.domain.jobs import CancelToken, JobCancelled

JobFunction = Callable[[Callable[[float, str], None], CancelToken], Any]
PROGRESS_INTERVAL_S = 0.05  # at most ~20 progress updates a second reach the UI


class JobHandle(QObject):
    """One running job: its title, latest progress, cancel token and outcome signals."""

    progress = Signal(float, str)
    finished = Signal(object)  # the job's result
    failed = Signal(object)  # the exception (JobCancelled when cancelled)
    done = Signal()  # after finished or failed, either way

    def __init__(self, title: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.token = CancelToken()
        self.fraction = 0.0
        self.message = ""
        self.running = True
        self.progress.connect(self._remember)

    def cancel(self) -> None:
        self.token.cancel()

    @property
    def cancelled(self) -> bool:
        return self.token.is_cancelled()

    def _remember(self, fraction: float, message: str) -> None:
        self.fraction, self.message = fraction, message


class _Runnable(QRunnable):
    def __init__(self, fn: JobFunction, handle: JobHandle) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the runner keeps and drops it
        self._fn = fn
        self._handle = handle
        self._last = 0.0

    def _progress(self, fraction: float, message: str) -> None:
        now = time.monotonic()
        if now - self._last < PROGRESS_INTERVAL_S and fraction < 1.0:
            return
        self._last = now
        self._handle.progress.emit(float(fraction), str(message))

    def run(self) -> None:
        handle = self._handle
        try:
            handle.token.check(handle.title)
            result = self._fn(self._progress, handle.token)
        except JobCancelled as exc:
            handle.failed.emit(exc)
        except Exception as exc:  # reported to the UI, which decides how to show it
            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            handle.failed.emit(exc)
        else:
            handle.finished.emit(result)
        handle.done.emit()


class JobRunner(QObject):
    """Starts jobs and keeps the list of those still running (for the status bar)."""

    jobs_changed = Signal()

    def __init__(self, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._running: list[JobHandle] = []
        self._runnables: dict[JobHandle, _Runnable] = {}

    def start(self, title: str, fn: JobFunction) -> JobHandle:
        """Run ``fn`` in the background; connect to the handle's signals right away
        (the job starts once control returns to the event loop)."""
        handle = JobHandle(title, self)
        # a job can outlive its runner (a document closed mid-check): then nobody listens
        handle.done.connect(lambda: self._finish(handle) if isValid(self) else None)
        self._running.append(handle)
        self.jobs_changed.emit()
        runnable = _Runnable(fn, handle)
        self._runnables[handle] = runnable  # kept alive until the job is done
        # Started from the event loop, so that the caller connects to the handle's
        # signals before the job can emit any of them.
        QTimer.singleShot(0, self, lambda: self.pool.start(runnable))
        return handle

    def _finish(self, handle: JobHandle) -> None:
        handle.running = False
        self._runnables.pop(handle, None)
        if handle in self._running:
            self._running.remove(handle)
            self.jobs_changed.emit()
        handle.deleteLater()

    def running(self) -> list[JobHandle]:
        return list(self._running)

    def cancel_all(self) -> None:
        for handle in self._running:
            handle.cancel()

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Cancel everything and wait for the threads; True when all stopped in time."""
        self.cancel_all()
        return bool(self.pool.waitForDone(timeout_ms))
