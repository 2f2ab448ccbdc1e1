"""Running a use-case function of :mod:`workbench.ops` in a worker process.

A :class:`JobSpec` names the function (``"workbench.ops.planning:propose_plan"``), where
its plan comes from and its plain options. The plan crosses as a :class:`PlanFile` (the
worker reads the saved file itself: nothing big crosses), as :class:`PlanPieces` (the
plan pickled by the caller a few milliseconds at a time, between two turns of its event
loop) or as :class:`PlanBytes` (pickled in one call). :func:`run_job` hands the
spec to a worker (a ``spawn`` process; :class:`Workers` keeps one ready between jobs),
streams its progress to a callback, and returns the function's result (plain data, or a
report of the files it wrote) or raises what the function raised, with the same text a
run in this process gives (a :class:`WorkbenchError`'s message is kept as it is). The
worker takes this process's environment and working folder with each job.

Cancel terminates the worker: SIGTERM makes the worker raise :class:`JobCancelled`
where it stands, so writers unwind and remove their temporary files (exports write to a
temporary file and rename it over the target); a worker that does not end within
:data:`GRACE_S` is killed. Either way the caller gets :class:`JobCancelled` and no
result; the worker ends with its job. Workers run at a lower scheduling priority than
the window.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import inspect
import multiprocessing
import os
import pickle
import signal
import threading
import time
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from types import FrameType
from typing import Any

from workbench.domain.errors import WorkbenchError
from workbench.domain.jobs import CancelToken, JobCancelled, Progress, no_progress
from workbench.domain.plan import Plan
from workbench.ops.background.transfer import (
    PlanBytes,
    PlanFile,
    PlanPieces,
    PlanSource,
    dumps_in_steps,
    loads_in_steps,
)

__all__ = [
    "JobFailed",
    "JobProcess",
    "JobSpec",
    "PlanBytes",
    "PlanFile",
    "PlanPieces",
    "PlanSource",
    "Workers",
    "call",
    "resolve",
    "run_job",
]

OPS_PACKAGE = "workbench.ops."
POLL_S = 0.05  # how often the waiting side looks at the cancel token
PROGRESS_INTERVAL_S = 0.05  # at most ~20 progress messages a second cross the pipe
GRACE_S = 3.0  # how long a cancelled worker may take to unwind before it is killed
NICENESS = 5
JOBS_PER_WORKER = 50  # a worker is renewed after this many jobs (memory it kept)
IDLE_S = 15.0  # a worker idle this long is ended (the memory of its last job with it)


class JobFailed(WorkbenchError):
    """A job failed with an error that could not travel back as it was."""


@dataclass(frozen=True, slots=True)
class JobSpec:
    """A use-case call: ``function(<plan_argument>=plan, **options, progress=, cancel=)``.

    ``progress`` and ``cancel`` are passed when the function takes them; the plan only
    when ``plan`` is given. ``title`` names the job in messages ("Exporting ...").
    """

    function: str
    plan: PlanSource | None = None
    options: Mapping[str, Any] = field(default_factory=dict)
    plan_argument: str = "plan"
    title: str = "the job"

    def __post_init__(self) -> None:
        module, _, name = self.function.partition(":")
        if not module.startswith(OPS_PACKAGE) or not name.isidentifier():
            raise WorkbenchError(
                f"a background job runs a function of {OPS_PACKAGE[:-1]} named "
                f"'module:function', not {self.function!r}"
            )


def resolve(function: str) -> Callable[..., Any]:
    """The function a spec names; a clear error when there is none."""
    module_name, _, name = function.partition(":")
    try:
        fn = getattr(importlib.import_module(module_name), name, None)
    except ImportError as exc:
        raise WorkbenchError(f"cannot run {function}: {exc}") from None
    if not callable(fn):
        raise WorkbenchError(f"cannot run {function}: there is no such function")
    return fn  # type: ignore[no-any-return]


def load_source(source: PlanSource) -> Plan:
    if isinstance(source, PlanFile):
        from workbench.io.plan_file import load_plan

        return load_plan(Path(source.path))
    plan = source.plan() if isinstance(source, PlanPieces) else pickle.loads(source.data)
    if not isinstance(plan, Plan):
        raise WorkbenchError("the job was given something other than a plan")
    return plan


def call(spec: JobSpec, progress: Progress, cancel: CancelToken) -> Any:
    """Run the spec's function here (what the worker does; also the in-process path)."""
    fn = resolve(spec.function)
    kwargs = dict(spec.options)
    if spec.plan is not None:
        kwargs[spec.plan_argument] = load_source(spec.plan)
    taken = inspect.signature(fn).parameters
    if "progress" in taken:
        kwargs["progress"] = progress
    if "cancel" in taken:
        kwargs["cancel"] = cancel
    cancel.check(spec.title)
    return fn(**kwargs)


