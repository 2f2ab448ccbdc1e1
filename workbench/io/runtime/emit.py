"""Writing runtime captures for a plan's known call graph, with infrastructure noise mixed
in: Hubble flows (``-o jsonpb``), OTLP/JSON trace lines and flow logs by IP. The synthetic
estates use them to check that the importers find exactly the graph they were given."""

from __future__ import annotations

import random
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

import orjson

from workbench.domain.evidence.windows import DAY, format_instant, parse_instant
from workbench.domain.inventory import Inventory, Workload

DEFAULT_START = "2026-11-02T00:00:00Z"
KUBE_DNS_IP = "10.96.0.10"
PROMETHEUS = ("monitoring", "prometheus-k8s-0", "10.255.0.9")
WORLD_IP = "52.94.133.2"
SUFFIX = "bcdfghjklmnpqrstvwxz2456789"


@dataclass(frozen=True, slots=True)
class EmitSettings:
    start: str = DEFAULT_START  # ISO 8601: when the capture begins
    days: float = 7.0  # how long it spans
    calls_per_edge: int = 3  # connections (or traces) per known edge
    noise: float = 1.0  # infrastructure records per call (DNS, probes, scrapes, replies)
    seed: int = 0


def _token(text: str, size: int) -> str:
    n = zlib.crc32(text.encode())
    out = ""
    for _ in range(size):
        n, r = divmod(n * 7 + 3, len(SUFFIX))
        out += SUFFIX[r]
    return out


def pod_name(w: Workload, replica: int = 0) -> str:
    """A pod name as the workload's controller would make it."""
    base = f"{w.key}#{replica}"
    if w.kind == "Deployment":
        return f"{w.name}-{_token(w.key, 9)}-{_token(base, 5)}"
    if w.kind == "StatefulSet":
        return f"{w.name}-{replica}"
    if w.kind == "CronJob":
        return f"{w.name}-2926{replica:04d}-{_token(base, 5)}"
    if w.kind in ("DaemonSet", "Job"):
        return f"{w.name}-{_token(base, 5)}"
    return w.name


def assign_pod_ips(inventory: Inventory) -> None:
    """Give every workload without recorded pod IPs one address per pod (10.0.0.0/9,
    deterministic by key order), as an import from a live cluster would record them."""
    n = 0
    for key in sorted(inventory.workloads):
        w = inventory.workloads[key]
        if w.pod_ips:
            continue
        ips = []
        for _ in range(max(1, min(w.pods, 4))):
            n += 1
            ips.append(f"10.{n >> 16 & 0x7F}.{n >> 8 & 0xFF}.{n & 0xFF}")
        w.pod_ips = ips
    inventory.revision += 1


def _times(settings: EmitSettings, count: int, rng: random.Random) -> Iterator[float]:
    start = parse_instant(settings.start) or 0.0
    span = settings.days * DAY
    for i in range(count):
        # the first and last calls pin the window; the rest fall anywhere in it
        yield start if i == 0 else start + span if i == count - 1 else start + rng.random() * span


def _calls(
    inventory: Inventory, edges: Iterable[tuple[str, str]], settings: EmitSettings
) -> Iterator[tuple[float, Workload, Workload, int]]:
    rng = random.Random(settings.seed)
    pairs = [
        (inventory.workloads[a], inventory.workloads[b])
        for a, b in sorted(edges)
        if a in inventory.workloads and b in inventory.workloads
    ]
    total = max(len(pairs) * settings.calls_per_edge, 2)
    times = iter(_times(settings, total, rng))
    for i in range(settings.calls_per_edge):
        for caller, callee in pairs:
            yield next(times, parse_instant(settings.start) or 0.0), caller, callee, i


def _endpoint(w: Workload, replica: int = 0) -> dict[str, Any]:
    labels = [f"k8s:{k}={v}" for k, v in sorted(w.labels.items())]
    labels.append(f"k8s:io.kubernetes.pod.namespace={w.namespace}")
    return {
        "ID": zlib.crc32(w.key.encode()) % 4000,
        "identity": 10000 + zlib.crc32(w.key.encode()) % 50000,
        "cluster_name": w.cluster,
        "namespace": w.namespace,
        "labels": labels,
        "pod_name": pod_name(w, replica),
    } | (
        # newer Cilium names the owner; older captures leave the pod name to resolve
        {"workloads": [{"name": w.name, "kind": w.kind}]}
        if w.kind != "Pod" and zlib.crc32(w.key.encode()) % 2
        else {}
    )


