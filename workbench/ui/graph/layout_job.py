"""Runs the graph layout off the UI thread and hands the result back to the UI thread.

The layout itself is Qt-free (:func:`workbench.ops.graph_job.lay_out_graph`); this
module only schedules it on a private one-thread :class:`QThreadPool`, so a new
request cancels the one before it and results arrive in order. A large layout
(:func:`~workbench.ops.graph_job.wants_a_worker`) runs in a worker process
(:func:`workbench.ops.background.jobs.run_job`): the pool thread only sends the graph
snapshot and waits on the worker's pipe, so the window's interpreter stays free to draw
and to answer Cancel, which stops the worker. A small one runs on the pool thread
itself, quicker than a process could start. Results of a superseded request are
dropped. Signals cross threads as queued connections.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from workbench.domain.jobs import CancelToken, JobCancelled
from workbench.ops.background.jobs import JobSpec, run_job
from workbench.ops.background.usecases import GRAPH_LAYOUT
from workbench.ops.graph_job import LaidOutGraph, lay_out_graph, wants_a_worker
from workbench.ops.graph_layout import GraphInput, GraphLayout, LayoutOptions
from workbench.ops.graph_routes import LayoutRoutes

LAYOUT_TITLE = "the graph layout"


@dataclass(frozen=True, slots=True)
class LayoutResult:
    generation: int
    layout: GraphLayout
    routes: LayoutRoutes  # every edge already routed around the boxes
    process_id: int  # the process that computed it (a worker's for a large layout)
    thread_id: int  # ... and its thread there
    seconds: float  # how long it took
    finished_at: float  # time.perf_counter() here when it arrived


class _Relay(QObject):
    """Carries the worker's news to the UI thread (emitted from the worker)."""

    done = Signal(object)  # LayoutResult
    failed = Signal(int, str)
    progress = Signal(int, float, str)


class _LayoutTask(QRunnable):
    def __init__(
        self,
        generation: int,
        graph: GraphInput,
        options: LayoutOptions,
        cancel: CancelToken,
        relay: _Relay,
    ) -> None:
        super().__init__()
        self.generation = generation
        self.graph = graph
        self.options = options
        self.cancel = cancel
        self.relay = relay

    def run(self) -> None:
        gen = self.generation

        def progress(fraction: float, message: str) -> None:
            self.relay.progress.emit(gen, fraction, message)

        try:
            self.cancel.check(LAYOUT_TITLE)
            if wants_a_worker(self.graph, self.options):
                options = {"graph": self.graph, "options": self.options}
                spec = JobSpec(GRAPH_LAYOUT, options=options, title=LAYOUT_TITLE)
                done: LaidOutGraph = run_job(spec, progress, self.cancel)
            else:
                done = lay_out_graph(self.graph, self.options, progress, self.cancel)
        except JobCancelled:
            return
        except Exception as error:  # reported in the view, never lost on the worker
            self.relay.failed.emit(gen, f"the graph layout failed: {error}")
            return
        result = LayoutResult(
            gen,
            done.layout,
            done.routes,
            done.process_id,
            done.thread_id,
            done.seconds,
            time.perf_counter(),
        )
        self.relay.done.emit(result)


class LayoutRunner(QObject):
    """Starts layouts off the UI thread; only the latest request's result is delivered."""

    finished = Signal(object)  # LayoutResult
    failed = Signal(str)
    progress = Signal(float, str)
    running_changed = Signal(bool)
    cancelled = Signal()  # the user stopped the layout: nothing new will arrive

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # the pool is created before the relay, so on destruction the pool (which waits
        # for a running task) goes first and the relay outlives every emit
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = _Relay(self)
        self._relay.done.connect(self._on_done)
        self._relay.failed.connect(self._on_failed)
        self._relay.progress.connect(self._on_progress)
        self._generation = 0
        self._cancel: CancelToken | None = None
        self._running = False

    @property
    def running(self) -> bool:
        return self._running

    def start(self, graph: GraphInput, options: LayoutOptions) -> int:
        """Queue a layout; any earlier one still pending is cancelled and ignored."""
        if self._cancel is not None:
            self._cancel.cancel()
        self._generation += 1
        self._cancel = CancelToken()
        self._pool.start(_LayoutTask(self._generation, graph, options, self._cancel, self._relay))
        self._set_running(True)
        return self._generation

    def cancel(self) -> bool:
        """Stop the running layout (the user asked); its result, should it still come,
        is dropped. False when none was running."""
        if not self.discard():
            return False
        self.cancelled.emit()
        return True

    def discard(self) -> bool:
        """Stop the running layout without a word (it is of no use any more)."""
        if not self._running or self._cancel is None:
            return False
        self._cancel.cancel()
        self._generation += 1  # whatever the worker still sends belongs to no request
        self._set_running(False)
        return True

    def shutdown(self, timeout_ms: int = 5000) -> None:
        """Cancel what is pending and wait for the worker to stop."""
        if self._cancel is not None:
            self._cancel.cancel()
        self._pool.waitForDone(timeout_ms)
        self._set_running(False)

    def _set_running(self, running: bool) -> None:
        if running != self._running:
            self._running = running
            self.running_changed.emit(running)

    def _on_done(self, result: LayoutResult) -> None:
        if result.generation != self._generation:
            return
        self._set_running(False)
        self.finished.emit(result)

    def _on_failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self._set_running(False)
            self.failed.emit(message)

    def _on_progress(self, generation: int, fraction: float, message: str) -> None:
        if generation == self._generation:
            self.progress.emit(fraction, message)
