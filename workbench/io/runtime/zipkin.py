"""Zipkin v2 spans: a list of spans (``POST /api/v2/spans``) or a list of traces, each a
list of spans (``GET /api/v2/traces``). A span's service is ``localEndpoint.serviceName``;
kinds are CLIENT, SERVER, PRODUCER, CONSUMER; times are microseconds. A SERVER span that
shares its id with the CLIENT span (``shared``, the B3 single-span style) is the CLIENT's
child."""

from __future__ import annotations

from typing import Any

from workbench.io.runtime.spans import KIND_SERVER, SpanGraph, span_kind


def _spans(doc: Any) -> list[Any]:
    if isinstance(doc, list) and doc and all(isinstance(t, list) for t in doc):
        return [s for trace in doc for s in trace]
    return doc if isinstance(doc, list) else []


def is_zipkin_spans(doc: Any) -> bool:
    spans = _spans(doc)
    return bool(spans) and all(
        isinstance(s, dict) and "traceId" in s and "id" in s for s in spans[:10]
    )


def read_zipkin_spans(graph: SpanGraph, doc: Any) -> None:
    for i, span in enumerate(_spans(doc), start=1):
        if not isinstance(span, dict) or not span.get("id"):
            graph.tally.error(i, f"span {i} has no id")
            continue
        local = span.get("localEndpoint")
        attrs = {str(k): str(v) for k, v in (span.get("tags") or {}).items()}
        attrs["service.name"] = (
            str(local.get("serviceName") or "") if isinstance(local, dict) else ""
        )
        kind = span_kind(span.get("kind"))
        span_id, parent_id = str(span["id"]), str(span.get("parentId") or "")
        if kind == KIND_SERVER and span.get("shared"):
            span_id, parent_id = f"{span_id}/server", span_id
        start = span.get("timestamp")
        graph.span(
            span_id,
            parent_id,
            graph.service(attrs),
            kind,
            start / 1e6 if isinstance(start, int | float) and start else None,
        )
