"""The worker process that mirrors the open plan and checks it.

The client (:class:`CheckProcess`, in the window's process) sends messages; the worker
(:func:`serve`) answers with :class:`FindingsDelta` chunks:

* :class:`OpenFile` - the worker loads the plan file itself (nothing big crosses);
* :class:`PlanPiece` - a plan that exists only in memory (an import, an edited plan),
  pickled in pieces (:mod:`workbench.ops.loading.pieces`) that the window sends between
  two turns of its event loop, so no single send holds it for long;
* :class:`WholePlan` - a small in-memory plan in one message;
* :class:`Edit` - the parts of the plan an edit replaced, and its :class:`Change`.

A reader thread in the worker drains the pipe at once, so the client's ``send`` never
waits for a check to finish. Before each check the worker takes every message that
has arrived: edits are applied in order and checked once, as one change; an
:class:`OpenFile`, a :class:`WholePlan` or the first :class:`PlanPiece` of a plan makes
everything before it stale, and nothing is checked while a plan's pieces are still
arriving. A delta
carries the generation of the newest message it includes; a failure is reported as a
:class:`Failed` and the worker then waits for a whole plan (``needs_plan``).

The worker runs at a lower scheduling priority than the window, so on a busy two-core
laptop drawing and typing win the CPU. It is started with the ``spawn`` method (no fork
of a process running Qt threads); a frozen build calls
:func:`multiprocessing.freeze_support` at start-up.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import sys
import threading
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from workbench.domain.commands import Change
from workbench.domain.plan import Plan
from workbench.ops.background.session import CheckSession, FindingsDelta
from workbench.ops.background.sync import PlanParts, apply_parts
from workbench.ops.loading.pieces import PieceReader

NICENESS = 5  # how much lower the worker's scheduling priority is than the window's


@dataclass(frozen=True, slots=True)
class OpenFile:
    generation: int
    path: str


@dataclass(frozen=True, slots=True)
class WholePlan:
    generation: int
    plan: Plan


@dataclass(frozen=True, slots=True)
class PlanPiece:
    generation: int
    data: bytes
    first: bool
    last: bool


@dataclass(frozen=True, slots=True)
class Edit:
    generation: int
    parts: PlanParts
    change: Change


@dataclass(frozen=True, slots=True)
class Failed:
    generation: int
    message: str
    needs_plan: bool = True


Message = OpenFile | WholePlan | PlanPiece | Edit
Reply = FindingsDelta | Failed


class CheckProcess:
    """Starts the worker and talks to it; Qt-free (the window polls :meth:`fileno`)."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self.process = context.Process(
            target=serve_then_exit, args=(child,), name="mesh-workbench-check", daemon=True
        )
        self.process.start()
        child.close()
        self.closed = False

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def fileno(self) -> int:
        return self._conn.fileno()

    def alive(self) -> bool:
        return not self.closed and self.process.is_alive()

    def send(self, message: Message) -> bool:
        """Queue a message for the worker; False when the worker is gone."""
        if self.closed:
            return False
        try:
            self._conn.send(message)
        except (OSError, EOFError, BrokenPipeError):
            return False
        return True

    def receive(self, limit: int = 1) -> list[Reply]:
        """Up to ``limit`` replies that have arrived; never waits."""
        replies: list[Reply] = []
        try:
            while len(replies) < limit and self._conn.poll():
                replies.append(self._conn.recv())
        except (OSError, EOFError):
            self.closed = True
        return replies

    def wait(self, timeout: float) -> bool:
        """Block until a reply is ready (tests and scripts)."""
        try:
            return bool(self._conn.poll(timeout))
        except (OSError, EOFError):
            return False

    def stop(self, timeout: float = 0.25) -> None:
        """Ask the worker to end, without waiting for it: a thread waits ``timeout``
        seconds, then terminates one still busy checking (it holds nothing to save)."""
        if not self.closed:
            self.closed = True
            with contextlib.suppress(OSError, EOFError, BrokenPipeError):
                self._conn.send(None)
        self._conn.close()
        threading.Thread(
            target=_reap, args=(self.process, timeout), name="mesh-workbench-reap", daemon=True
        ).start()


