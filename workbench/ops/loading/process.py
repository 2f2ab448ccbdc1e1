"""Opening a large plan file without holding the interpreter that draws the window.

Decoding a 10,000-workload plan parses tens of megabytes of JSON in single calls that
hold the interpreter for longer than a frame, so a thread would not do: a worker
process (started with ``spawn``) reads, checks and decodes the file, then streams the
plan back as pieces (:mod:`.pieces`) that the caller's thread unpickles one at a time,
reporting progress and checking for cancellation between pieces, with the cyclic
garbage collector paused (a full collection in the middle would rescan the growing
plan and hold the interpreter for longer than all the pieces together). Messages from the
worker: ``("pieces", n)``, then ``n`` byte strings, then ``("done", warnings)``; or
``("error", "plan", message)`` or ``("error", "os", errno, reason, filename)`` when
the file cannot be opened.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path

from workbench.domain.errors import WorkbenchError
from workbench.domain.jobs import CancelToken
from workbench.domain.plan import Plan
from workbench.io.collector import collector_paused
from workbench.io.plan_file import LoadedPlan, PlanFileError, open_plan
from workbench.ops.loading.pieces import PieceReader, count_pieces, pickle_pieces

BACKGROUND_BYTES = 128 * 1024  # files this large (compressed) load in a worker process
POLL_S = 0.05  # how often the waiting thread looks at the cancel token


def loads_in_background(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is large enough to be worth a worker process."""
    try:
        return os.path.getsize(path) >= BACKGROUND_BYTES
    except OSError:
        return False  # the synchronous open reports what is wrong with it


def serve(conn: Connection, path: str) -> None:
    """The worker: open the file and send the plan back in pieces."""
    try:
        try:
            loaded = open_plan(path)
        except OSError as exc:
            conn.send(("error", "os", exc.errno, exc.strerror or str(exc), exc.filename or path))
            return
        except WorkbenchError as exc:
            conn.send(("error", "plan", str(exc)))
            return
        conn.send(("pieces", count_pieces(loaded.plan)))
        for piece in pickle_pieces(loaded.plan):
            conn.send_bytes(piece)
        conn.send(("done", loaded.warnings, loaded.stamp))
    except (OSError, EOFError, BrokenPipeError):
        return  # the window stopped listening (cancelled)
    finally:
        conn.close()


def load_in_process(
    path: str | os.PathLike[str],
    progress: Callable[[float, str], None],
    cancel: CancelToken,
) -> LoadedPlan:
    """Open ``path`` in a worker process; raises what :func:`open_plan` raises, or
    :class:`workbench.domain.jobs.JobCancelled` when ``cancel`` fires."""
    name = Path(path).name
    context = multiprocessing.get_context("spawn")
    conn, child = context.Pipe(duplex=False)
    worker = context.Process(
        target=serve, args=(child, os.fspath(path)), name="mesh-workbench-open", daemon=True
    )
    worker.start()
    child.close()
    try:
        progress(0.0, f"Reading {name}…")
        kind, *rest = _next(conn, worker, cancel, name)
        if kind == "error":
            if rest[0] == "os":
                raise OSError(*rest[1:])
            raise PlanFileError(str(rest[1]))
        total = rest[0]
        assert isinstance(total, int)
        reader = PieceReader()
        plan: object = None
        with collector_paused():  # a full collection mid-load would hold everything
            for index in range(total):
                plan = reader.feed(_next_bytes(conn, worker, cancel, name))
                progress(0.2 + 0.8 * (index + 1) / total, f"Loading {name}…")
        _kind, warnings, stamp = _next(conn, worker, cancel, name)
        if not isinstance(plan, Plan):
            raise PlanFileError(f"{name}: the loading process sent no plan")
        return LoadedPlan(plan, tuple(str(w) for w in warnings), str(stamp))  # type: ignore[attr-defined]
    finally:
        conn.close()
        with contextlib.suppress(OSError, ValueError):
            worker.join(0.5)
            if worker.is_alive():
                worker.terminate()
                worker.join(1.0)


def _wait(conn: Connection, worker: multiprocessing.process.BaseProcess, cancel: CancelToken,
          name: str) -> None:  # fmt: skip
    while not conn.poll(POLL_S):
        cancel.check(f"opening {name}")
        if not worker.is_alive() and not conn.poll(0):
            raise PlanFileError(f"{name}: the loading process stopped unexpectedly")
    cancel.check(f"opening {name}")


def _next(conn: Connection, worker: multiprocessing.process.BaseProcess, cancel: CancelToken,
          name: str) -> tuple[object, ...]:  # fmt: skip
    _wait(conn, worker, cancel, name)
    try:
        message = conn.recv()
    except EOFError:
        raise PlanFileError(f"{name}: the loading process stopped unexpectedly") from None
    assert isinstance(message, tuple)
    return message


def _next_bytes(conn: Connection, worker: multiprocessing.process.BaseProcess,
                cancel: CancelToken, name: str) -> bytes:  # fmt: skip
    _wait(conn, worker, cancel, name)
    try:
        return conn.recv_bytes()
    except EOFError:
        raise PlanFileError(f"{name}: the loading process stopped unexpectedly") from None
