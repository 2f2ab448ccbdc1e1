"""What crosses between the window's process and a job's worker: the plan, as its saved
file, in pieces or pickled whole, and messages pickled frame by frame.

An edited plan crosses as :class:`PlanPieces`: :class:`PlanInPieces` pickles it a few
milliseconds at a time (:func:`workbench.ops.loading.pickle_pieces`), so the window's
own thread makes the pieces between two turns of its event loop and no other thread
holds the interpreter meanwhile. :class:`PlanBytes` (the plan pickled in one call) is
for callers without an event loop to keep turning.

The C pickler holds the interpreter lock from start to end, so a large message pickled
on a helper thread would freeze the UI thread for as long: through a file object
written and read by Python code, the interpreter can switch threads between frames
(about 64 KB each). The cyclic collector is paused meanwhile: pickling a plan makes a
small tuple or list per object that the pickler's memo keeps to the end, reading one
back makes every object anew, none of them in cycles, and each collection of the oldest
generation would scan the whole open plan while holding the lock.
"""

from __future__ import annotations

import contextlib
import pickle
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from workbench.domain.plan import Plan
from workbench.io.collector import collector_paused
from workbench.ops.loading.pieces import PieceReader, count_pieces, pickle_pieces

RELEASE_ITEMS = 5_000  # states dropped at a time by PlanInPieces.release


class _Frames:
    """A pickle's output, taken frame by frame (about 64 KB each) by Python code."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes | pickle.PickleBuffer) -> int:
        # a large buffer (a numpy array's data) comes as it is, a PickleBuffer: no len()
        part = bytes(data)
        self.parts.append(part)
        return len(part)


class _Reader:
    """Pickled bytes read back frame by frame by Python code."""

    def __init__(self, data: bytes) -> None:
        self.view = memoryview(data)
        self.at = 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.view) if size < 0 else self.at + size
        out = self.view[self.at : end].tobytes()
        self.at += len(out)
        return out

    def readinto(self, buffer: bytearray) -> int:
        size = min(len(buffer), len(self.view) - self.at)
        buffer[:size] = self.view[self.at : self.at + size]
        self.at += size
        return size

    def readline(self) -> bytes:
        end = bytes(self.view[self.at : self.at + 65536]).find(b"\n")
        return self.read(end + 1 if end >= 0 else -1)


def dumps_in_steps(value: object) -> bytes:
    frames = _Frames()
    with collector_paused():
        pickle.Pickler(frames, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return b"".join(frames.parts)


def loads_in_steps(data: bytes) -> Any:
    with collector_paused():
        return pickle.Unpickler(_Reader(data)).load()


@dataclass(frozen=True, slots=True)
class PlanFile:
    """The plan is the saved file at ``path`` (the worker reads it)."""

    path: str


@dataclass(frozen=True, slots=True)
class PlanBytes:
    """The plan, pickled in one call (see :meth:`of`)."""

    data: bytes

    @classmethod
    def of(cls, plan: Plan) -> PlanBytes:
        return cls(dumps_in_steps(plan))


@dataclass(frozen=True, slots=True)
class PlanPieces:
    """The plan as the pieces :class:`PlanInPieces` made; :meth:`plan` reads them back."""

    pieces: tuple[bytes, ...]

    def plan(self) -> object:
        reader = PieceReader()
        value: object = None
        with collector_paused():
            for piece in self.pieces:
                value = reader.feed(piece)
        return value


class PlanInPieces:
    """A plan being pickled, a slice of its pieces per call of :meth:`advance`.

    The pickler's memo holds, besides the plan's own objects, the state it made of each
    (a list or tuple per object) until the pickler is dropped: hundreds of thousands of
    objects that would pass through the collector's young generations and bring on
    collections of the whole heap on the way. So the collector is paused from the first
    piece until they are gone. Freeing them takes tens of milliseconds, so once the
    pieces are in, :meth:`release` drops them a slice per call, then resumes the
    collector; :meth:`close` drops everything at once (to give up). The plan must not
    change until the last piece is made: whoever edits it meanwhile closes this one and
    starts again with a new one."""

    def __init__(self, plan: Plan) -> None:
        self._plan = plan
        self._pieces: Iterator[bytes] | None = None
        self._total = 0
        self._made: list[bytes] = []
        self._kept: list[object] = []  # the pickler's states, dropped a slice at a time
        self._pause = contextlib.ExitStack()

    @property
    def made(self) -> int:
        """How many pieces are made so far."""
        return len(self._made)

    def advance(self, budget_s: float) -> PlanPieces | None:
        """Make pieces for about ``budget_s`` seconds (at least one); all of them, as
        :class:`PlanPieces`, once the last is made."""
        if self._pieces is None:
            self._pause.enter_context(collector_paused())
            self._total = count_pieces(self._plan)
            self._pieces = pickle_pieces(self._plan, kept=self._kept)
        deadline = time.perf_counter() + budget_s
        while len(self._made) < self._total:
            self._made.append(next(self._pieces))
            if len(self._made) < self._total and time.perf_counter() >= deadline:
                return None
        return PlanPieces(tuple(self._made))

    def release(self, budget_s: float) -> bool:
        """Drop the pickler, then what it made, for about ``budget_s`` seconds a call
        (at least a slice); True once all of it is gone and the collector runs again."""
        self._pieces = None  # the generator and its pickler: the memo lets go
        deadline = time.perf_counter() + budget_s
        while self._kept:  # at least one slice a call
            del self._kept[-RELEASE_ITEMS:]
            if time.perf_counter() >= deadline:
                break
        if self._kept:
            return False
        self._pause.close()
        return True

    def close(self) -> None:
        """Drop it all now and resume the collector; a second call does nothing."""
        self._pieces = None
        self._kept.clear()
        self._pause.close()

    def __del__(self) -> None:
        self.close()


PlanSource = PlanFile | PlanBytes | PlanPieces
