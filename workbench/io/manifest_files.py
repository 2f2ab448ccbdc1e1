"""Reading Kubernetes objects from files: ``kubectl get -o json|yaml`` output (List kinds
included), multi-document YAML, Helm-rendered output and folders of manifests (recursive).

Parsing is safe and bounded:

- a file larger than :attr:`LoadLimits.max_file_bytes` is refused from its size alone,
  before a byte is read (input that has no size, such as a pipe, is read in chunks and
  refused as soon as it passes the limit);
- JSON goes through orjson; YAML through PyYAML's safe loader (libyaml's when available),
  so no tags construct Python objects;
- a YAML document whose aliases would expand it by more than
  :attr:`LoadLimits.max_alias_nodes` nodes (a "billion laughs" bomb) is refused after
  composing it, before anything is expanded;
- content that is not Kubernetes objects gives one clear error naming the file.

A file named on the command line that cannot be used is an error; a file found while
walking a folder (a chart's ``values.yaml``, an unrendered template) is skipped with a
warning.
"""

from __future__ import annotations

import json
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from workbench.domain.errors import WorkbenchError
from workbench.io.yaml_stream import (
    DEFAULT_MAX_ALIAS_NODES,
    YamlError,
    document_boundary,
    fast_readable,
    yaml_documents,
)

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
STDIN = "-"
_CHUNK = 1 << 20
_NOT_SPACE = re.compile(rb"[^ \t\n\r\x0b\x0c]")  # what bytes.lstrip() keeps
DEFAULT_MAX_FILE_BYTES = 256 * 1024 * 1024


class ManifestError(WorkbenchError):
    """A manifest file that cannot be read as Kubernetes objects."""


@dataclass(frozen=True, slots=True)
class LoadLimits:
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    max_alias_nodes: int = (
        DEFAULT_MAX_ALIAS_NODES  # extra nodes that aliases may add to one document
    )


@dataclass(slots=True)
class LoadedFile:
    path: str
    objects: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    size: int = 0


DEFAULT_LIMITS = LoadLimits()


def _mib(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MiB"


# -- finding files ----------------------------------------------------------------------
def manifest_paths(paths: list[str]) -> list[tuple[str, bool]]:
    """Expand folders recursively; (path, named explicitly) in a stable order."""
    found: list[tuple[str, bool]] = []
    for raw in paths:
        if raw == STDIN:
            found.append((STDIN, True))
            continue
        path = Path(raw)
        if path.is_dir():
            walked: list[str] = []
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                walked.extend(
                    os.path.join(root, f)
                    for f in files
                    if f.lower().endswith(MANIFEST_SUFFIXES) and not f.startswith(".")
                )
            if not walked:
                raise ManifestError(f"{raw}: the folder holds no .yaml, .yml or .json files")
            found.extend((p, False) for p in sorted(walked))
        elif path.exists() or path.is_symlink():
            found.append((raw, True))
        else:
            raise ManifestError(f"{raw}: no such file or folder")
    return found


# -- reading, bounded ---------------------------------------------------------------------
def _read_stream(stream: BinaryIO, source: str, limit: int, expected: int = 0) -> bytes:
    """Everything ``stream`` holds, refused once it passes ``limit`` bytes. A stream of
    ``expected`` bytes (a file's size) is read in one piece: no chunks joined into a copy
    (which held the file twice)."""
    chunks: list[bytes] = []
    total = 0
    if 0 < expected <= limit:
        whole = stream.read(expected + 1)
        if len(whole) <= expected:
            return whole
        chunks.append(whole)  # the file grew since its size was taken: read on in chunks
        total = len(whole)
    while total <= limit:
        chunk = stream.read(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        chunks.append(chunk)
    raise ManifestError(f"{source}: larger than the {_mib(limit)} limit for one file")


_KINDS_OF_FILE = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISDIR, "a folder"),
)


def _not_regular(mode: int) -> str:
    return next((what for test, what in _KINDS_OF_FILE if test(mode)), "not a regular file")


