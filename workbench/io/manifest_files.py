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
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from workbench.domain.errors import WorkbenchError
from workbench.io.yaml_stream import (
    DEFAULT_MAX_ALIAS_NODES,
    YamlError,
    yaml_documents,
)

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
STDIN = "-"
_CHUNK = 1 << 20
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
def _read_stream(stream: BinaryIO, source: str, limit: int) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > limit:
            raise ManifestError(f"{source}: larger than the {_mib(limit)} limit for one file")
        chunks.append(chunk)


_KINDS_OF_FILE = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISDIR, "a folder"),
)


def _not_regular(mode: int) -> str:
    return next((what for test, what in _KINDS_OF_FILE if test(mode)), "not a regular file")


def read_limited(path: str, limit: int) -> bytes:
    """The file's bytes, refusing anything over ``limit`` (by size first, then by count).

    Only regular files are read: a named pipe, socket or device (which could block the
    import forever or never end) is refused from its type, checked on the opened file
    (opened without waiting, so a pipe with no writer cannot block the open either)."""
    if path == STDIN:
        return _read_stream(sys.stdin.buffer, "standard input", limit)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise ManifestError(f"{path}: cannot read: {exc.strerror or exc}") from None
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
            return _read_stream(stream, path, limit)
    except OSError as exc:
        raise ManifestError(f"{path}: cannot read: {exc.strerror or exc}") from None
    finally:
        if fd >= 0:
            os.close(fd)


# -- parsing ----------------------------------------------------------------------------
def _yaml_documents(data: bytes, source: str, limits: LoadLimits) -> Iterator[Any]:
    try:
        yield from yaml_documents(data, limits.max_alias_nodes)
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


def iter_documents(data: bytes, source: str, limits: LoadLimits = DEFAULT_LIMITS) -> Iterator[Any]:
    """Every document in ``data`` in turn: JSON (fast path) or YAML (streamed)."""
    head = data.lstrip()[:1]
    if source.lower().endswith(".json") or head in (b"{", b"["):
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
    stream = _Objects(source)
    objects = [obj for _, obj in stream.of(enumerate(docs, 1))]
    return objects, stream.warnings


class _Objects:
    """Counts what is not a Kubernetes object while objects are taken from documents."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.warnings: list[str] = []

    def of(self, numbered: Iterator[tuple[int, Any]]) -> Iterator[tuple[int, dict[str, Any]]]:
        found = others = 0
        first_other = ""
        for number, doc in numbered:
            if doc is None:
                continue
            for item in doc if isinstance(doc, list) else [doc]:
                if _is_object(item):
                    found += 1
                    yield number, item
                elif item is not None:
                    others += 1
                    first_other = first_other or _describe(item)
        if not found:
            what = first_other or "nothing"
            raise ManifestError(f"{self.source}: not Kubernetes objects: the file holds {what}")
        if others:
            self.warnings.append(
                f"{self.source}: {others} document(s) that are not Kubernetes objects skipped"
            )


class ManifestStream:
    """One file's Kubernetes objects, read document by document.

    The file is read (and its size and type checked) on creation; iterating parses it a
    document at a time and yields ``(document number, object)`` pairs (numbers count from
    1; the items of a ``List`` share their document's number). Warnings gather in
    :attr:`warnings` as the iteration goes."""

    def __init__(self, path: str, limits: LoadLimits = DEFAULT_LIMITS) -> None:
        self.path = "standard input" if path == STDIN else path
        self.limits = limits
        self._data: bytes | None = read_limited(path, limits.max_file_bytes)
        self.size = len(self._data)
        self._objects = _Objects(self.path)
        self.warnings = self._objects.warnings

    def __iter__(self) -> Iterator[tuple[int, dict[str, Any]]]:
        data, self._data = self._data, None
        if data is None:
            raise ManifestError(f"{self.path}: already read")
        documents = iter_documents(data, self.path, self.limits)
        yield from self._objects.of(enumerate(documents, 1))


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
