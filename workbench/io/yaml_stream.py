"""YAML documents one at a time, fast and bounded.

A multi-document file is cut at its document markers (``---`` at the start of a line,
where YAML forbids content) and each document is parsed on its own, so an import holds
one document's objects at a time besides what it keeps. Each document goes through the
Rust parser ``yaml_rs`` when it is installed (about ten times libyaml's speed), with
aliases bounded; anything it does not take as plain Kubernetes YAML (merge keys,
document-end markers, tags, a parse error) is parsed again by PyYAML's safe loader, whose
behaviour and error messages are the reference. Without ``yaml_rs`` every document goes
through PyYAML (libyaml's loader when available).

No loader constructs Python objects from tags, and a document whose aliases would expand
it by more than the limit (a "billion laughs" bomb) is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml

from workbench.domain.errors import WorkbenchError

yaml_rs: Any
try:  # pragma: no cover - depends on the installation
    import yaml_rs
except ImportError:  # pragma: no cover
    yaml_rs = None

DEFAULT_MAX_ALIAS_NODES = 100_000
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# A tag or an anchor may start here. An alias needs an anchor before it: without one,
# yaml_rs refuses the document and the reference parser reads it (and gives the error).
_NODE_PROPERTY = re.compile(rb"[!&]")
_BEFORE_PROPERTY = frozenset(b" \t\r\n[{,")
_BOM = b"\xef\xbb\xbf"
_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"")


class YamlError(WorkbenchError):
    """A YAML document that cannot be read; the message never quotes the document."""


def fast_parser_available() -> bool:
    return yaml_rs is not None


def fast_readable(data: bytes, start: int = 0) -> bool:
    """Whether the YAML at ``data[start:]`` (after a byte order mark at the start of
    ``data``) goes through the fast parser: UTF-8, with yaml_rs installed. Otherwise the
    reference parser reads it as a whole."""
    if start == 0 and data.startswith(_BOM):
        start = len(_BOM)
    return yaml_rs is not None and data[start : start + 2] not in (b"\xff\xfe", b"\xfe\xff")


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
            size[nid] = 1 + sum(size[id(c)] for c in _children(node))
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
                raise YamlError("a YAML document refers to itself through an alias")
            if extra > self.max_alias_nodes:
                raise YamlError(
                    f"YAML aliases would expand a document by {extra:,} nodes "
                    f"(limit {self.max_alias_nodes:,}): refused as an alias bomb"
                )
        return super().construct_document(node)


def _unquoted(text: str) -> str:
    """A parser's message without the fragments of the document it quotes."""
    return _QUOTED.sub("(...)", text)


def reference_documents(
    data: bytes | str, max_alias_nodes: int, first_line: int = 1
) -> Iterator[Any]:
    """Every document through PyYAML's safe loader; errors say where (``first_line`` is
    the line of the file where ``data`` starts), not what."""
    loader = LimitedSafeLoader(data)
    loader.max_alias_nodes = max_alias_nodes
    loader.check_aliases = ("&" in data) if isinstance(data, str) else (b"&" in data)
    try:
        while loader.check_data():
            yield loader.get_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + first_line}, column {mark.column + 1}" if mark else ""
        what = _unquoted(exc.problem or exc.context or "unreadable")
        raise YamlError(f"not valid YAML{where}: {what}") from None
    except (yaml.YAMLError, UnicodeDecodeError, ValueError) as exc:
        raise YamlError(f"not valid YAML: {_unquoted(str(exc).splitlines()[0])}") from None
    except RecursionError:
        raise YamlError("YAML nested too deeply") from None
    finally:
        loader.dispose()


def _is_marker(data: bytes, at: int) -> bool:
    """Whether a ``---`` at the start of a line at ``at`` is a document marker."""
    follows = data[at + 3 : at + 4]
    return not follows or follows in b" \t\r\n"


