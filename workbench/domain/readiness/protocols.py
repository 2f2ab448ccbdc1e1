"""Rules about how Services declare their ports and what Istio makes of them."""

from __future__ import annotations

from collections import defaultdict

from workbench.domain.findings import Finding
from workbench.domain.inventory import Service, Workload
from workbench.domain.readiness.context import ReadinessContext
from workbench.domain.readiness.ports import (
    HTTP_LIKE,
    TLS_LIKE,
    declared_protocol,
    effective_protocol,
    target_number,
)
from workbench.domain.readiness.rule import (
    DOC_APP_REQUIREMENTS,
    DOC_DESTINATION_RULE,
    DOC_PLATFORM,
    DOC_PROTOCOL,
    DOC_ROUTING,
    NO_FINDINGS,
    Rule,
)

# Protocols where the server speaks first; Istio's own auto-TCP list (25, 53, 3306,
# 27017) is exempt because those ports are treated as TCP already.
SERVER_FIRST_PORTS = {21: "FTP", 22: "SSH", 110: "POP3", 143: "IMAP", 587: "SMTP", 4222: "NATS"}
SERVER_FIRST_IMAGES = ("mysql", "mariadb", "percona", "nats", "openssh", "sftp", "ftp", "postfix")
TLS_PORTS = frozenset({443, 2379, 2380, 6443, 8443, 9443, 10250})


def _describe(svc: Service, port: int, name: str | None) -> str:
    return f"{svc.name}:{port}" + (f" ({name})" if name else "")


def _undeclared(rule: Rule[Workload], ctx: ReadinessContext, w: Workload) -> list[Finding]:
    services = ctx.services_of(w)
    seen = [
        (svc, _describe(svc, p.port, p.name))
        for svc in services
        for p in svc.ports
        if effective_protocol(p) is None
    ]
    if not seen:
        return NO_FINDINGS
    listed = ", ".join(d for _, d in seen)
    return [
        rule.hit(
            (w.key, *(s.key for s, _ in seen)),
            f"Service port(s) {listed} selecting {w.kind} {w.name} declare no protocol "
            "(no appProtocol, no protocol name prefix).",
        )
    ]


def _server_first(rule: Rule[Workload], ctx: ReadinessContext, w: Workload) -> list[Finding]:
    images = [c.image for c in w.containers if any(i in c.image for i in SERVER_FIRST_IMAGES)]
    seen: list[tuple[Service, str]] = []
    for svc in ctx.services_of(w):
        for p in svc.ports:
            if effective_protocol(p) is not None or p.protocol != "TCP":
                continue
            target = target_number(w, p)
            known = SERVER_FIRST_PORTS.get(p.port) or SERVER_FIRST_PORTS.get(target or -1)
            if known:
                seen.append((svc, f"{svc.name}:{p.port} ({known})"))
            elif images:
                seen.append((svc, f"{svc.name}:{p.port} (image {images[0]})"))
    if not seen:
        return NO_FINDINGS
    return [
        rule.hit(
            (w.key, *(s.key for s, _ in seen)),
            "Undeclared port(s) carry a server-first protocol: "
            + ", ".join(d for _, d in seen)
            + ".",
        )
    ]


