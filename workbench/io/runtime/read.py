"""Reading one runtime capture: detect its format, stream it, tally what it shows."""

from __future__ import annotations

import csv
import os
from collections.abc import Mapping
from typing import IO, Any

import orjson

from workbench.domain.errors import WorkbenchError
from workbench.domain.inventory import Inventory
from workbench.domain.jobs import CancelToken, Progress, no_progress
from workbench.io.runtime.flowlogs import GUESSES, FlowLogReader
from workbench.io.runtime.hubble import FLOW_MARKERS, NOTICE_KEYS, HubbleReader
from workbench.io.runtime.jaeger import (
    is_dependency_links,
    is_jaeger_traces,
    read_dependency_links,
    read_jaeger_traces,
)
from workbench.io.runtime.lines import TooLong, json_line, raw_lines, size_text
from workbench.io.runtime.otlp import REQUEST_KEYS, read_otlp_line
from workbench.io.runtime.resolve import EndpointResolver
from workbench.io.runtime.spans import SpanGraph
from workbench.io.runtime.tally import RuntimeTally
from workbench.io.runtime.zipkin import is_zipkin_spans, read_zipkin_spans

RUNTIME_FORMATS = ("hubble", "otlp", "jaeger", "zipkin", "links", "flowlog")
WHOLE_DOCUMENT = ("jaeger", "zipkin", "links")  # one JSON document, not one per line
MAX_DOCUMENT_BYTES = 512 * 2**20
PROGRESS_EVERY = 20_000  # lines between progress reports and cancel checks


class RuntimeFormatError(WorkbenchError, ValueError):
    """A file that is none of the runtime formats (or not the one asked for)."""


def _first_line(path: str) -> bytes:
    with open(path, "rb") as stream:
        for line in raw_lines(stream, 2**20):
            if isinstance(line, TooLong):
                return b"{"  # a huge first line: a whole JSON document
            if line.strip():
                return line.strip()
    return b""


def detect_format(path: str) -> str | None:
    """The runtime format of ``path`` from its first line, or None (not a runtime file)."""
    head = _first_line(path)
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    if head[:1] in (b"{", b"["):
        doc, problem = json_line(head)
        if problem is None and isinstance(doc, dict):
            if any(k in doc for k in REQUEST_KEYS):
                return "otlp"
            if "flow" in doc or any(k in doc for k in (*FLOW_MARKERS, *NOTICE_KEYS)):
                return "hubble"
            if _is_flow_record(doc):
                return "flowlog"
        return _whole_document_format(path)
    text = head.decode("utf-8", "replace")
    if _header_roles(text):
        return "flowlog"
    return None


def _is_flow_record(doc: dict[str, Any]) -> bool:
    names = {str(k).lower() for k in doc}
    return bool(names & set(GUESSES["src"])) and bool(names & set(GUESSES["dst"]))


def _header_roles(text: str) -> bool:
    names = {n.strip().lower() for n in _split(text)}
    return bool(names & set(GUESSES["src"])) and bool(names & set(GUESSES["dst"]))


def _split(text: str) -> list[str]:
    for sep in (",", "\t"):
        if sep in text:
            return next(csv.reader([text], delimiter=sep))
    return text.split()


def _whole_document_format(path: str) -> str | None:
    doc = _load_document(path)
    if is_jaeger_traces(doc):
        return "jaeger"
    if is_dependency_links(doc):
        return "links"
    if is_zipkin_spans(doc):
        return "zipkin"
    return None


def _load_document(path: str) -> Any:
    size = os.stat(path).st_size
    if size > MAX_DOCUMENT_BYTES:
        raise RuntimeFormatError(
            f"{path}: {size_text(size)} is larger than the {size_text(MAX_DOCUMENT_BYTES)} "
            "limit for one JSON document (export a shorter time range)"
        )
    with open(path, "rb") as stream:
        data = stream.read()
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        line = data.count(b"\n", 0, exc.pos) + 1
        ends = exc.pos >= len(data.rstrip()) - 1
        what = "the file ends before its JSON does (truncated?)" if ends else "not valid JSON"
        raise RuntimeFormatError(f"{path}:{line}: {what}: {exc.msg}") from None


