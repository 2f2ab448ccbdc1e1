"""Findings and risk of the open plan, computed away from the UI and kept current.

A large plan (:data:`PROCESS_WORKLOADS` workloads or more) is checked in a worker
process (:class:`workbench.ops.background.CheckProcess`) that mirrors the plan: it
loads the plan file itself (a plan that is not saved as it is travels in pieces, a few
milliseconds of pickling per turn of the event loop, edits held back meanwhile), then
receives only the parts each edit replaced, re-checks
incrementally what the edit can affect and streams back deltas in small chunks, which
this object applies as they arrive, between two turns of the event loop. The
interpreter that draws the window never runs the rules, so typing and dragging do not
wait for a check. Edits within :data:`DELAY_MS` travel together; the worker coalesces
whatever arrives while it works, so a result an edit overtook is never computed.

A small plan is checked in full on the job runner's thread, as is any plan when the
worker cannot run. Results carry the generation they were computed for; ``busy`` is
true until the newest edit's result is in.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal
from shiboken6 import isValid

from workbench.domain.commands import Change
from workbench.domain.jobs import CancelToken
from workbench.domain.plan import Plan
from workbench.ops.background import CheckProcess, FindingsDelta, parts_for
from workbench.ops.background.process import Edit, Failed, Message, OpenFile, PlanPiece
from workbench.ops.check import check_plan
from workbench.ops.loading import pickle_pieces
from workbench.ui.analysis_index import Analysis
from workbench.ui.workers import JobHandle, JobRunner

if TYPE_CHECKING:
    from workbench.ui.document import PlanDocument

__all__ = ["Analysis", "PlanAnalysis", "analyse"]

DELAY_MS = 60  # edits closer together than this travel as one
THREAD_DELAY_MS = 250  # a full check in the thread waits for typing to pause
PROCESS_WORKLOADS = 1_500  # plans this large are checked in the worker process
RECEIVE_BUDGET_S = 0.008  # time spent applying replies per turn of the event loop
SEND_BUDGET_S = 0.008  # time spent pickling a plan's pieces per turn of the event loop
IGNORED_AREAS = frozenset({"meta"})


def analyse(plan: Plan) -> Analysis:
    """Check the plan in full and index its findings."""
    return Analysis.of(check_plan(plan))


class PlanAnalysis(QObject):
    """Keeps :attr:`current` up to date with the document; ``updated`` after each result."""

    updated = Signal()
    failed = Signal(str)  # a check could not run; the message says why

    def __init__(
        self,
        document: PlanDocument,
        runner: JobRunner,
        delay_ms: int = DELAY_MS,
        process_workloads: int = PROCESS_WORKLOADS,
    ) -> None:
        super().__init__(document)
        self.document = document
        self.runner = runner
        self.process_workloads = process_workloads
        self.current = Analysis()
        self.error = ""
        self._generation = 0  # bumped by every edit and every new plan
        self._answered = 0  # generation of the newest complete result
        self._plan_sent = 0  # generation of the newest whole plan sent to the worker
        self._pending: Change | None = None
        self._job: JobHandle | None = None
        self._process: CheckProcess | None = None
        self._notifier: QSocketNotifier | None = None
        self._remote = False  # the current plan is checked by the worker process
        self._retried = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._flush)
        self._drain = QTimer(self)
        self._drain.setSingleShot(True)
        self._drain.timeout.connect(self._receive)
        self._pieces: Iterator[bytes] | None = None  # a plan being sent, piece by piece
        self._next_piece: bytes | None = None
        self._pieces_sent = 0
        self._pump = QTimer(self)
        self._pump.setSingleShot(True)
        self._pump.timeout.connect(self._send_pieces)
        document.changed.connect(self._on_change)
        document.replaced.connect(self._on_replaced)

    # -- state --------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._timer.isActive() or self._job is not None or self._answered != self._generation

    @property
    def answered(self) -> int:
        """The generation of the newest complete result (changes with every result)."""
        return self._answered

    @property
    def remote(self) -> bool:
        """Whether the worker process checks the current plan (a large one)."""
        return self._remote

    @property
    def worker_pid(self) -> int | None:
        """The worker process's id while one runs (benchmarks read its memory)."""
        return self._process.pid if self._process is not None and self._process.alive() else None

    # -- edits and plans ----------------------------------------------------------------
    def _on_change(self, change: Change) -> None:
        if change.areas <= IGNORED_AREAS:
            return
        self._generation += 1
        self._pending = change if self._pending is None else self._pending | change
        self._timer.start(self._timer.interval() if self._remote else THREAD_DELAY_MS)

    def _on_replaced(self) -> None:
        self._generation += 1
        self._pending = None
        self._timer.stop()
        self.current = Analysis()
        self.updated.emit()
        self._retried = False
        self._remote = len(self.document.plan.inventory.workloads) >= self.process_workloads
        if self._remote and self._send_plan():
            return
        self._remote = False
        self._timer.start(0)

    def refresh_now(self) -> None:
        """Check again right away: the pending edits, else the whole plan."""
        self._generation += 1
        self._timer.stop()
        if self._remote and self._pending is None:
            self._send_plan()
        else:
            self._pending = self._pending or Change(frozenset({"schedule"}))
            self._flush()

    def _flush(self) -> None:
        if self._remote and self._pieces is not None:
            self._timer.start()  # the edit follows the plan being sent
            return
        change, self._pending = self._pending, None
        if not self._remote:
            self._start_thread_check()
            return
        if change is None:
            return
        plan = self.document.plan
        if not self._send(Edit(self._generation, parts_for(plan, change), change)):
            self._fall_back()

    # -- the worker process --------------------------------------------------------------
    def _send_plan(self) -> bool:
        doc = self.document
        self._plan_sent = self._generation
        self._pieces = self._next_piece = None
        if doc.path is not None and not doc.is_modified:
            return self._send(OpenFile(self._generation, str(doc.path)))
        self._pieces, self._pieces_sent = iter(pickle_pieces(doc.plan)), 0
        return self._send_pieces()

    def _send_pieces(self) -> bool:
        """Send the next pieces of the plan, for at most a few milliseconds."""
        pieces, generation = self._pieces, self._plan_sent
        if pieces is None:
            return True
        if self._pieces_sent and not (self._process is not None and self._process.alive()):
            self._pieces = self._next_piece = None  # the plan must travel again, whole
            self._lost("the checking process stopped")
            return False
        deadline = time.perf_counter() + SEND_BUDGET_S
        while True:
            piece = self._next_piece if self._next_piece is not None else next(pieces)
            self._next_piece = next(pieces, None)
            last = self._next_piece is None
            if not self._send(PlanPiece(generation, piece, self._pieces_sent == 0, last)):
                self._pieces = self._next_piece = None
                if self._remote:
                    self._fall_back()
                return False
            self._pieces_sent += 1
            if last:
                self._pieces = None
                return True
            if time.perf_counter() >= deadline:
                self._pump.start(0)  # the rest next turn
                return True

    def _send(self, message: Message) -> bool:
        alive = self._process is not None and self._process.alive()
        if not alive and not self._start_process():
            return False
        assert self._process is not None
        return self._process.send(message)

    def _start_process(self) -> bool:
        self._stop_process()
        try:
            self._process = CheckProcess()
        except (OSError, RuntimeError) as exc:
            self.error = f"cannot start the checking process: {exc}"
            return False
        self._notifier = QSocketNotifier(self._process.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._receive)
        return True

    def _receive(self) -> None:
        """Apply the replies that arrived, for at most a few milliseconds per turn."""
        process = self._process
        if process is None:
            return
        deadline = time.perf_counter() + RECEIVE_BUDGET_S
        while time.perf_counter() < deadline:
            replies = process.receive(limit=1)
            if not replies:
                break
            self._handle(replies[0])
        else:
            self._drain.start(0)  # more may be waiting: carry on next turn
        if process.closed and self._remote:
            self._lost("the checking process stopped")

    def _handle(self, reply: object) -> None:
        if getattr(reply, "generation", 0) < self._plan_sent:
            return  # about a plan that has since been replaced
        if isinstance(reply, Failed):
            if reply.generation >= self._answered:
                self._lost(reply.message.splitlines()[0] if reply.message else "check failed")
            return
        assert isinstance(reply, FindingsDelta)
        self.current.apply(reply)
        if reply.final:
            self._answered = reply.generation
            self._retried = False  # the worker has the plan again
            if reply.generation == self._generation:
                self.updated.emit()

    def _lost(self, message: str) -> None:
        """The worker failed or died: resend the whole plan once, then check in a thread."""
        self.error = message
        if self._retried:
            self._fall_back()
            return
        self._retried = True
        self._generation += 1
        self.current = Analysis()
        if not self._send_plan():
            self._fall_back()

    def _fall_back(self) -> None:
        self.failed.emit(self.error or "the checking process is not available")
        self._stop_process()
        self._remote = False
        self._timer.start(0)

    def _stop_process(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self._process is not None:
            self._process.stop()
            self._process = None

    def shutdown(self) -> None:
        """Stop the worker process (the window closes or the application quits)."""
        self._timer.stop()
        self._pump.stop()
        self._pieces = self._next_piece = None
        self._stop_process()

    # -- the thread (small plans, or no worker) ---------------------------------------------
    def _start_thread_check(self) -> None:
        if self._job is not None:
            self._timer.start(THREAD_DELAY_MS)  # one run at a time; check again when done
            return
        generation, plan = self._generation, self.document.plan

        def job(_progress: object, _cancel: CancelToken) -> tuple[int, Analysis]:
            return generation, analyse(plan)

        self._job = self.runner.start("Checking findings", job)
        # the document may be gone when a run ends: deliver only to a live analysis
        self._job.finished.connect(lambda r: self._on_thread_result(r) if isValid(self) else None)
        self._job.failed.connect(lambda e: self._on_thread_failure(e) if isValid(self) else None)

    def _on_thread_result(self, outcome: tuple[int, Analysis]) -> None:
        self._job = None
        generation, analysis = outcome
        if generation != self._generation or self._remote:
            if not self._remote:
                self._timer.start(THREAD_DELAY_MS)  # an edit overtook this run
            return
        self.current = analysis
        self._answered = generation
        self.updated.emit()

    def _on_thread_failure(self, _error: object) -> None:
        # A run can trip over an edit made while it read the plan; the edit has
        # scheduled a fresh run. A failure on an unchanged plan is not retried.
        self._job = None
        self._answered = self._generation