def _conflicting_ports(rule: Rule[Workload], ctx: ReadinessContext, w: Workload) -> list[Finding]:
    services = ctx.services_of(w)
    if len(services) < 2:
        return NO_FINDINGS
    l4: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    targets: dict[int, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for svc in services:
        for p in svc.ports:
            l4[p.port][p.protocol].add(svc.key)
            t = target_number(w, p)
            if t is not None:
                targets[t][p.port].add(svc.key)
    found: list[Finding] = []
    for port, by_proto in sorted(l4.items()):
        owners = {k for keys in by_proto.values() for k in keys}
        if len(by_proto) > 1 and len(owners) > 1:
            protos = "/".join(sorted(by_proto))
            found.append(
                rule.hit(
                    (w.key, *sorted(owners)),
                    f"Services selecting {w.kind} {w.name} use port {port} with different "
                    f"protocols ({protos}) (IST0116).",
                )
            )
    for target, by_port in sorted(targets.items()):
        owners = {k for keys in by_port.values() for k in keys}
        if len(by_port) > 1 and len(owners) > 1:
            ports = ", ".join(str(p) for p in sorted(by_port))
            found.append(
                rule.hit(
                    (w.key, *sorted(owners)),
                    f"Services selecting {w.kind} {w.name} send target port {target} from "
                    f"different ports ({ports}) (IST0137).",
                    severity="medium",
                    fix="Expose the container port under one Service port number.",
                )
            )
    return found


def _tls_mismatch(rule: Rule[Workload], ctx: ReadinessContext, w: Workload) -> list[Finding]:
    signals = {s for c in w.containers for s in c.signals}
    tls_flags = {
        p.container_port for c in w.containers if "tls-flags" in c.signals for p in c.ports
    }
    seen: list[tuple[Service, str]] = []
    for svc in ctx.services_of(w):
        for p in svc.ports:
            proto = declared_protocol(p)
            t = target_number(w, p)
            if proto in HTTP_LIKE:
                evidence = []
                if t is not None and f"probe-https:{t}" in signals:
                    evidence.append("an HTTPS probe")
                if p.port in TLS_PORTS or t in TLS_PORTS:
                    evidence.append("a well-known TLS port")
                if t in tls_flags:
                    evidence.append("TLS flags on the container")
                if evidence:
                    seen.append(
                        (
                            svc,
                            f"{svc.name}:{p.port} is declared {proto} but has "
                            + " and ".join(evidence),
                        )
                    )
            elif (
                proto in TLS_LIKE
                and f"probe-http:{t}" in signals
                and f"probe-https:{t}" not in signals
            ):
                seen.append((svc, f"{svc.name}:{p.port} is declared {proto} but probed over HTTP"))
    if not seen:
        return NO_FINDINGS
    return [rule.hit((w.key, *(s.key for s, _ in seen)), "; ".join(d for _, d in seen) + ".")]


def _session_affinity(rule: Rule[Workload], ctx: ReadinessContext, w: Workload) -> list[Finding]:
    sticky = [s for s in ctx.services_of(w) if s.session_affinity == "ClientIP"]
    if not sticky:
        return NO_FINDINGS
    return [
        rule.hit(
            (w.key, *(s.key for s in sticky)),
            f"Service {', '.join(s.name for s in sticky)} sets sessionAffinity: ClientIP.",
        )
    ]


def _ipv6(rule: Rule[Workload], ctx: ReadinessContext, w: Workload) -> list[Finding]:
    v6 = [s for s in ctx.services_of(w) if "IPv6" in s.ip_families]
    if not v6:
        return NO_FINDINGS
    families = "; ".join(f"{s.name}: {', '.join(s.ip_families)}" for s in v6)
    return [rule.hit((w.key, *(s.key for s in v6)), f"IPv6 Service families: {families}.")]


def _external_name(rule: Rule[Service], ctx: ReadinessContext, svc: Service) -> list[Finding]:
    if svc.type != "ExternalName":
        return NO_FINDINGS
    if not svc.ports:
        problem = "declares no port"
    else:
        bad = [
            _describe(svc, p.port, p.name)
            for p in svc.ports
            if declared_protocol(p) is None or (p.name or "").lower() == "tcp"
        ]
        if not bad:
            return NO_FINDINGS
        problem = "has port(s) without a protocol name, or named just 'tcp': " + ", ".join(bad)
    target = svc.external_name or "?"
    return [rule.hit(svc.key, f"ExternalName Service {svc.name} (-> {target}) {problem}.")]


WORKLOAD_RULES: tuple[Rule[Workload], ...] = (
    Rule(
        "R7",
        "Protocol not declared",
        "medium",
        DOC_PROTOCOL,
        "Istio detects only HTTP and HTTP/2 by itself; an undeclared port is sniffed, which "
        "adds latency and treats anything else as opaque TCP (IST0118).",
        "Name the port <protocol>[-suffix] (http-web, grpc-api, tcp-db) or set appProtocol.",
        "workload",
        _undeclared,
    ),
    Rule(
        "R8",
        "Server-first protocol on an undeclared port",
        "high",
        DOC_APP_REQUIREMENTS,
        "PERMISSIVE mTLS and protocol sniffing wait for the client's first bytes, which "
        "never come with server-first protocols: connections hang.",
        "Declare the port as TCP (name tcp-..., or appProtocol: tcp); or use STRICT mTLS.",
        "workload",
        _server_first,
        modes=("sidecar",),
    ),
    Rule(
        "R9",
        "Conflicting ports across Services",
        "high",
        DOC_APP_REQUIREMENTS,
        "If a pod belongs to several Services, they cannot use the same port number for "
        "different protocols.",
        "Give the conflicting protocols different port numbers, or merge the Services.",
        "workload",
        _conflicting_ports,
    ),
    Rule(
        "R26",
        "Declared protocol contradicts TLS",
        "high",
        DOC_PROTOCOL,
        "The declared protocol wins: a port declared http/grpc that actually serves TLS is "
        "parsed as plaintext HTTP by the proxy (and the reverse), giving TLS errors, 400 or 503.",
        "Declare the port https or tls (name https-..., or appProtocol: https); better, serve "
        "plaintext and let the mesh do TLS.",
        "workload",
        _tls_mismatch,
    ),
    Rule(
        "B31",
        "sessionAffinity ClientIP ignored",
        "medium",
        DOC_DESTINATION_RULE,
        "The proxy picks endpoints itself and does not honour Service sessionAffinity, so "
        "sticky sessions break silently (istio/istio#6011).",
        "Add a DestinationRule with trafficPolicy.loadBalancer.consistentHash (httpCookie, "
        "httpHeaderName or useSourceIp).",
        "workload",
        _session_affinity,
    ),
    Rule(
        "B23",
        "IPv6 or dual-stack Service",
        "high",
        DOC_PLATFORM,
        "Dual-stack support is still behind the experimental ISTIO_DUAL_STACK flag, and "
        "istio-init and the CNI agent have had IPv6 regressions (istio/istio#39963, #57199).",
        "Enable dual-stack explicitly in the Istio install and test redirection on the node OS "
        "before this wave.",
        "workload",
        _ipv6,
    ),
)

SERVICE_RULES: tuple[Rule[Service], ...] = (
    Rule(
        "R11",
        "ExternalName Service port",
        "medium",
        DOC_ROUTING,
        "For TCP, an ExternalName Service matches all IPs on its port, which can capture other "
        "unmatched traffic on that port; its ports must be declared (IST0150).",
        "Declare each port with a protocol name (https-..., tls-...), or replace the Service "
        "with a ServiceEntry.",
        "service",
        _external_name,
    ),
)