def read_runtime_file(
    path: str,
    inventory: Inventory,
    fmt: str | None = None,
    *,
    columns: Mapping[str, str] | None = None,
    resolver: EndpointResolver | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> RuntimeTally:
    """Everything ``path`` shows about who calls whom in ``inventory``'s estate.

    Bad lines are listed in the tally's errors (file and line) and the good records are
    kept; a file of no runtime format, or a whole document that is not valid JSON, raises
    :class:`RuntimeFormatError`.
    """
    try:
        found = fmt or detect_format(path)
    except OSError as exc:
        raise RuntimeFormatError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if found not in RUNTIME_FORMATS:
        raise RuntimeFormatError(
            f"{path}: not a runtime capture this version reads ({', '.join(RUNTIME_FORMATS)})"
            if fmt is None
            else f"--format {fmt}: not one of {', '.join(RUNTIME_FORMATS)}"
        )
    resolver = resolver or EndpointResolver(inventory)
    tally = RuntimeTally(found, path)
    cancel = cancel or CancelToken()
    graph = SpanGraph(resolver, tally)
    if found in WHOLE_DOCUMENT:
        doc = _load_document(path)
        checks = {
            "jaeger": is_jaeger_traces,
            "links": is_dependency_links,
            "zipkin": is_zipkin_spans,
        }
        if not checks[found](doc):
            raise RuntimeFormatError(f"{path}: not a {found} document")
        {"jaeger": read_jaeger_traces, "links": read_dependency_links, "zipkin": read_zipkin_spans}[
            found
        ](graph, doc)
        graph.finish()
        progress(1.0, f"read {path}")
        return tally
    try:
        with open(path, "rb") as stream:
            _stream(
                stream,
                os.fstat(stream.fileno()).st_size,
                found,
                tally,
                graph,
                resolver,
                columns or {},
                progress,
                cancel,
            )
    except OSError as exc:
        raise RuntimeFormatError(f"{path}: cannot read: {exc.strerror or exc}") from None
    graph.finish()
    return tally


def _stream(
    stream: IO[bytes],
    size: int,
    fmt: str,
    tally: RuntimeTally,
    graph: SpanGraph,
    resolver: EndpointResolver,
    columns: Mapping[str, str],
    progress: Progress,
    cancel: CancelToken,
) -> None:
    hubble = HubbleReader(resolver, tally) if fmt == "hubble" else None
    flows = FlowLogReader(resolver, tally, columns) if fmt == "flowlog" else None
    header: list[str] | None = None
    delimiter = ","
    total = max(size, 1)
    for number, line in enumerate(raw_lines(stream), start=1):
        if number % PROGRESS_EVERY == 0:
            cancel.check(f"reading {tally.path}")
            progress(min(stream.tell() / total, 1.0), f"{tally.path}: {number:,} lines")
        if isinstance(line, TooLong):
            tally.error(
                number, f"a {size_text(line.size)} line is over the {size_text(4 * 2**20)} limit"
            )
            continue
        if not line.strip():
            continue
        if flows is not None and not line.lstrip().startswith(b"{"):
            text = line.decode("utf-8", "replace").lstrip("\ufeff")
            if header is None:
                delimiter = "," if "," in text else "\t" if "\t" in text else " "
                header = (
                    _split(text)
                    if delimiter == " "
                    else next(csv.reader([text], delimiter=delimiter))
                )
                if not flows.header(header, number):
                    return
                continue
            values = (
                text.split() if delimiter == " " else next(csv.reader([text], delimiter=delimiter))
            )
            if len(values) != len(header):
                tally.error(number, f"{len(values)} fields where the header has {len(header)}")
                continue
            flows.record(number, dict(zip(header, values, strict=True)))
            continue
        if hubble is not None and hubble.is_reply_line(line):
            continue
        doc, problem = json_line(line)
        if problem is not None:
            tally.error(number, problem)
            continue
        if hubble is not None:
            hubble.line(number, doc)
        elif flows is not None:
            if not isinstance(doc, dict) or (not _is_flow_record(doc) and not flows.columns):
                tally.error(number, "not a flow record (another format's line?)")
                continue
            flows.record(number, doc)
        else:
            read_otlp_line(graph, number, doc)
    progress(1.0, f"read {tally.path}")
