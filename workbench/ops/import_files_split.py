"""Reading a large YAML file with two processes.

Parsing YAML holds the interpreter, so a second core helps only from a second process:
this process reads the documents before a cut near the middle of the file while a
worker process (started with ``spawn``: no fork of a process that may run Qt threads)
reads those after it, each into an inventory builder of its own. The worker's builder
then joins this one (:meth:`InventoryBuilder.absorb`) as if one builder had read the
file from start to end: the same inventory, warnings (file, document number, field)
and counts, in the same order.

The worker is sent the bytes this process read and checked (never the file's name),
and sends back its builder, the objects it skipped (document numbers within its part),
its tally of documents and the error that stopped it, if any. A worker that cannot
start, dies or sends nothing readable changes nothing but the time taken: its part is
then read here. Files under :data:`SPLIT_BYTES`, a machine without a second processor
free (:func:`can_split`), a process that is itself a daemonic worker (it cannot start
processes: the desktop's import job) and a main script without its ``__main__`` guard
(:func:`main_is_guarded`) read in one go.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import re
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from typing import Any

from workbench.domain.jobs import CancelToken
from workbench.io.collector import collector_paused
from workbench.io.k8s_objects import InventoryBuilder
from workbench.io.manifest_files import DocumentTally, ManifestError, ManifestStream, YamlTail
from workbench.io.object_checks import object_problem

SPLIT_BYTES = 24 * 1024 * 1024  # smaller files are read in one go
# The worker starts an interpreter (about a third of a second) and sends its builder
# back, so this process takes the larger part; measured on a 208 MB dump, both parts
# then take about the same processor time (3.2 s each on the shared test machine).
OWN_SHARE = 0.55
CANCEL_EVERY = 2000  # objects between cancel checks
POLL_S = 0.05  # how often the waiting import looks at the cancel token
MAX_SCRIPT_CHARS = 1 << 20  # of a main script looked at for its guard


class ObjectReader:
    """Adds the valid objects of a stream to a builder. An invalid one is skipped and
    noted as ``(document number, "<kind> skipped: <field>: <problem>")``."""

    def __init__(
        self,
        builder: InventoryBuilder,
        note: Callable[[int, str], None],
        cancel: CancelToken | None = None,
    ) -> None:
        self.builder = builder
        self.note = note
        self.cancel = cancel
        self.added = 0

    def read(self, numbered: Iterable[tuple[int, dict[str, Any]]], offset: int = 0) -> None:
        """Read ``numbered`` objects; ``offset`` is added to their document numbers."""
        builder, cancel = self.builder, self.cancel
        for i, (document, obj) in enumerate(numbered):
            if cancel is not None and i % CANCEL_EVERY == 0:
                cancel.check("the import")
            problem = object_problem(obj)
            if problem is not None:
                kind = obj["kind"] if len(obj["kind"]) <= 60 else "object"
                self.note(document + offset, f"{kind} skipped: {problem}")
                continue
            builder.add(obj)
            self.added += 1


@dataclass(slots=True)
class TailOutcome:
    """What the worker made of the documents after the cut."""

    builder: InventoryBuilder
    tally: DocumentTally = field(default_factory=DocumentTally)
    problems: list[tuple[int, str]] = field(default_factory=list)
    added: int = 0
    error: str | None = None  # the error that stopped the reading, as the import gives it


def read_tail(tail: YamlTail, cluster: str, namespace: str) -> TailOutcome:
    """Read ``tail`` into a builder of its own; an unreadable document ends the reading
    (what was read before it is kept, as in a file read in one go)."""
    outcome = TailOutcome(InventoryBuilder(cluster, default_namespace=namespace))
    reader = ObjectReader(outcome.builder, lambda n, text: outcome.problems.append((n, text)))
    try:
        reader.read(tail.objects(outcome.tally))
    except ManifestError as exc:
        outcome.error = str(exc)
    outcome.added = reader.added
    return outcome


_GUARD = re.compile(r"""^if\s+__name__\s*==\s*["']__main__["']\s*:""", re.M)


def main_is_guarded() -> bool:
    """Whether a spawned worker may start: it first imports the main script again (as
    ``__mp_main__``), so that script must keep what it does under an
    ``if __name__ == "__main__":`` guard, as the product's entry points do. A script
    without one (it would run again, up to its import) is read in one go."""
    if getattr(sys, "frozen", False):
        return True
    main = sys.modules.get("__main__")
    spec_name = str(getattr(getattr(main, "__spec__", None), "name", "") or "")
    path = getattr(main, "__file__", None)
    if spec_name.endswith("__main__") or not path:
        return True  # a package's __main__ (never imported again), -c, interactive
    try:
        with open(path, encoding="utf-8", errors="replace") as script:
            return bool(_GUARD.search(script.read(MAX_SCRIPT_CHARS)))
    except OSError:
        return False


def can_split() -> bool:
    """Whether this process may start a worker, and a second processor is free to run
    it: the worker costs a second of work of its own (starting, sending its builder
    back), which pays only when it runs beside this process rather than in its turn."""
    if multiprocessing.current_process().daemon or not main_is_guarded():
        return False
    affinity = getattr(os, "sched_getaffinity", None)
    cpus = len(affinity(0)) if affinity is not None else os.cpu_count() or 1
    try:
        busy = os.getloadavg()[0]  # processes running or waiting, over the last minute
    except (AttributeError, OSError):  # not measured here (Windows)
        busy = 0.0
    return cpus >= 2 and busy < cpus - 0.5


def serve(incoming: Connection, outgoing: Connection) -> None:
    """The worker: receive the tail's settings and bytes, read them, send the outcome."""
    try:
        tail, cluster, namespace = incoming.recv()
        tail = replace(tail, data=incoming.recv_bytes())
        incoming.close()
        with collector_paused():
            outcome = read_tail(tail, cluster, namespace)
            del tail
            outgoing.send_bytes(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))
    except Exception:  # the importer then reads the tail itself
        return
    finally:
        outgoing.close()


