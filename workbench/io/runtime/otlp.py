"""OpenTelemetry traces as the Collector's file exporter writes them: one
``ExportTraceServiceRequest`` in OTLP/JSON per line (``resourceSpans`` -> ``scopeSpans``
-> ``spans``; ids as hex strings, kinds as integers or names, times as nanosecond strings).
The service of a span is its resource's ``service.name`` and ``k8s.*`` attributes."""

from __future__ import annotations

from typing import Any

from workbench.io.runtime.spans import SpanGraph, span_kind

REQUEST_KEYS = frozenset({"resourceSpans", "resource_spans"})


def attributes(raw: Any) -> dict[str, str]:
    """``[{"key": k, "value": {"stringValue": v}}]`` as a plain dict of strings."""
    found: dict[str, str] = {}
    for item in raw if isinstance(raw, list) else ():
        if isinstance(item, dict) and isinstance(item.get("key"), str):
            value = item.get("value")
            if isinstance(value, dict):
                for text in value.values():
                    if isinstance(text, str | int | float | bool):
                        found[item["key"]] = str(text)
                        break
    return found


def _nanos(value: Any) -> float | None:
    try:
        return int(value) / 1e9 if value not in (None, "", 0, "0") else None
    except (TypeError, ValueError):
        return None


def read_otlp_line(graph: SpanGraph, number: int, doc: Any) -> None:
    tally = graph.tally
    if not isinstance(doc, dict) or not any(k in doc for k in REQUEST_KEYS):
        tally.error(number, "not an OTLP/JSON trace request (another format's line?)")
        return
    unknown = set(doc) - REQUEST_KEYS
    if unknown:
        tally.error(number, f"unknown field {sorted(unknown)[0]!r} in a trace request")
        return
    batches = doc.get("resourceSpans") or doc.get("resource_spans") or []
    if not isinstance(batches, list):
        tally.error(number, "'resourceSpans' is not a list")
        return
    for batch in batches:
        if not isinstance(batch, dict):
            tally.error(number, "a resourceSpans entry is not an object")
            continue
        resource = batch.get("resource")
        attrs = attributes(resource.get("attributes") if isinstance(resource, dict) else None)
        service = graph.service(attrs)
        for scope in batch.get("scopeSpans") or batch.get("instrumentationLibrarySpans") or ():
            for span in scope.get("spans") or () if isinstance(scope, dict) else ():
                if not isinstance(span, dict) or not span.get("spanId"):
                    tally.error(number, "a span without a spanId")
                    continue
                graph.span(
                    str(span["spanId"]),
                    str(span.get("parentSpanId") or ""),
                    service,
                    span_kind(span.get("kind")),
                    _nanos(span.get("startTimeUnixNano")),
                )
