"""Running long plain-function jobs on a thread pool, reporting back on the UI thread.

A job is any ``fn(progress, cancel) -> result`` (see :mod:`workbench.domain.jobs`). The
runner starts it on its own :class:`QThreadPool`; the job's :class:`JobHandle` emits
``progress``, ``finished`` and ``failed`` through queued signals, so receivers run on the
UI thread. A job never touches the document: whoever started it applies the result
(as an undoable command) when ``finished`` arrives.

:meth:`JobRunner.run_in_worker` runs a use-case function of :mod:`workbench.ops` in a
worker process instead (:mod:`workbench.ops.background.jobs`): the pool thread only
waits on the worker's pipe, so the window's interpreter stays free. The plan goes
along as its saved file when it has no unsaved edits, else it is pickled on the UI
thread a few milliseconds per turn of the event loop (:class:`PlanSnapshot`) and the job
starts once the last piece is made.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from shiboken6 import isValid

from workbench.domain.jobs import CancelToken, JobCancelled
from workbench.ops.background.jobs import JobSpec, run_job
from workbench.ui.plan_snapshot import PlanSnapshot

if TYPE_CHECKING:
    from workbench.ui.document import PlanDocument

JobFunction = Callable[[Callable[[float, str], None], CancelToken], Any]
PROGRESS_INTERVAL_S = 0.05  # at most ~20 progress updates a second reach the UI

__all__ = ["JobFunction", "JobHandle", "JobRunner", "PlanSnapshot"]


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
        handle = self._register(title)
        self._launch(handle, fn)
        return handle

    def _register(self, title: str) -> JobHandle:
        handle = JobHandle(title, self)
        # a job can outlive its runner (a document closed mid-check): then nobody listens
        handle.done.connect(lambda: self._finish(handle) if isValid(self) else None)
        self._running.append(handle)
        self.jobs_changed.emit()
        return handle

    def _launch(self, handle: JobHandle, fn: JobFunction) -> None:
        runnable = _Runnable(fn, handle)
        self._runnables[handle] = runnable  # kept alive until the job is done
        # Started from the event loop, so that the caller connects to the handle's
        # signals before the job can emit any of them.
        QTimer.singleShot(0, self, lambda: self.pool.start(runnable))

    def run_in_worker(
        self,
        title: str,
        function: str,
        options: Mapping[str, Any],
        *,
        document: PlanDocument | None = None,
        plan_argument: str = "plan",
    ) -> JobHandle:
        """Run ``function`` (``"workbench.ops.<module>:<name>"``) in a worker process with
        ``options`` and, given a ``document``, its plan as ``plan_argument``; same handle,
        signals and error texts as :meth:`start`. An edited plan is read first, on this
        thread between turns of the event loop (:class:`PlanSnapshot`); the handle
        reports that as progress and Cancel stops it."""
        JobSpec(function, title=title)  # a misnamed function fails here, not in the worker
        if document is None:
            spec = JobSpec(function, None, dict(options), plan_argument, title)
            return self.start(title, lambda progress, cancel: run_job(spec, progress, cancel))
        handle = self._register(title)
        snapshot = PlanSnapshot(document, handle.token, title, handle)

        def job(progress: Callable[[float, str], None], cancel: CancelToken) -> Any:
            spec = JobSpec(function, snapshot.source, dict(options), plan_argument, title)
            return run_job(spec, progress, cancel)

        if snapshot.source is not None:
            self._launch(handle, job)
            return handle
        snapshot.progress.connect(handle.progress)
        snapshot.ready.connect(lambda _source: self._launch(handle, job))
        snapshot.failed.connect(lambda error: self._fail(handle, error))
        return handle

    def _fail(self, handle: JobHandle, error: object) -> None:
        handle.failed.emit(error)
        handle.done.emit()

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
