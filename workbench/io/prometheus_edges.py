"""Edges and request rates from Istio's ``istio_requests_total`` in Prometheus.

Input is a saved ``/api/v1/query`` response (the full envelope, its ``data`` object, the
``result`` list or one result element) or a live query against a Prometheus URL. Each
series names ``source_workload``/``source_workload_namespace`` and
``destination_workload``/``destination_workload_namespace`` (Istio's standard labels,
both the Mixer-era and the telemetry-v2 sets; ``*_cluster`` labels when present).
The value is read as requests per second (save the result of a ``rate()`` query, as
:data:`DEFAULT_QUERY` does): series of one edge are summed per reporter and the larger
reporter's sum is kept, so client- and server-reported copies do not double count.
Traffic to ``PassthroughCluster``/``BlackHoleCluster`` or to unknown destinations is
external: reported as unresolved, never an edge.
"""

from __future__ import annotations

import contextlib
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from typing import Any

import orjson

from workbench.domain.dependencies import Edge, Evidence, UnresolvedAddress
from workbench.domain.discovery import ObservedEdges, WorkloadLookup
from workbench.domain.errors import WorkbenchError
from workbench.domain.inventory import Inventory

PROMETHEUS_CONFIDENCE = 0.99
EXTERNAL_SERVICES = frozenset(
    {"PassthroughCluster", "BlackHoleCluster", "InboundPassthroughCluster"}
)
EDGE_LABELS = (
    "reporter",
    "source_cluster",
    "source_workload_namespace",
    "source_workload",
    "destination_cluster",
    "destination_workload_namespace",
    "destination_workload",
    "destination_service_namespace",
    "destination_service_name",
    "destination_service",
)
DEFAULT_WINDOW = "5m"
DEFAULT_QUERY = f"sum by ({','.join(EDGE_LABELS)}) (rate(istio_requests_total[{{window}}]))"
MAX_RESPONSE_BYTES = 256 * 1024 * 1024


class PrometheusError(WorkbenchError):
    """A response that is not a usable Prometheus query result, or a failed query."""


def _results(doc: Any, source: str) -> list[dict[str, Any]]:
    if isinstance(doc, dict) and doc.get("status") == "error":
        raise PrometheusError(
            f"{source}: Prometheus answered with an error: "
            f"{doc.get('errorType', 'error')}: {doc.get('error', '')}".rstrip(": ")
        )
    if isinstance(doc, dict) and isinstance(doc.get("data"), dict):
        doc = doc["data"]
    if isinstance(doc, dict) and "result" in doc:
        if doc.get("resultType") not in (None, "vector", "matrix"):
            raise PrometheusError(f"{source}: a {doc['resultType']} result has no series")
        doc = doc["result"]
    if isinstance(doc, dict) and "metric" in doc:
        doc = [doc]
    if not isinstance(doc, list) or not all(
        isinstance(r, dict) and isinstance(r.get("metric"), dict) for r in doc
    ):
        raise PrometheusError(f"{source}: not a Prometheus query result (no series with 'metric')")
    return doc


def is_prometheus_result(doc: Any) -> bool:
    try:
        _results(doc, "")
    except PrometheusError:
        return False
    return True


def _value(series: dict[str, Any]) -> float | None:
    try:
        if "value" in series:
            return float(series["value"][1])
        values = [float(v[1]) for v in series.get("values") or []]
        return sum(values) / len(values) if values else None
    except (TypeError, ValueError, IndexError, KeyError):
        return None


def _known(value: object) -> str | None:
    return str(value) if value not in (None, "", "unknown") else None