# -- the waiting side -------------------------------------------------------------------


class JobProcess:
    """One worker process; runs the specs it is given one after another. Qt-free."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self.process = context.Process(
            target=work, args=(child,), name="mesh-workbench-job", daemon=True
        )
        self.process.start()
        child.close()
        self.title = "the job"
        self.jobs = 0

    def alive(self) -> bool:
        return self.process.is_alive()

    def submit(self, spec: JobSpec) -> None:
        self.title = spec.title
        self.jobs += 1
        # the worker acts as this process would now: same environment, same folder
        self._conn.send_bytes(dumps_in_steps((spec, dict(os.environ), os.getcwd())))

    def wait(self, timeout: float) -> bool:
        """True when a message is ready (or the worker is gone)."""
        try:
            return bool(self._conn.poll(timeout))
        except (OSError, EOFError):
            return True

    def receive(self) -> tuple[Any, ...]:
        """The next message; ``("failed", error)`` when the worker ended without one."""
        try:
            message: tuple[Any, ...] = loads_in_steps(self._conn.recv_bytes())
        except (OSError, EOFError):
            self.process.join(GRACE_S)
            code = self.process.exitcode
            return (
                "lost",
                JobFailed(
                    f"{self.title} stopped: its worker process ended unexpectedly "
                    f"(exit code {code})"
                ),
            )
        except Exception as exc:  # a result or error this side cannot rebuild
            return ("lost", JobFailed(f"{self.title} failed: its result cannot be read: {exc}"))
        return message

    def stop(self) -> None:
        """End the worker: ask (SIGTERM, which cancels its job), then insist."""
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(GRACE_S)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(GRACE_S)

    def close(self) -> None:
        self.stop()
        self._conn.close()
        with contextlib.suppress(ValueError):
            self.process.close()


class Workers:
    """Worker processes kept ready: a job takes an idle one (or starts one); a worker
    whose job ended normally waits for the next, one that was cancelled is ended. A
    worker left idle for ``idle_s`` seconds is ended too: an idle worker still holds the
    memory of its last job (a plan, an exporter's modules)."""

    def __init__(
        self,
        keep: int = 1,
        jobs_per_worker: int = JOBS_PER_WORKER,
        idle_s: float | None = IDLE_S,
    ) -> None:
        self.keep = keep
        self.jobs_per_worker = jobs_per_worker
        self.idle_s = idle_s
        self._idle: list[JobProcess] = []
        self._idle_since: dict[JobProcess, float] = {}
        self._lock = threading.Lock()
        self._reaper: threading.Timer | None = None

    def take(self) -> JobProcess:
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                self._idle_since.pop(worker, None)
                if worker.alive():
                    return worker
                worker.close()
        return JobProcess()

    def give_back(self, worker: JobProcess) -> None:
        with self._lock:
            if (
                worker.alive()
                and len(self._idle) < self.keep
                and worker.jobs < self.jobs_per_worker
            ):
                self._idle.append(worker)
                self._idle_since[worker] = time.monotonic()
                self._reap_later()
                return
        worker.close()

    def _reap_later(self, delay: float | None = None) -> None:
        """Look again in ``delay`` seconds (by default, once a worker given back now has
        been idle for ``idle_s``). Called with the lock held."""
        if self.idle_s is None or self._reaper is not None:
            return
        self._reaper = threading.Timer(self.idle_s if delay is None else delay, self.reap)
        self._reaper.daemon = True
        self._reaper.start()

    def reap(self) -> None:
        """End the workers idle for ``idle_s`` or longer; look again for the others."""
        now = time.monotonic()
        with self._lock:
            self._reaper = None
            limit = self.idle_s if self.idle_s is not None else float("inf")
            stale = [w for w in self._idle if now - self._idle_since[w] >= limit]
            for worker in stale:
                self._idle.remove(worker)
                self._idle_since.pop(worker, None)
            if self._idle:
                oldest = min(self._idle_since[w] for w in self._idle)
                self._reap_later(max(0.05, oldest + limit - now))
        for worker in stale:
            worker.close()

    def warm_up(self) -> None:
        """Start a worker now (on the caller's thread), so the first job need not wait."""
        with self._lock:
            if self._idle or self.keep <= 0:
                return
        self.give_back(JobProcess())

    def idle_pids(self) -> list[int]:
        with self._lock:
            return [w.process.pid for w in self._idle if w.process.pid is not None]

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
            self._idle_since.clear()
            reaper, self._reaper = self._reaper, None
        if reaper is not None:
            reaper.cancel()
        for worker in idle:
            worker.close()


WORKERS = Workers()  # the process's pool, shared by every runner


def run_job(
    spec: JobSpec,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
    workers: Workers = WORKERS,
) -> Any:
    """Run ``spec`` in a worker process and return its result (see the module docstring)."""
    token = cancel or CancelToken()
    token.check(spec.title)
    worker = workers.take()
    reusable = False
    try:
        worker.submit(spec)
        while True:
            if token.is_cancelled():
                worker.stop()
                token.check(spec.title)
            if not worker.wait(POLL_S):
                continue
            message = worker.receive()
            kind = message[0]
            if kind == "progress":
                progress(float(message[1]), str(message[2]))
                continue
            reusable = kind in ("done", "failed")
            if kind == "done":
                return message[1]
            raise message[1]
    finally:
        if reusable:
            workers.give_back(worker)
        else:
            worker.close()


# -- the worker side --------------------------------------------------------------------


def _cancelled_by_signal(title: str, token: CancelToken) -> Callable[[int, FrameType | None], None]:
    def handler(_signum: int, _frame: FrameType | None) -> None:
        token.cancel()
        raise JobCancelled(f"{title} was cancelled")

    return handler


def _portable(exc: BaseException) -> BaseException:
    """``exc`` itself when it survives pickling, else a :class:`JobFailed` with its text."""
    text = traceback.format_exc(limit=8)
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        if isinstance(exc, WorkbenchError):
            exc = JobFailed(str(exc))
        else:
            exc = JobFailed(f"{type(exc).__name__}: {exc}")
    with contextlib.suppress(AttributeError, TypeError):
        exc.__traceback_text__ = text  # type: ignore[attr-defined]
    exc.__traceback__ = None
    exc.__context__ = exc.__cause__ = None
    return exc


def _run_one(conn: Connection, spec: JobSpec) -> bool:
    """Run one spec; True when it was cancelled (the worker then ends)."""
    token = CancelToken()
    signal.signal(signal.SIGTERM, _cancelled_by_signal(spec.title, token))
    last = [0.0]

    def progress(fraction: float, message: str) -> None:
        now = time.monotonic()
        if now - last[0] < PROGRESS_INTERVAL_S and fraction < 1.0:
            return
        last[0] = now
        conn.send(("progress", float(fraction), str(message)))

    try:
        result = call(spec, progress, token)
        reply: tuple[Any, ...] = ("done", result)
    except BaseException as exc:  # every failure travels back
        reply = ("failed", _portable(exc))
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        conn.send(reply)
    except Exception as exc:  # the result itself cannot be pickled
        message = f"{spec.title} failed: its result cannot be sent: {exc}"
        conn.send(("failed", JobFailed(message)))
    return token.is_cancelled()


def work(conn: Connection) -> None:
    """The worker: take specs one at a time, run each, send progress then an outcome."""
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(NICENESS)
    while True:
        try:
            message: tuple[JobSpec, dict[str, str], str] | None = conn.recv()
        except (OSError, EOFError):
            return
        if message is None:
            return
        spec, environ, folder = message
        if environ != os.environ:
            os.environ.clear()
            os.environ.update(environ)
        with contextlib.suppress(OSError):
            os.chdir(folder)
        if _run_one(conn, spec):
            os._exit(0)  # cancelled: nobody listens; threads it left must not hold the exit
        gc.collect()