def _reap(process: multiprocessing.process.BaseProcess, timeout: float) -> None:
    process.join(timeout)
    if process.is_alive():
        process.terminate()
        process.join(2.0)


# -- the worker side --------------------------------------------------------------------


def _read(conn: Connection, inbox: queue.SimpleQueue[Message | None]) -> None:
    try:
        while True:
            inbox.put(conn.recv())
    except (OSError, EOFError):
        inbox.put(None)


def _take(inbox: queue.SimpleQueue[Message | None]) -> list[Message | None]:
    batch = [inbox.get()]
    while True:
        try:
            batch.append(inbox.get_nowait())
        except queue.Empty:
            return batch


def serve(conn: Connection) -> None:
    """The worker's loop: absorb what arrived, check once, reply in chunks."""
    _yield_to_the_window()
    inbox: queue.SimpleQueue[Message | None] = queue.SimpleQueue()
    threading.Thread(target=_read, args=(conn, inbox), daemon=True).start()
    mirror = Mirror()
    while True:
        batch = _take(inbox)
        if None in batch:
            return
        messages = [m for m in batch if m is not None]
        starts = [i for i, m in enumerate(messages) if starts_a_plan(m)]
        if starts:
            messages = messages[starts[-1] :]  # a new plan makes what came before stale
        generation = messages[-1].generation
        try:
            if not mirror.absorb(messages):
                continue  # the rest of a plan's pieces is on its way
            session = mirror.session
            if session is None:
                conn.send(Failed(generation, "no plan to check yet"))
                continue
            for chunk in session.delta(generation).chunks():
                conn.send(chunk)
        except Exception as exc:  # reported to the window; the next whole plan recovers
            mirror = Mirror()
            detail = traceback.format_exc(limit=4)
            conn.send(Failed(generation, f"{type(exc).__name__}: {exc}\n{detail}"))


def serve_then_exit(conn: Connection) -> None:
    """The worker process: :func:`serve`, then end without tearing down its copy of the
    plan object by object (it holds nothing to save), so that the window waiting for it
    to end is not kept waiting."""
    serve(conn)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _yield_to_the_window() -> None:
    """Run at a lower priority, so on a busy laptop the window gets the CPU first."""
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(NICENESS)


def starts_a_plan(message: Message) -> bool:
    return isinstance(message, OpenFile | WholePlan) or (
        isinstance(message, PlanPiece) and message.first
    )


class Mirror:
    """The worker's copy of the plan: a check session, or the pieces of a plan arriving."""

    def __init__(self) -> None:
        self.session: CheckSession | None = None
        self._reader: PieceReader | None = None
        self._receiving = 0  # generation of the plan whose pieces are arriving

    def absorb(self, messages: list[Message]) -> bool:
        """Take the messages in order; False while a plan is still arriving."""
        from workbench.io.plan_file import load_plan

        change: Change | None = None
        for message in messages:
            if isinstance(message, PlanPiece):
                change = None
                self._piece(message)
            elif isinstance(message, OpenFile):
                self._reader, change = None, None
                self.session = CheckSession(load_plan(Path(message.path)))
            elif isinstance(message, WholePlan):
                self._reader, change = None, None
                self.session = CheckSession(message.plan)
            elif self._reader is not None:
                continue  # the window holds edits back while it sends a plan
            elif self.session is not None:
                if message.parts.whole is not None:
                    self.session = CheckSession(message.parts.whole)
                    change = None
                    continue
                self.session.plan = apply_parts(self.session.plan, message.parts)
                change = message.change if change is None else change | message.change
        if self._reader is not None:
            return False
        if self.session is not None and change is not None:
            self.session.apply(PlanParts(), change)
        return True

    def _piece(self, piece: PlanPiece) -> None:
        if piece.first:
            self._reader, self._receiving = PieceReader(), piece.generation
        if self._reader is None or piece.generation != self._receiving:
            return  # a piece of a plan given up on
        value = self._reader.feed(piece.data)
        if piece.last:
            self._reader = None
            if not isinstance(value, Plan):
                raise TypeError(f"the last piece holds a {type(value).__name__}, not a plan")
            self.session = CheckSession(value)