def _ip(w: Workload) -> str:
    return w.pod_ips[0] if w.pod_ips else "10.0.0.1"


def _flow(
    when: float,
    src: dict[str, Any],
    dst: dict[str, Any],
    sip: str,
    dip: str,
    sport: int,
    dport: int,
    *,
    reply: bool = False,
    direction: str = "EGRESS",
    l7: dict[str, Any] | None = None,
    udp: bool = False,
) -> bytes:
    proto = {"source_port": sport, "destination_port": dport}
    if not udp and l7 is None:
        proto["flags"] = {"SYN": True, "ACK": True} if reply else {"SYN": True}  # type: ignore[assignment]
    stamp = format_instant(when)
    flow: dict[str, Any] = {
        "time": stamp,
        "uuid": f"{zlib.crc32(f'{sip}{dip}{sport}{when}'.encode()):08x}-5d2c-4f0a-9b1e-0c2f3a4b",
        "verdict": "FORWARDED",
        "ethernet": {"source": "3e:8f:5a:0c:21:9b", "destination": "72:1d:9e:44:0b:e3"},
        "IP": {"source": sip, "destination": dip, "ipVersion": "IPv4"},
        "l4": {"UDP" if udp else "TCP": proto},
        "source": src,
        "destination": dst,
        "Type": "L7" if l7 else "L3_L4",
        "node_name": "node-1",
        "event_type": {"type": 129 if l7 else 4},
        "traffic_direction": direction,
        "trace_observation_point": "TO_ENDPOINT" if direction == "INGRESS" else "TO_STACK",
        "interface": {"index": 17, "name": "lxc8f3a2b1c9d0e"},
        "policy_match_type": 1 if direction == "INGRESS" else 0,
        "is_reply": reply,
        "Summary": "TCP Flags: SYN" if not reply else "TCP Flags: SYN, ACK",
    }
    if l7 is not None:
        flow["l7"] = l7
    return orjson.dumps({"flow": flow, "node_name": "node-1", "time": stamp}) + b"\n"


def _reserved(name: str) -> dict[str, Any]:
    return {"identity": {"host": 1, "world": 2}.get(name, 4), "labels": [f"reserved:{name}"]}


def emit_hubble(
    inventory: Inventory,
    edges: Iterable[tuple[str, str]],
    out: IO[bytes],
    settings: EmitSettings = EmitSettings(),
    entry: Iterable[str] = (),
) -> int:
    """Flows for every call of ``edges`` (seen at both ends, with replies), plus DNS,
    kubelet probes, Prometheus scrapes and calls from the world into ``entry``; lines written."""
    rng = random.Random(settings.seed + 1)
    written = 0
    dns_ep = {
        "namespace": "kube-system",
        "pod_name": "coredns-5d78c9869d-x7k2p",
        "labels": ["k8s:k8s-app=kube-dns"],
        "identity": 102,
    }
    prom_ep = {
        "namespace": PROMETHEUS[0],
        "pod_name": PROMETHEUS[1],
        "labels": ["k8s:app.kubernetes.io/name=prometheus"],
        "identity": 103,
    }
    port = 40000
    for when, caller, callee, i in _calls(inventory, edges, settings):
        port = port + 1 if port < 60999 else 40000
        src, dst = _endpoint(caller), _endpoint(callee, i % max(1, callee.pods))
        sip, dip = _ip(caller), _ip(callee)
        out.write(_flow(when, src, dst, sip, dip, port, 8080))
        out.write(_flow(when, src, dst, sip, dip, port, 8080, direction="INGRESS"))
        out.write(_flow(when, dst, src, dip, sip, 8080, port, reply=True))
        written += 3
        noise = settings.noise
        while noise > 0 and (noise >= 1 or rng.random() < noise):
            noise -= 1
            pick = rng.randrange(3)
            if pick == 0:
                l7 = {"type": "REQUEST", "dns": {"query": f"{callee.name}.{callee.namespace}.svc."}}
                out.write(_flow(when, src, dns_ep, sip, KUBE_DNS_IP, port, 53, l7=l7, udp=True))
            elif pick == 1:
                out.write(
                    _flow(
                        when,
                        _reserved("host"),
                        dst,
                        "10.255.0.1",
                        dip,
                        port,
                        8080,
                        direction="INGRESS",
                    )
                )
            else:
                l7 = {
                    "type": "REQUEST",
                    "http": {"method": "GET", "url": f"http://{dip}:9090/metrics"},
                }
                out.write(_flow(when, prom_ep, dst, PROMETHEUS[2], dip, port, 9090, l7=l7))
            written += 1
    start = parse_instant(settings.start) or 0.0
    for key in sorted(entry):
        w = inventory.workloads.get(key)
        if w is not None:
            out.write(
                _flow(
                    start + DAY / 2,
                    _reserved("world"),
                    _endpoint(w),
                    WORLD_IP,
                    _ip(w),
                    port,
                    8080,
                    direction="INGRESS",
                )
            )
            written += 1
    return written


