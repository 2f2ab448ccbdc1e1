"""Work done on the UI thread a slice at a time, so the window keeps answering.

The work is a generator that yields between two small pieces of work and returns its
result; :class:`SlicedJob` runs it for at most :data:`SLICE_BUDGET_S` per turn of the
event loop and hands the result to a callback. Starting a new piece of work drops the
one in progress: a result that a newer one overtook is never delivered. The cyclic
collector is paused during a slice: what slices build (rows, snapshots, scene items)
has no reference cycles, and a full collection set off by their allocations would take
far longer than the slice.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, QTimer

from workbench.io.collector import collector_paused

T = TypeVar("T")
Work = Generator[None, None, T]
SLICE_BUDGET_S = 0.008  # time spent on the work per turn of the event loop


class SlicedJob(QObject, Generic[T]):
    """Runs one generator at a time in time-boxed slices; ``done(result)`` at its end
    (the callback given to :meth:`start`, else the one given here)."""

    def __init__(
        self, done: Callable[[T], None] | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._default_done: Callable[[T], None] = done or (lambda _result: None)
        self._done = self._default_done
        self._work: Work[T] | None = None
        self.budget_s = SLICE_BUDGET_S
        self.slices = 0  # turns of the event loop the current or last work took
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._slice)

    @property
    def running(self) -> bool:
        return self._work is not None

    def start(self, work: Work[T], done: Callable[[T], None] | None = None) -> None:
        """Drop the work in progress, if any, and run ``work`` from the next turn."""
        self.cancel()
        self._work = work
        self._done = done or self._default_done
        self.slices = 0
        self._timer.start()

    def finish(self) -> None:
        """Run the work in progress to its end now."""
        while self._work is not None:
            self._step(None)

    def cancel(self) -> None:
        if self._work is not None:
            self._work.close()
        self._work = None
        self._timer.stop()

    def _slice(self) -> None:
        self._step(time.perf_counter() + self.budget_s)
        if self._work is not None:
            self._timer.start()

    def _step(self, deadline: float | None) -> None:
        work = self._work
        if work is None:
            return
        self.slices += 1
        try:
            with collector_paused():  # slices make many small objects, without cycles
                next(work)  # a step per slice at least, however small the budget
                while deadline is None or time.perf_counter() < deadline:
                    next(work)
        except StopIteration as end:
            if self._work is work:
                self._work = None
                self._done(end.value)
        except BaseException:
            if self._work is work:
                self._work = None
            raise