def _cannot_open(path: str, exc: OSError) -> str:
    """Why ``path`` could not be opened: what it is when it is no regular file (a socket
    cannot be opened at all: "No such device or address"), else the system's reason."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        mode = stat.S_IFREG
    if not stat.S_ISREG(mode):
        return f"{_not_regular(mode)}, not a file: not read"
    return f"cannot read: {exc.strerror or exc}"


def read_limited(path: str, limit: int) -> bytes:
    """The file's bytes, refusing anything over ``limit`` (by size first, then by count).

    Only regular files are read: a named pipe, socket or device (which could block the
    import forever or never end) is refused from its type, checked on the opened file
    (opened without waiting, so a pipe with no writer cannot block the open either), or
    on the path when it cannot be opened at all (a socket)."""
    if path == STDIN:
        return _read_stream(sys.stdin.buffer, "standard input", limit)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise ManifestError(f"{path}: {_cannot_open(path, exc)}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ManifestError(f"{path}: {_not_regular(info.st_mode)}, not a file: not read")
        if info.st_size > limit:
            raise ManifestError(
                f"{path}: {_mib(info.st_size)} is larger than the {_mib(limit)} limit for one file"
            )
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        with os.fdopen(fd, "rb") as stream:
            fd = -1
            return _read_stream(stream, path, limit, info.st_size)
    except OSError as exc:
        raise ManifestError(f"{path}: cannot read: {exc.strerror or exc}") from None
    finally:
        if fd >= 0:
            os.close(fd)


# -- parsing ----------------------------------------------------------------------------
def _yaml_documents(
    data: bytes,
    source: str,
    limits: LoadLimits,
    start: int = 0,
    end: int | None = None,
    first_line: int = 1,
) -> Iterator[Any]:
    try:
        yield from yaml_documents(
            data, limits.max_alias_nodes, start=start, end=end, first_line=first_line
        )
    except YamlError as exc:
        raise ManifestError(f"{source}: {exc}") from None


def _json_documents(data: bytes, source: str) -> list[Any]:
    try:
        return [orjson.loads(data)]
    except orjson.JSONDecodeError as first:
        if "after document" not in first.msg and "trailing" not in first.msg.lower():
            raise ManifestError(
                f"{source}: not valid JSON at line {first.lineno}, column {first.colno}: "
                f"{first.msg}"
            ) from None
    # several JSON documents one after another (output of repeated kubectl calls)
    text, decoder, docs, pos = data.decode("utf-8", "replace"), json.JSONDecoder(), [], 0
    while pos < len(text):
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            break
        try:
            doc, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise ManifestError(
                f"{source}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
            ) from None
        docs.append(doc)
    return docs


def _looks_like_json(data: bytes, source: str) -> bool:
    first = _NOT_SPACE.search(data)  # the first byte that is not white space, uncopied
    head = data[first.start() : first.start() + 1] if first else b""
    return source.lower().endswith(".json") or head in (b"{", b"[")


def iter_documents(data: bytes, source: str, limits: LoadLimits = DEFAULT_LIMITS) -> Iterator[Any]:
    """Every document in ``data`` in turn: JSON (fast path) or YAML (streamed)."""
    if _looks_like_json(data, source):
        try:
            yield from _json_documents(data, source)
            return
        except ManifestError as exc:
            if source.lower().endswith(".json"):
                raise
            json_error = exc  # flow-style YAML also starts with a bracket: try that first
        try:
            docs = list(_yaml_documents(data, source, limits))
        except ManifestError:
            raise json_error from None
        yield from docs
        return
    yield from _yaml_documents(data, source, limits)


def parse_documents(data: bytes, source: str, limits: LoadLimits = DEFAULT_LIMITS) -> list[Any]:
    """Every document in ``data``: JSON (fast path) or YAML (one or many documents)."""
    return list(iter_documents(data, source, limits))


# -- Kubernetes or not -------------------------------------------------------------------
def _is_object(doc: Any) -> bool:
    return isinstance(doc, dict) and isinstance(doc.get("kind"), str) and bool(doc["kind"])


def _describe(doc: Any) -> str:
    if isinstance(doc, dict):  # its keys are the file's content: never quoted
        return f"an object with {len(doc)} key(s) but no 'kind'"
    if isinstance(doc, list):
        return "a list that holds no Kubernetes objects"
    return f"a {type(doc).__name__} value"


def kubernetes_objects(docs: list[Any], source: str) -> tuple[list[dict[str, Any]], list[str]]:
    """The Kubernetes objects among ``docs``; an error when there are none at all."""
    tally = DocumentTally()
    objects = [obj for _, obj in objects_in(docs, tally)]
    return objects, tally.verdict(source)


@dataclass(slots=True)
class DocumentTally:
    """What a file's documents held: how many were read, the Kubernetes objects among
    them and what else. The tallies of the parts of a file read apart add up."""

    documents: int = 0
    objects: int = 0
    others: int = 0
    first_other: str = ""

    def add(self, later: DocumentTally) -> None:
        """Count in the documents of ``later``, which come after these."""
        self.documents += later.documents
        self.objects += later.objects
        self.others += later.others
        self.first_other = self.first_other or later.first_other

    def verdict(self, source: str) -> list[str]:
        """The warnings about the whole file; an error when it held no object at all."""
        if not self.objects:
            what = self.first_other or "nothing"
            raise ManifestError(f"{source}: not Kubernetes objects: the file holds {what}")
        if self.others:
            return [f"{source}: {self.others} document(s) that are not Kubernetes objects skipped"]
        return []


def objects_in(
    documents: Iterable[Any], tally: DocumentTally
) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(document number, object)`` for each Kubernetes object among ``documents`` (the
    items of a list share its number; numbers go on from ``tally.documents``), counting
    in ``tally`` as it goes."""
    for doc in documents:
        tally.documents += 1
        if doc is None:
            continue
        number = tally.documents
        for item in doc if isinstance(doc, list) else [doc]:
            if _is_object(item):
                tally.objects += 1
                yield number, item
            elif item is not None:
                tally.others += 1
                tally.first_other = tally.first_other or _describe(item)


