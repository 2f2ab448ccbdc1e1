"""A large object graph pickled as a stream of pieces that each unpickle in milliseconds.

One :class:`pickle.Pickler` writes every piece, so its memo spans them: first the
members of the graph's large containers (a plan's workloads with their keys, its
dependency edges) in slices of :data:`PIECE_ITEMS`, then the object itself, whose
references to what came before cost a few bytes each. :class:`PieceReader` reads them back with one
:class:`pickle.Unpickler`, one piece per call, so the interpreter is never held for
longer than one slice takes, whichever thread reads.
"""

from __future__ import annotations

import dataclasses
import io
import pickle
from collections.abc import Iterator
from typing import Any

PIECE_ITEMS = 100  # members per piece: a slice of 100 workloads unpickles in a few ms
DEPTH = 3  # how deep into dataclass fields large containers are looked for


def large_containers(obj: object, threshold: int = PIECE_ITEMS, depth: int = DEPTH) -> list[Any]:
    """Lists and dicts of more than ``threshold`` members among ``obj``'s dataclass
    fields, down to ``depth`` levels (innermost first)."""
    found: list[Any] = []
    if depth == 0 or not dataclasses.is_dataclass(obj) or isinstance(obj, type):
        return found
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        found += large_containers(value, threshold, depth - 1)
        if isinstance(value, list | dict) and len(value) > threshold:
            found.append(value)
    return found


class _Keeping(pickle.Pickler):
    """A pickler that also puts the state it makes of each dataclass instance in
    ``kept``. The memo holds those states to the end anyway; dropping them all with the
    pickler takes tens of milliseconds for a large plan, which whoever holds ``kept``
    can spread instead (the memo then only lets go of them)."""

    def __init__(self, file: io.BytesIO, kept: list[object]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.kept = kept

    def reducer_override(self, obj: object) -> Any:
        if isinstance(obj, type) or not dataclasses.is_dataclass(obj):
            return NotImplemented
        instance: Any = obj  # an instance here, not its class
        reduced = instance.__reduce_ex__(pickle.HIGHEST_PROTOCOL)
        if isinstance(reduced, tuple) and len(reduced) > 2:
            self.kept.append(reduced[2])
        return reduced


def pickle_pieces(
    obj: object, items: int = PIECE_ITEMS, kept: list[object] | None = None
) -> Iterator[bytes]:
    """``obj`` as pieces for :class:`PieceReader`; the last piece is the object.

    Each other piece holds a slice of a large container's members, pickled one by one
    (no list or tuple around them, which the memo would keep to the end). Given ``kept``,
    the states the pickler makes of dataclass instances go there too (see
    :class:`_Keeping`). The graph must not change until the generator is exhausted (a
    member removed from a container meanwhile is only skipped)."""
    buffer = io.BytesIO()
    pickler = (
        pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        if kept is None
        else _Keeping(buffer, kept)
    )

    def piece(values: list[Any]) -> bytes:
        for value in values:
            pickler.dump(value)
        data = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return data

    for container in large_containers(obj, items):
        members = list(container)  # a dict's keys
        for start in range(0, len(members), items):
            chunk = members[start : start + items]
            if isinstance(container, dict):
                chunk = [v for key in chunk for v in (key, container.get(key))]
            yield piece(chunk)
    yield piece([obj])


def count_pieces(obj: object, items: int = PIECE_ITEMS) -> int:
    """How many pieces :func:`pickle_pieces` makes of ``obj``."""
    return 1 + sum(-(-len(c) // items) for c in large_containers(obj, items))


class PieceReader:
    """Reads the pieces of one stream in order; :meth:`feed` returns the last value
    each holds (of the last piece: the object)."""

    def __init__(self) -> None:
        self._buffer = io.BytesIO()
        self._unpickler = pickle.Unpickler(self._buffer)

    def feed(self, piece: bytes) -> object:
        self._buffer.seek(0)
        self._buffer.truncate()
        self._buffer.write(piece)
        self._buffer.seek(0)
        value: object = None
        while self._buffer.tell() < len(piece):
            value = self._unpickler.load()
        return value
