"""Work on the UI thread done a slice at a time, between turns of the event loop.

Reading a large plan into the graph's snapshot, or putting thousands of items into its
scene, takes longer than one turn of the event loop should. Written as a generator that
yields at short intervals, such work is run by :class:`SlicedWork` for at most
:data:`BUDGET_S` per turn, so painting, typing and Cancel are answered meanwhile. The
cyclic collector is paused during a slice: what slices build (snapshots, scene items)
has no reference cycles, and a full collection of a large open plan, set off by their
allocations, would take far longer than the slice.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator
from typing import Any

from PySide6.QtCore import QObject, QTimer

from workbench.io.collector import collector_paused

BUDGET_S = 0.012  # time spent per turn of the event loop

Steps = Generator[None, None, Any]


class SlicedWork(QObject):
    """Runs one generator at a time across turns of the event loop; starting another
    drops the one running (its ``done`` is never called)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._steps: Steps | None = None
        self._done: Callable[[Any], None] = lambda _value: None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._slice)

    @property
    def running(self) -> bool:
        return self._steps is not None

    def start(self, steps: Steps, done: Callable[[Any], None]) -> None:
        """Run ``steps`` from the next turn on; ``done`` gets what the generator returns."""
        self.stop()
        self._steps, self._done = steps, done
        self._timer.start()

    def stop(self) -> None:
        if self._steps is not None:
            self._steps.close()
        self._steps = None
        self._timer.stop()

    def finish(self) -> None:
        """Run what is left now, in this turn (for a caller that cannot wait)."""
        self._run(None)

    def _slice(self) -> None:
        self._run(time.perf_counter() + BUDGET_S)

    def _run(self, deadline: float | None) -> None:
        steps = self._steps
        if steps is None:
            return
        try:
            with collector_paused():  # slices make many small objects, without cycles
                while deadline is None or time.perf_counter() < deadline:
                    next(steps)
        except StopIteration as end:
            if self._steps is steps:
                self._steps = None
                self._done(end.value)
            return
        except BaseException:
            if self._steps is steps:
                self._steps = None
            raise
        self._timer.start()