@dataclass(frozen=True, slots=True)
class YamlTail:
    """The documents of a YAML file from a document boundary on, ``data[start:]``, read
    apart from those before it; ``first_line`` is the file's line where they start."""

    source: str
    limits: LoadLimits
    data: bytes
    start: int
    first_line: int

    def objects(self, tally: DocumentTally) -> Iterator[tuple[int, dict[str, Any]]]:
        """Its objects as :class:`ManifestStream` gives them, numbered within the tail."""
        documents = _yaml_documents(
            self.data, self.source, self.limits, self.start, first_line=self.first_line
        )
        return objects_in(documents, tally)


class ManifestStream:
    """One file's Kubernetes objects, read document by document.

    The file is read (and its size and type checked) on creation; iterating parses it a
    document at a time and yields ``(document number, object)`` pairs (numbers count from
    1; the items of a ``List`` share their document's number). Warnings gather in
    :attr:`warnings` as the iteration goes.

    A large YAML file can be cut in two (:meth:`split_off`): the iteration then gives the
    documents before the cut, the :class:`YamlTail` the rest, and :meth:`finish` takes
    the tail's tally for the verdict on the whole file."""

    def __init__(self, path: str, limits: LoadLimits = DEFAULT_LIMITS) -> None:
        self.path = "standard input" if path == STDIN else path
        self.limits = limits
        self._data: bytes | None = read_limited(path, limits.max_file_bytes)
        self.size = len(self._data)
        self.tally = DocumentTally()
        self.warnings: list[str] = []
        self._end: int | None = None

    def split_off(self, min_bytes: int, share: float) -> YamlTail | None:
        """Cut a YAML file of at least ``min_bytes`` that the fast parser reads at the
        first document boundary after ``share`` of its bytes; None when it is not cut."""
        data = self._data
        if (
            data is None
            or self._end is not None
            or len(data) < min_bytes
            or not fast_readable(data)
            or _looks_like_json(data, self.path)
        ):
            return None
        at = document_boundary(data, int(len(data) * share))
        if at <= 0:
            return None
        self._end = at
        return YamlTail(self.path, self.limits, data, at, 1 + data.count(b"\n", 0, at))

    def __iter__(self) -> Iterator[tuple[int, dict[str, Any]]]:
        data, self._data = self._data, None
        if data is None:
            raise ManifestError(f"{self.path}: already read")
        if self._end is None:
            yield from objects_in(iter_documents(data, self.path, self.limits), self.tally)
            self.warnings.extend(self.tally.verdict(self.path))
        else:
            documents = _yaml_documents(data, self.path, self.limits, end=self._end)
            yield from objects_in(documents, self.tally)

    def finish(self, tail: DocumentTally) -> None:
        """The verdict on a file that was cut, once its tail was read (its ``tail``)."""
        self.tally.add(tail)
        self.warnings.extend(self.tally.verdict(self.path))


def load_manifest_file(path: str, limits: LoadLimits = DEFAULT_LIMITS) -> LoadedFile:
    stream = ManifestStream(path, limits)
    objects = [obj for _, obj in stream]
    return LoadedFile(path=stream.path, objects=objects, warnings=stream.warnings, size=stream.size)


def load_manifests(paths: list[str], limits: LoadLimits = DEFAULT_LIMITS) -> Iterator[LoadedFile]:
    """Each usable file in turn; unusable files found in folders become warnings."""
    return load_found(manifest_paths(paths), limits)


def load_found(
    found: list[tuple[str, bool]], limits: LoadLimits = DEFAULT_LIMITS
) -> Iterator[LoadedFile]:
    """Load ``(path, named explicitly)`` pairs as :func:`manifest_paths` gives them."""
    for path, explicit in found:
        try:
            yield load_manifest_file(path, limits)
        except ManifestError as exc:
            if explicit:
                raise
            yield LoadedFile(path=path, warnings=[f"skipped {exc}"])