def prometheus_edges(doc: Any, inventory: Inventory, source: str = "Prometheus") -> ObservedEdges:
    series_list = _results(doc, source)
    lookup = WorkloadLookup(inventory)
    # (caller, callee) -> reporter -> summed rate
    rates: dict[tuple[str, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    via: dict[tuple[str, str], str] = {}
    out = ObservedEdges()
    seen: set[tuple[str, str]] = set()
    skipped = 0
    for series in series_list:
        m = series["metric"]
        caller = None
        src_ns, src = _known(m.get("source_workload_namespace")), _known(m.get("source_workload"))
        if src_ns and src:
            caller = lookup.workload(_known(m.get("source_cluster")), src_ns, src)
        if caller is None:
            skipped += 1
            continue
        dst_cluster = _known(m.get("destination_cluster"))
        dst_ns, dst = (
            _known(m.get("destination_workload_namespace")),
            _known(m.get("destination_workload")),
        )
        svc_ns, svc = (
            _known(m.get("destination_service_namespace")),
            _known(m.get("destination_service_name")),
        )
        callees: list[str] = []
        if dst_ns and dst:
            key = lookup.workload(dst_cluster, dst_ns, dst)
            callees = [key] if key else []
        elif svc_ns and svc and svc not in EXTERNAL_SERVICES:
            callees = lookup.by_service(dst_cluster, svc_ns, svc)
        if not callees:
            target = _known(m.get("destination_service")) or f"{dst_ns or svc_ns}/{dst or svc}"
            if (caller, target) not in seen:
                seen.add((caller, target))
                reason = (
                    "external (outside the mesh registry)"
                    if svc in EXTERNAL_SERVICES
                    else ("not in the inventory")
                )
                out.unresolved.append(UnresolvedAddress(caller, target, source, reason))
            continue
        value = _value(series)
        tcp = str(m.get("__name__", "")).startswith("istio_tcp")
        for callee in callees:
            if callee == caller:
                continue
            bucket = rates[(caller, callee)]
            bucket[str(m.get("reporter") or "")] += (
                0.0 if value is None or tcp else value / len(callees)
            )
            if svc_ns and svc:
                via.setdefault((caller, callee), f"{callee.split('/')[0]}/{svc_ns}/{svc}")
    for (caller, callee), by_reporter in sorted(rates.items()):
        rate = max(by_reporter.values())
        detail = (
            f"{source}: istio_requests_total {caller.split('/')[-1]} -> {callee.split('/')[-1]}"
        )
        out.edges.append(
            Edge(
                caller,
                callee,
                [Evidence("prometheus", detail)],
                PROMETHEUS_CONFIDENCE,
                via_service=via.get((caller, callee)),
                requests_per_second=round(rate, 6),
            )
        )
    if skipped:
        out.warnings.append(
            f"{source}: {skipped} series from callers outside the inventory skipped"
        )
    return out


def query_prometheus(
    url: str, *, query: str | None = None, window: str = DEFAULT_WINDOW, timeout: float = 15.0
) -> Any:
    """Run ``query`` (default: request rates per edge) against Prometheus at ``url``."""
    base = url.rstrip("/")
    if not base.startswith(("http://", "https://")):
        raise PrometheusError(f"{url}: a Prometheus URL starts with http:// or https://")
    text = query or DEFAULT_QUERY.format(window=window)
    full = f"{base}/api/v1/query?{urllib.parse.urlencode({'query': text})}"
    request = urllib.request.Request(full, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(MAX_RESPONSE_BYTES + 1)
    except urllib.error.HTTPError as exc:
        detail = exc.read(4096).decode("utf-8", "replace").strip()
        with contextlib.suppress(orjson.JSONDecodeError, AttributeError):
            detail = str(orjson.loads(detail).get("error", detail))
        raise PrometheusError(f"Prometheus at {base} answered {exc.code}: {detail[:300]}") from None
    except TimeoutError:
        raise PrometheusError(f"Prometheus at {base} did not answer within {timeout:g} s") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError):
            raise PrometheusError(
                f"Prometheus at {base} did not answer within {timeout:g} s"
            ) from None
        raise PrometheusError(f"cannot reach Prometheus at {base}: {reason}") from None
    if len(body) > MAX_RESPONSE_BYTES:
        raise PrometheusError(f"Prometheus at {base}: the answer is larger than 256 MiB")
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        raise PrometheusError(f"Prometheus at {base}: the answer is not JSON") from None
