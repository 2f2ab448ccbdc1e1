"""Cilium Hubble flows: ``hubble observe -o jsonpb`` (GetFlowsResponse per line) and
``-o json`` (the bare flow per line), field names in proto or camelCase spelling.

Endpoints map to workloads by the ``workloads`` field (newer Cilium), the pod name through
the owners the inventory knows, or the ``app`` labels. Reply flows are skipped; a
connection seen at both ends counts once (TCP connections by their SYN, keyed by the
4-tuple); DNS, host and health probes, Prometheus scrapes and telemetry exports are left
out and counted by reason; ``reserved:world`` (and pod-less IPs) are callers from outside;
dropped verdicts are reported separately, never turned into edges.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, NamedTuple

from workbench.io.runtime.resolve import EndpointResolver
from workbench.io.runtime.tally import RuntimeTally

ENVELOPE_KEYS = frozenset({"flow", "node_name", "nodeName", "time", "node_status", "nodeStatus"})
NOTICE_KEYS = frozenset({"lost_events", "lostEvents", "node_status", "nodeStatus"})
FLOW_MARKERS = ("verdict", "IP", "source", "destination", "l4", "Type", "event_type")
PASSED = frozenset({"FORWARDED", "REDIRECTED", "AUDIT", "TRACED", "TRANSLATED"})
DENIED = frozenset({"DROPPED", "ERROR"})
INFRA_IDENTITIES = {
    "reserved:host": "host and kubelet probes",
    "reserved:remote-node": "host and kubelet probes",
    "reserved:health": "Cilium health checks",
    "reserved:kube-apiserver": "Kubernetes API server",
    "reserved:init": "endpoints not yet identified",
    "reserved:unmanaged": "endpoints not managed by Cilium",
}
SCRAPER_APPS = frozenset({"prometheus", "vmagent", "victoria-metrics-agent", "otel-collector"})
TELEMETRY_PORTS = frozenset({4317, 4318, 9411, 14250, 14268, 6831, 55680, 55681})
METRICS_PATHS = ("/metrics", "/stats/prometheus")
DEDUP_WINDOW = 200_000  # recently counted connections remembered to count each once


MAX_CACHED_ENDPOINTS = 500_000


class _Resolved(NamedTuple):
    keys: list[str]  # workload keys
    infra: str | None  # "world", an infrastructure reason, or None
    name: str  # for reports
    scraper: bool = False  # a Prometheus-style scraper pod


_UNKNOWN = _Resolved([], None, "?")
_WORLD = _Resolved([], "world", "world")


def _get(obj: Any, snake: str, camel: str | None = None) -> Any:
    if not isinstance(obj, dict):
        return None
    value = obj.get(snake)
    if value is None and camel is not None:
        value = obj.get(camel)
    return value


def _labels(endpoint: dict[str, Any]) -> tuple[dict[str, str], set[str]]:
    found: dict[str, str] = {}
    reserved: set[str] = set()
    for raw in endpoint.get("labels") or ():
        if not isinstance(raw, str):
            continue
        source, _, rest = raw.partition(":")
        if source == "reserved":
            reserved.add(raw)
            continue
        key, _, value = rest.partition("=")
        if source == "k8s" and not key.startswith("io.cilium") and not key.startswith("io."):
            found[key] = value
    return found, reserved


class HubbleReader:
    """Reads one capture into a :class:`RuntimeTally`."""

    def __init__(self, resolver: EndpointResolver, tally: RuntimeTally) -> None:
        self.resolver = resolver
        self.tally = tally
        self._recent: OrderedDict[tuple[Any, ...], None] = OrderedDict()
        self._endpoints: dict[tuple[Any, Any, Any], _Resolved] = {}

    def is_reply_line(self, line: bytes) -> bool:
        """A whole reply flow, told from its bytes without parsing it (counted, not read):
        half of a capture is replies, and this is where the time goes."""
        if (b'"is_reply":true' in line or b'"isReply":true' in line) and line.endswith(b"}"):
            self.tally.records += 1
            self.tally.left_out["reply flows"] += 1
            return True
        return False

    def line(self, number: int, doc: Any) -> None:
        tally = self.tally
        if not isinstance(doc, dict):
            tally.error(number, "not a Hubble flow: a JSON object per line was expected")
            return
        if "flow" in doc:
            unknown = set(doc) - ENVELOPE_KEYS
            if unknown:
                tally.error(number, f"unknown field {sorted(unknown)[0]!r} beside the flow")
                return
            flow, time = doc["flow"], doc.get("time")
        elif any(k in doc for k in NOTICE_KEYS):
            tally.records += 1
            tally.left_out["lost-event and node notices"] += 1
            return
        elif any(k in doc for k in FLOW_MARKERS):
            flow, time = doc, None
        else:
            tally.error(number, "not a Hubble flow (another format's line?)")
            return
        if not isinstance(flow, dict):
            tally.error(number, "'flow' is not an object")
            return
        tally.records += 1
        self.flow(flow, flow.get("time") or time)

    def _endpoint(self, ep: Any) -> _Resolved:
        """Who an endpoint is; pods are resolved once per capture."""
        if not isinstance(ep, dict):
            return _UNKNOWN
        ns, pod = ep.get("namespace"), ep.get("pod_name") or ep.get("podName")
        if not ns or not pod:
            return self._resolve(ep, str(ns or ""), str(pod or ""))
        cache_key = (ep.get("cluster_name") or ep.get("clusterName"), ns, pod)
        found = self._endpoints.get(cache_key)
        if found is None:
            found = self._resolve(ep, str(ns), str(pod))
            if len(self._endpoints) < MAX_CACHED_ENDPOINTS:
                self._endpoints[cache_key] = found
        return found

    def _resolve(self, ep: dict[str, Any], ns: str, pod: str) -> _Resolved:
        labels, reserved = _labels(ep)
        for identity in sorted(reserved):
            if identity == "reserved:world":
                return _WORLD
            if identity in INFRA_IDENTITIES:
                return _Resolved([], INFRA_IDENTITIES[identity], identity)
        if not ns:
            return _WORLD if not pod else _Resolved([], None, pod)
        name = f"{ns}/{pod}" if pod else f"{ns}/{labels.get('app', '?')}"
        apps = {labels.get(k, "") for k in ("app", "app.kubernetes.io/name", "k8s-app")}
        scraper = bool(apps & SCRAPER_APPS)
        cluster = str(_get(ep, "cluster_name", "clusterName") or "") or None
        for owner in _get(ep, "workloads") or ():
            if isinstance(owner, dict) and owner.get("name"):
                kind = str(owner.get("kind") or "")
                key = self.resolver.owner(ns, kind, str(owner["name"]), cluster)
                if key:
                    return _Resolved([key], None, name, scraper)
        if pod:
            key = self.resolver.pod(ns, pod, cluster)
            if key:
                return _Resolved([key], None, name, scraper)
        return _Resolved(self.resolver.labelled(ns, labels), None, name, scraper)

    def _infrastructure(self, flow: dict[str, Any], port: int | None) -> str:
        l7 = flow.get("l7")
        if port == 53 or (isinstance(l7, dict) and "dns" in l7):
            return "DNS"
        if port in TELEMETRY_PORTS:
            return "telemetry export"
        http = l7.get("http") if isinstance(l7, dict) else None
        url = str(http.get("url") or "") if isinstance(http, dict) else ""
        if url and any(url.split("?", 1)[0].endswith(p) for p in METRICS_PATHS):
            return "Prometheus scrapes"
        return ""

    def _once(self, flow: dict[str, Any], l4: dict[str, Any]) -> bool:
        """True the first time a connection (or L7 request) is seen."""
        ip = flow.get("IP") if isinstance(flow.get("IP"), dict) else {}
        tcp = _get(l4, "TCP")
        proto = tcp if isinstance(tcp, dict) else _get(l4, "UDP") or {}
        sport = _get(proto, "source_port", "sourcePort")
        if isinstance(tcp, dict):
            flags = tcp.get("flags")
            if (
                isinstance(flags, dict)
                and flags
                and not (flags.get("SYN") and not flags.get("ACK"))
            ):
                return False  # not the opening of a connection
        l7 = flow.get("l7")
        l7_type = l7.get("type") if isinstance(l7, dict) else None
        if l7_type == "RESPONSE":
            return False
        key = (
            _get(ip, "source"),
            _get(ip, "destination"),
            sport,
            _get(proto, "destination_port", "destinationPort"),
            l7_type,
            str(flow.get("time") or "")[:19] if sport is None else None,
        )
        if key[0] is None or key in self._recent:
            return key[0] is None
        self._recent[key] = None
        if len(self._recent) > DEDUP_WINDOW:
            self._recent.popitem(last=False)
        return True

    def flow(self, flow: dict[str, Any], time: Any) -> None:
        tally = self.tally
        if isinstance(time, str):
            tally.when_text(time[:19])  # whole seconds are enough for a window
        if flow.get("is_reply") or flow.get("isReply") or flow.get("reply") is True:
            tally.left_out["reply flows"] += 1
            return
        src, dst = flow.get("source"), flow.get("destination")
        raw_l4 = flow.get("l4")
        l4: dict[str, Any] = raw_l4 if isinstance(raw_l4, dict) else {}
        proto = _get(l4, "TCP") or _get(l4, "UDP") or {}
        port = _get(proto, "destination_port", "destinationPort")
        port = port if isinstance(port, int) else None
        infra = self._infrastructure(flow, port)
        if infra:
            tally.left_out[infra] += 1
            return
        source = self._endpoint(src)
        if source.scraper:
            tally.left_out["Prometheus scrapes"] += 1
            return
        callers, src_infra, src_name = source.keys, source.infra, source.name
        callees, dst_infra, dst_name = self._endpoint(dst)[:3]
        if src_infra not in (None, "world"):
            tally.left_out[src_infra] += 1
            return
        if dst_infra is not None:
            tally.left_out[
                "traffic leaving the cluster" if dst_infra == "world" else dst_infra
            ] += 1
            return
        verdict = str(flow.get("verdict") or "FORWARDED")
        if verdict in DENIED:
            tally.dropped[(src_name, dst_name)] += 1
            return
        if not callees:
            tally.unmatched[dst_name] += 1
            return
        if not self._once(flow, l4):
            tally.left_out["the same connection seen again"] += 1
            return
        if not callers:
            if src_infra != "world":
                tally.unmatched[src_name] += 1
            for callee in callees:
                tally.seen.add(callee)
                tally.external[callee] += 1
            return
        for caller in callers:
            for callee in callees:
                tally.call(caller, callee)
