"""What crosses between the window's process and a job's worker: the plan, as its saved
file or pickled, and messages pickled frame by frame.

The C pickler holds the interpreter lock from start to end, so a large plan pickled on
a helper thread would freeze the UI thread for seconds. Through a file object written
and read by Python code, the interpreter can switch threads between frames (about
64 KB each). The cyclic collector is paused meanwhile: pickling a plan makes a small
tuple or dict per object, reading one back makes every object anew, none of them in
cycles, and each collection of the oldest generation would scan the whole open plan
while holding the lock.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from typing import Any

from workbench.domain.plan import Plan
from workbench.io.collector import collector_paused


class _Frames:
    """A pickle's output, taken frame by frame (about 64 KB each) by Python code."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)


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
    """The plan, pickled (see :meth:`of`)."""

    data: bytes

    @classmethod
    def of(cls, plan: Plan) -> PlanBytes:
        return cls(dumps_in_steps(plan))


PlanSource = PlanFile | PlanBytes
