"""Rules about callers outside the mesh: the API server calling webhooks, traffic
entering without a mesh gateway, scrapers, and calls out to external services."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from workbench.domain.findings import Finding
from workbench.domain.inventory import Workload
from workbench.domain.readiness.context import ReadinessContext, selects
from workbench.domain.readiness.rule import (
    DOC_EGRESS,
    DOC_FAQ_MTLS,
    DOC_MTLS,
    NO_FINDINGS,
    Rule,
)

CLUSTER_SUFFIXES = (".svc", ".cluster.local", ".local")
METADATA_ADDRESS = "169.254.169.254"


def _webhooks(rule: Rule[Workload], ctx: ReadinessContext, w: Workload) -> list[Finding]:
    found: list[Finding] = []
    strict = ctx.strict(w)
    for svc in ctx.services_of(w):
        for wh in ctx.webhooks_by_service.get(svc.key, ()):
            fails_closed = wh.kind == "APIService" or wh.failure_policy in (None, "Fail")
            if not strict:
                severity = "low"
            else:
                severity = "blocker" if fails_closed else "high"
            policy = (
                "" if wh.kind == "APIService" else f" (failurePolicy {wh.failure_policy or 'Fail'})"
            )
            port = f" port {wh.port}" if wh.port else ""
            found.append(
                rule.hit(
                    (w.key, svc.key),
                    f"The API server calls {wh.kind} {wh.name}{policy} through Service "
                    f"{svc.name}{port}, served by {w.kind} {w.name}"
                    + ("." if strict else "; STRICT mTLS is not planned yet."),
                    severity=severity,
                )
            )
    return found


def _entry_points(rule: Rule[Workload], ctx: ReadinessContext, w: Workload) -> list[Finding]:
    if ctx.is_gateway(w):
        return NO_FINDINGS
    seen: list[str] = []
    keys: list[str] = [w.key]
    for svc in ctx.services_of(w):
        if svc.type in ("NodePort", "LoadBalancer"):
            seen.append(f"{svc.type} Service {svc.name}")
            keys.append(svc.key)
        for ing in ctx.ingresses_by_service.get(svc.key, ()):
            if ing.ingress_class != "istio":
                cls = ing.ingress_class or "default class"
                seen.append(f"Ingress {ing.name} ({cls}) via Service {svc.name}")
                keys.append(svc.key)
    host_ports = sorted({p.host_port for c in w.containers for p in c.ports if p.host_port})
    if host_ports:
        seen.append("hostPort " + ", ".join(str(p) for p in host_ports))
    if not seen:
        return NO_FINDINGS
    strict = ctx.strict(w)
    return [
        rule.hit(
            keys,
            f"{w.kind} {w.name} is reached from outside the mesh: {'; '.join(seen)}"
            + ("." if strict else "; STRICT mTLS is not planned yet."),
            severity="high" if strict else "low",
        )
    ]


def _scraping(rule: Rule[Workload], ctx: ReadinessContext, w: Workload) -> list[Finding]:
    if not ctx.strict(w):
        return NO_FINDINGS
    seen: list[str] = []
    services = ctx.services_of(w)
    for mon in ctx.monitors.get(w.cluster, ()):
        if w.namespace not in (mon.namespaces or [mon.namespace]):
            continue
        if mon.kind == "PodMonitor" and selects(mon.selector, w.labels):
            seen.append(f"PodMonitor {mon.namespace}/{mon.name}")
        elif mon.kind == "ServiceMonitor" and any(
            selects(mon.selector, s.labels) for s in services
        ):
            seen.append(f"ServiceMonitor {mon.namespace}/{mon.name}")
    if w.annotations.get("prometheus.io/scrape") == "true":
        if w.annotations.get("prometheus.istio.io/merge-metrics") == "false":
            seen.append("prometheus.io/scrape with metrics merging turned off")
        elif ctx.mode_of(w) == "ambient":
            seen.append("prometheus.io/scrape on an ambient pod (no metrics merging)")
    if not seen:
        return NO_FINDINGS
    return [
        rule.hit(
            w.key,
            f"{w.kind} {w.name} is scraped on its application port by {'; '.join(seen)} "
            "while STRICT mTLS is planned.",
        )
    ]


def _host_of(value: str) -> str | None:
    text = value.strip()
    if not text:
        return None
    if "://" in text:
        try:
            return urlsplit(text).hostname
        except ValueError:
            return None
    host = text.split("/", 1)[0].rsplit("@", 1)[-1]
    if host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host.lower() or None


def _is_external(ctx: ReadinessContext, cluster: str, host: str) -> bool:
    memo = ctx.external_hosts.get((cluster, host))
    if memo is None:
        memo = ctx.external_hosts[(cluster, host)] = _judge_host(ctx, cluster, host)
    return memo


def _judge_host(ctx: ReadinessContext, cluster: str, host: str) -> bool:
    if host == METADATA_ADDRESS:
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return ip.is_global
    if "." not in host or host.endswith(CLUSTER_SUFFIXES):
        return False
    hosts = ctx.service_hosts.get(cluster, set())
    first_two = ".".join(host.split(".")[:2])
    return host not in hosts and first_two not in hosts


def _external(rule: Rule[Workload], ctx: ReadinessContext, w: Workload) -> list[Finding]:
    external: dict[str, str] = {}
    for c in w.containers:
        for name, value in c.env.items():
            for part in value.split(","):
                host = _host_of(part)
                if host and host not in external and _is_external(ctx, w.cluster, host):
                    external[host] = name
    if not external:
        return NO_FINDINGS
    listed = ", ".join(f"{h} (env {n})" for h, n in sorted(external.items()))
    registry_only = ctx.mesh.outbound_policy == "REGISTRY_ONLY"
    return [
        rule.hit(
            w.key,
            f"{w.kind} {w.name} calls hosts outside the cluster: {listed}.",
            severity="high" if registry_only else "info",
        )
    ]


RULES: tuple[Rule[Workload], ...] = (
    Rule(
        "R21",
        "Webhook or aggregated API backend",
        "blocker",
        DOC_FAQ_MTLS,
        "The kube-apiserver is outside the mesh and cannot present a mesh certificate; under "
        "STRICT its calls to the backend are rejected, and with failurePolicy Fail every "
        "matching API write fails (istio/istio#34543).",
        "Set port-level PERMISSIVE (PeerAuthentication portLevelMtls) for the webhook's "
        "targetPort, or exclude that port from capture; declare the port https.",
        "workload",
        _webhooks,
    ),
    Rule(
        "R22",
        "Traffic enters outside a mesh gateway",
        "high",
        DOC_FAQ_MTLS,
        "Clients outside the mesh (an ingress controller reaching pod IPs, NodePort or "
        "LoadBalancer clients, hostPort) cannot present mesh certificates, so they fail once "
        "STRICT mTLS is applied.",
        "Route through an Istio ingress gateway, or mesh the ingress controller (service-upstream, "
        "upstream-vhost), or keep the port PERMISSIVE until cut-over.",
        "workload",
        _entry_points,
    ),
    Rule(
        "R25",
        "Metrics scraping under STRICT",
        "high",
        DOC_MTLS,
        "A Prometheus outside the mesh scrapes the application port in plaintext; under STRICT "
        "the scrape is rejected and metrics and alerts are lost silently. Metrics merging "
        "(port 15020) covers only prometheus.io annotation scraping of sidecars.",
        "Keep annotation scraping with metrics merging, set port-level PERMISSIVE on the "
        "metrics port, or give Prometheus mesh certificates (or enrol it in ambient).",
        "workload",
        _scraping,
    ),
    Rule(
        "B21",
        "External services",
        "info",
        DOC_EGRESS,
        "With outboundTrafficPolicy REGISTRY_ONLY anything not in the service registry is "
        "blackholed (502, TLS resets); each external host needs a ServiceEntry.",
        "Generate a ServiceEntry per external host and port (or keep ALLOW_ANY).",
        "workload",
        _external,
    ),
)