def _chunks(data: bytes, begin: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """(start, stop) of each document in ``data[begin:end]``, cut at its ``---`` markers
    (``end``, when given, is a marker itself or the end of ``data``)."""
    end = len(data) if end is None else end
    start = begin
    at = begin if data.startswith(b"---", begin) and _is_marker(data, begin) else -1
    while True:
        if at > start:
            yield start, at
            start = at
        found = data.find(b"\n---", at + 1 if at >= 0 else begin, end)
        while found >= 0 and not _is_marker(data, found + 1):
            found = data.find(b"\n---", found + 1, end)
        if found < 0:
            break
        at = found + 1
    if start < end:
        yield start, end


def document_boundary(data: bytes, at: int) -> int:
    """Where the first document that starts at or after ``at`` begins (its ``---``
    marker), or -1 when none does: a place to cut a stream between two documents."""
    found = data.find(b"\n---", max(at - 1, 0))
    while found >= 0 and not _is_marker(data, found + 1):
        found = data.find(b"\n---", found + 1)
    return found + 1 if found >= 0 else -1


def needs_reference(chunk: bytes) -> bool:
    """Whether a document uses what only the reference parser reads as Kubernetes tools
    do: merge keys, document-end markers, directives, tags or anchors (and so aliases).
    Substring searches first (as fast as memory: a search for one byte runs several times
    faster than one for two, so ``<`` and ``%``, rare in manifests, are looked for before
    ``<<`` and a ``%`` at the start of a line); the rare document holding ``!`` or ``&``
    is looked at more closely. A ``*`` (a cron schedule, a wildcard) is no reason: an
    alias without an anchor is an error yaml_rs reports, and the reference reads it."""
    if b"<" in chunk and b"<<" in chunk:
        return True
    if b"%" in chunk and (chunk.startswith(b"%") or b"\n%" in chunk):
        return True
    if chunk.startswith(b"...") or b"\n..." in chunk:
        return True
    if b"!" not in chunk and b"&" not in chunk:
        return False
    for mark in _NODE_PROPERTY.finditer(chunk):
        at = mark.start()
        follows = chunk[at + 1 : at + 2]
        if (at == 0 or chunk[at - 1] in _BEFORE_PROPERTY) and follows and not follows.isspace():
            return True
    return False


def _fast(chunk: bytes, limits: Any) -> tuple[bool, Any]:
    """(parsed?, document) through yaml_rs; not parsed when the reference must decide."""
    if yaml_rs is None or needs_reference(chunk):
        return False, None
    try:
        text = chunk.decode("utf-8")
        return True, yaml_rs.loads(
            text,
            parse_datetime=False,
            alias_limits=limits,
            duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.LastWins,
        )
    except Exception:  # the reference parser gives the error, or its own reading
        return False, None


def yaml_documents(
    data: bytes,
    max_alias_nodes: int = DEFAULT_MAX_ALIAS_NODES,
    *,
    start: int = 0,
    end: int | None = None,
    first_line: int = 1,
) -> Iterator[Any]:
    """Each document of a YAML stream, in order (None for an empty one).

    With ``start`` and ``end`` (each 0, the length of ``data`` or a
    :func:`document_boundary`), the documents between them: those of a stream cut at a
    boundary are those of the whole. ``first_line`` is the line of the file where
    ``data[start:]`` starts, for the messages of errors."""
    begin = len(_BOM) if start == 0 and data.startswith(_BOM) else start
    end = len(data) if end is None else end
    if not fast_readable(data, begin):
        yield from reference_documents(data[begin:end], max_alias_nodes, first_line)
        return
    limits = yaml_rs.AliasLimits(max_total_replayed_events=max_alias_nodes)
    first, line, counted = True, first_line, begin
    for start, stop in _chunks(data, begin, end):
        chunk = data[start:stop]
        parsed, doc = _fast(chunk, limits)
        if parsed:
            if doc is not None or not first or chunk.startswith(b"---"):
                yield doc
        else:
            line += data.count(b"\n", counted, start)
            counted = start
            yield from reference_documents(chunk, max_alias_nodes, line)
        first = False
