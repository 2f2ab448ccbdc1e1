"""Jaeger query API documents: ``/api/traces`` (``{"data": [trace ...]}``, also what the
UI's "Download JSON" writes) and ``/api/dependencies`` (``{"data": [{parent, child,
callCount}]}``). A span's service is its process's ``serviceName`` and ``k8s.*`` tags; its
parent is the ``CHILD_OF`` reference (or the first reference); times are microseconds."""

from __future__ import annotations

from typing import Any

from workbench.io.runtime.spans import SpanGraph, span_kind


def _tags(raw: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for tag in raw if isinstance(raw, list) else ():
        if isinstance(tag, dict) and isinstance(tag.get("key"), str):
            found[tag["key"]] = str(tag.get("value", ""))
    return found


def is_jaeger_traces(doc: Any) -> bool:
    data = doc.get("data") if isinstance(doc, dict) else doc
    return (
        isinstance(data, list)
        and bool(data)
        and isinstance(data[0], dict)
        and "spans" in data[0]
        and ("traceID" in data[0] or "processes" in data[0])
    )


def is_dependency_links(doc: Any) -> bool:
    data = doc.get("data") if isinstance(doc, dict) else doc
    return (
        isinstance(data, list)
        and bool(data)
        and all(isinstance(d, dict) and "parent" in d and "child" in d for d in data[:10])
    )


def read_jaeger_traces(graph: SpanGraph, doc: Any) -> None:
    data = doc.get("data") if isinstance(doc, dict) else doc
    for i, trace in enumerate(data or (), start=1):
        if not isinstance(trace, dict):
            graph.tally.error(i, f"trace {i} is not an object")
            continue
        raw = trace.get("processes")
        processes: dict[str, Any] = raw if isinstance(raw, dict) else {}
        services: dict[str, int] = {}
        for pid, process in processes.items():
            if isinstance(process, dict):
                attrs = _tags(process.get("tags"))
                attrs["service.name"] = str(process.get("serviceName") or "")
                services[pid] = graph.service(attrs)
        for span in trace.get("spans") or ():
            if not isinstance(span, dict) or not span.get("spanID"):
                graph.tally.error(i, f"trace {i}: a span without a spanID")
                continue
            refs = [r for r in span.get("references") or () if isinstance(r, dict)]
            parent = next((r for r in refs if r.get("refType") == "CHILD_OF"), None)
            parent = parent or (refs[0] if refs else None)
            parent_id = str(parent.get("spanID") or "") if parent else ""
            if not parent_id and span.get("parentSpanID"):
                parent_id = str(span["parentSpanID"])
            service = services.get(str(span.get("processID")))
            if service is None:
                graph.tally.error(i, f"trace {i}: span {span['spanID']} names no process")
                continue
            start = span.get("startTime")
            graph.span(
                str(span["spanID"]),
                parent_id,
                service,
                span_kind(_tags(span.get("tags")).get("span.kind")),
                start / 1e6 if isinstance(start, int | float) and start else None,
            )


def read_dependency_links(graph: SpanGraph, doc: Any) -> None:
    data = doc.get("data") if isinstance(doc, dict) else doc
    for i, link in enumerate(data or (), start=1):
        if not isinstance(link, dict) or not link.get("parent") or not link.get("child"):
            graph.tally.error(i, f"link {i} has no parent and child")
            continue
        count = link.get("callCount", 1)
        count = int(count) if isinstance(count, int | float) and count > 0 else 1
        graph.link(str(link["parent"]), str(link["child"]), count)