class TailReader:
    """A worker process reading one tail while the caller reads the rest of the file."""

    def __init__(self, tail: YamlTail, builder: InventoryBuilder) -> None:
        context = multiprocessing.get_context("spawn")
        to_worker, self._to_worker = context.Pipe(duplex=False)
        self._from_worker, from_here = context.Pipe(duplex=False)
        self._process = context.Process(
            target=serve,
            args=(to_worker, from_here),
            name="mesh-workbench-import",
            daemon=True,
        )
        self._process.start()
        to_worker.close()
        from_here.close()
        part = replace(tail, data=b"", start=0)  # the worker receives data[start:] alone
        settings = (part, builder.cluster, builder.default_namespace)
        # the worker reads while this process parses: a blocking write of the whole tail
        # leaves the interpreter to the parser until the worker has taken it all
        self._sender = threading.Thread(
            target=self._send,
            args=(settings, tail.data, tail.start),
            name="mesh-workbench-import-send",
            daemon=True,
        )
        self._sender.start()

    def _send(self, settings: tuple[Any, ...], data: bytes, start: int) -> None:
        with contextlib.suppress(OSError, ValueError):  # the worker is gone: stop() tells
            self._to_worker.send(settings)
            self._to_worker.send_bytes(data, start)

    def outcome(self, cancel: CancelToken) -> TailOutcome | None:
        """What the worker read; None when it ended without a readable answer."""
        try:
            while not self._from_worker.poll(POLL_S):
                cancel.check("the import")
                if not self._process.is_alive() and not self._from_worker.poll(0):
                    return None
            answer = pickle.loads(self._from_worker.recv_bytes())
        except (OSError, EOFError, pickle.UnpicklingError):
            return None
        return answer if isinstance(answer, TailOutcome) else None

    def alive(self) -> bool:
        return self._process.is_alive()

    def stop(self) -> None:
        """End the worker (done or not), then the sending thread (a write to a worker
        that is gone fails at once) and the pipes."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join(5.0)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(5.0)
        self._sender.join(5.0)
        for conn in (self._from_worker, self._to_worker):
            with contextlib.suppress(OSError):
                conn.close()


def start_worker(tail: YamlTail, builder: InventoryBuilder) -> TailReader | None:
    """A worker reading ``tail``; None when none can be started (the tail is then read
    here)."""
    try:
        return TailReader(tail, builder)
    except (OSError, RuntimeError, ValueError):  # no process to be had, or not from here
        return None


def read_split(
    stream: ManifestStream,
    tail: YamlTail,
    reader: ObjectReader,
    worker: TailReader | None,
    cancel: CancelToken,
) -> None:
    """After ``reader`` read the stream's documents before the cut: take in those after
    it, from the worker or, without its answer, read here."""
    offset = stream.tally.documents
    outcome = worker.outcome(cancel) if worker is not None else None
    if outcome is None:
        tally = DocumentTally()
        reader.read(tail.objects(tally), offset)
        stream.finish(tally)
        return
    reader.builder.absorb(outcome.builder)
    for document, text in outcome.problems:
        reader.note(document + offset, text)
    reader.added += outcome.added
    if outcome.error is not None:
        raise ManifestError(outcome.error)
    stream.finish(outcome.tally)
