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
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import orjson
import yaml

from workbench.domain.errors import WorkbenchError

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
STDIN = "-"
_CHUNK = 1 << 20
DEFAULT_MAX_FILE_BYTES = 256 * 1024 * 1024
DEFAULT_MAX_ALIAS_NODES = 100_000
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
        elif path.exists():
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


def read_limited(path: str, limit: int) -> bytes:
    """The file's bytes, refusing anything over ``limit`` (by size first, then by count)."""
    if path == STDIN:
        return _read_stream(sys.stdin.buffer, "standard input", limit)
    try:
        size = os.stat(path).st_size
        if size > limit:
            raise ManifestError(
                f"{path}: {_mib(size)} is larger than the {_mib(limit)} limit for one file"
            )
        with open(path, "rb") as stream:
            return _read_stream(stream, path, limit)
    except OSError as exc:
        raise ManifestError(f"{path}: cannot read: {exc.strerror or exc}") from exc


# -- parsing ----------------------------------------------------------------------------
def _expanded_extra(root: yaml.Node) -> int | None:
    """How many nodes aliases add when ``root`` is expanded; None for a recursive one."""
    size: dict[int, int] = {}
    unique = 0
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    active: set[int] = set()
    while stack:
        node, done = stack.pop()
        nid = id(node)
        if done:
            active.discard(nid)
            total = 1 + sum(size[id(c)] for c in _children(node))
            size[nid] = total
            continue
        if nid in size:
            continue
        if nid in active:
            return None
        active.add(nid)
        unique += 1
        stack.append((node, True))
        stack.extend((c, False) for c in _children(node) if id(c) not in size)
    return size[id(root)] - unique


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


class LimitedSafeLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader, refusing documents whose aliases would blow up on expansion."""

    max_alias_nodes = DEFAULT_MAX_ALIAS_NODES
    check_aliases = True

    def construct_document(self, node: yaml.Node) -> Any:
        if self.check_aliases:
            extra = _expanded_extra(node)
            if extra is None:
                raise ManifestError("a YAML document refers to itself through an alias")
            if extra > self.max_alias_nodes:
                raise ManifestError(
                    f"YAML aliases would expand a document by {extra:,} nodes "
                    f"(limit {self.max_alias_nodes:,}): refused as an alias bomb"
                )
        return super().construct_document(node)


def _yaml_documents(data: bytes, source: str, limits: LoadLimits) -> list[Any]:
    loader = LimitedSafeLoader(data)
    loader.max_alias_nodes = limits.max_alias_nodes
    loader.check_aliases = b"&" in data  # no anchors, no aliases
    docs = []
    try:
        while loader.check_data():
            docs.append(loader.get_data())
    except ManifestError as exc:
        raise ManifestError(f"{source}: {exc}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = exc.problem or exc.context or "unreadable"
        raise ManifestError(f"{source}: not valid YAML{where}: {what}") from None
    except (yaml.YAMLError, UnicodeDecodeError, ValueError) as exc:
        raise ManifestError(f"{source}: not valid YAML: {exc}") from None
    except RecursionError:
        raise ManifestError(f"{source}: YAML nested too deeply") from None
    finally:
        loader.dispose()
    return docs


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


def parse_documents(data: bytes, source: str, limits: LoadLimits = DEFAULT_LIMITS) -> list[Any]:
    """Every document in ``data``: JSON (fast path) or YAML (one or many documents)."""
    head = data.lstrip()[:1]
    if source.lower().endswith(".json") or head in (b"{", b"["):
        try:
            return _json_documents(data, source)
        except ManifestError as exc:
            if source.lower().endswith(".json"):
                raise
            json_error = exc  # flow-style YAML also starts with a bracket: try that first
        try:
            return _yaml_documents(data, source, limits)
        except ManifestError:
            raise json_error from None
    return _yaml_documents(data, source, limits)


# -- Kubernetes or not -------------------------------------------------------------------
def _is_object(doc: Any) -> bool:
    return isinstance(doc, dict) and isinstance(doc.get("kind"), str) and bool(doc["kind"])


def _describe(doc: Any) -> str:
    if isinstance(doc, dict):
        keys = ", ".join(sorted(str(k) for k in doc)[:6]) or "none"
        return f"an object without 'kind' and 'apiVersion' (its keys: {keys})"
    if isinstance(doc, list):
        return "a list that holds no Kubernetes objects"
    return f"a {type(doc).__name__} value"


def kubernetes_objects(docs: list[Any], source: str) -> tuple[list[dict[str, Any]], list[str]]:
    """The Kubernetes objects among ``docs``; an error when there are none at all."""
    objects: list[dict[str, Any]] = []
    others: list[str] = []
    for doc in docs:
        if doc is None:
            continue
        items = doc if isinstance(doc, list) else [doc]
        for item in items:
            if _is_object(item):
                objects.append(item)
            elif item is not None:
                others.append(_describe(item))
    if not objects:
        what = others[0] if others else "nothing"
        raise ManifestError(f"{source}: not Kubernetes objects: the file holds {what}")
    warnings = []
    if others:
        warnings.append(
            f"{source}: {len(others)} document(s) that are not Kubernetes objects skipped"
        )
    return objects, warnings


def load_manifest_file(path: str, limits: LoadLimits = DEFAULT_LIMITS) -> LoadedFile:
    source = "standard input" if path == STDIN else path
    data = read_limited(path, limits.max_file_bytes)
    docs = parse_documents(data, source, limits)
    size = len(data)
    del data
    objects, warnings = kubernetes_objects(docs, source)
    return LoadedFile(path=source, objects=objects, warnings=warnings, size=size)


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