def _attr(key: str, value: str) -> dict[str, Any]:
    return {"key": key, "value": {"stringValue": value}}


def _resource(w: Workload) -> list[dict[str, Any]]:
    attrs = [
        _attr("service.name", w.name),
        _attr("k8s.cluster.name", w.cluster),
        _attr("k8s.namespace.name", w.namespace),
        _attr("k8s.pod.name", pod_name(w)),
    ]
    if w.kind != "Pod":
        attrs.append(_attr(f"k8s.{w.kind.lower()}.name", w.name))
    return attrs


def _span(trace: str, span: str, parent: str, name: str, kind: int, when: float) -> dict[str, Any]:
    nanos = int(when * 1e9)
    out = {
        "traceId": trace,
        "spanId": span,
        "name": name,
        "kind": kind,
        "startTimeUnixNano": str(nanos),
        "endTimeUnixNano": str(nanos + 3_000_000),
        "attributes": [_attr("http.request.method", "GET")],
        "status": {},
    }
    if parent:
        out["parentSpanId"] = parent
    return out


def emit_otlp(
    inventory: Inventory,
    edges: Iterable[tuple[str, str]],
    out: IO[bytes],
    settings: EmitSettings = EmitSettings(),
) -> int:
    """One trace per call (caller INTERNAL work -> CLIENT span -> callee SERVER span), each
    service's spans in its own resourceSpans line, with internal spans and calls to an
    outside API as noise; spans written."""
    rng = random.Random(settings.seed + 2)
    spans = 0
    for n, (when, caller, callee, _) in enumerate(_calls(inventory, edges, settings)):
        trace = f"{rng.getrandbits(128):032x}"
        ids = [f"{n:08x}{k:08x}" for k in range(5)]
        mine = [
            _span(trace, ids[0], "", "work", 1, when),
            _span(trace, ids[1], ids[0], f"GET {callee.name}", 3, when),
        ]
        if rng.random() < settings.noise:
            mine.append(_span(trace, ids[3], ids[0], "serialize", 1, when))
            mine.append(_span(trace, ids[4], ids[0], "POST api.stripe.com", 3, when))
        theirs = [_span(trace, ids[2], ids[1], "GET /", 2, when)]
        for w, batch in ((callee, theirs), (caller, mine)):
            line = {
                "resourceSpans": [
                    {
                        "resource": {"attributes": _resource(w)},
                        "scopeSpans": [{"scope": {"name": "emit"}, "spans": batch}],
                    }
                ]
            }
            out.write(orjson.dumps(line) + b"\n")
            spans += len(batch)
    return spans


def emit_flow_log(
    inventory: Inventory,
    edges: Iterable[tuple[str, str]],
    out: IO[bytes],
    settings: EmitSettings = EmitSettings(),
) -> int:
    """A CSV flow log (``srcaddr,dstaddr,dstport,packets,start``) by pod IP, with DNS and
    node-probe rows as noise; rows written (pod IPs must be recorded: see assign_pod_ips)."""
    rng = random.Random(settings.seed + 3)
    out.write(b"srcaddr,dstaddr,dstport,packets,start\n")
    rows = 0
    for when, caller, callee, _ in _calls(inventory, edges, settings):
        stamp = int(when)
        out.write(f"{_ip(caller)},{_ip(callee)},8080,{rng.randint(4, 40)},{stamp}\n".encode())
        rows += 1
        if rng.random() < settings.noise:
            out.write(f"{_ip(caller)},{KUBE_DNS_IP},53,2,{stamp}\n".encode())
            rows += 1
    return rows


def window_text(settings: EmitSettings) -> str:
    start = parse_instant(settings.start) or 0.0
    return f"{settings.start} to {format_instant(start + settings.days * DAY)}"
