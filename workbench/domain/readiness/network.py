"""Rules about where a pod sits on the network: host network, system namespaces,
ports Istio reserves, localhost-only listeners, UDP and Windows nodes."""

from __future__ import annotations

from workbench.domain.findings import Finding
from workbench.domain.inventory import Workload
from workbench.domain.readiness.context import ReadinessContext
from workbench.domain.readiness.rule import (
    CODE_INITIALIZER,
    CODE_INJECT,
    DOC_APP_REQUIREMENTS,
    DOC_IST0143,
    DOC_PLATFORM,
    DOC_PROTOCOL,
    NO_FINDINGS,
    Rule,
)

ISTIO_PORTS = {
    15000: "Envoy admin",
    15001: "Envoy outbound",
    15004: "debug",
    15006: "Envoy inbound",
    15008: "HBONE mTLS tunnel",
    15009: "HBONE (secure networks)",
    15020: "merged Prometheus telemetry",
    15021: "health checks",
    15053: "DNS capture",
    15090: "Envoy Prometheus",
}
AMBIENT_PORTS = {15008}
NEVER_INJECTED = ("kube-system", "kube-public", "kube-node-lease", "local-path-storage")
WINDOWS_IMAGES = ("mcr.microsoft.com/windows", "mcr.microsoft.com/dotnet/framework")


def _host_network(rule: Rule[Workload], ctx: ReadinessContext, w: Workload) -> list[Finding]:
    if not w.host_network:
        return NO_FINDINGS
    return [rule.hit(w.key, f"{w.kind} {w.name} runs with hostNetwork: true.")]


def _system_namespace(rule: Rule[Workload], ctx: ReadinessContext, w: Workload) -> list[Finding]:
    if w.namespace in NEVER_INJECTED:
        return [rule.hit(w.key, f"{w.kind} {w.name} is in namespace {w.namespace}.")]
    if w.namespace == ctx.mesh.root_namespace and not ctx.is_gateway(w):
        return [
            rule.hit(
                w.key,
                f"{w.kind} {w.name} is in {w.namespace}, the mesh's own namespace.",
                why="The control plane's namespace holds istiod and the CNI agent; they are "
                "the mesh, not candidates for it.",
                fix="Leave the control plane out of the waves.",
            )
        ]
    return NO_FINDINGS


def _reserved_ports(rule: Rule[Workload], ctx: ReadinessContext, w: Workload) -> list[Finding]:
    reserved = AMBIENT_PORTS if ctx.mode_of(w) == "ambient" else ISTIO_PORTS.keys()
    hits = sorted(
        {
            (p.container_port, c.name)
            for c in (*w.containers, *w.init_containers)
            for p in c.ports
            if p.container_port in reserved
        }
    )
    if not hits:
        return NO_FINDINGS
    seen = ", ".join(f"{port} ({ISTIO_PORTS[port]}) in container {c}" for port, c in hits)
    return [rule.hit(w.key, f"{w.kind} {w.name} uses ports Istio reserves: {seen}.")]


def _localhost_bind(rule: Rule[Workload], ctx: ReadinessContext, w: Workload) -> list[Finding]:
    if not ctx.services_of(w):
        return NO_FINDINGS
    names = [c.name for c in w.containers if "binds-localhost" in c.signals]
    if not names:
        return NO_FINDINGS
    return [
        rule.hit(
            w.key,
            f"Container {', '.join(names)} of {w.kind} {w.name} is configured to listen on "
            "127.0.0.1/localhost while a Service sends it traffic.",
        )
    ]


def _udp(rule: Rule[Workload], ctx: ReadinessContext, w: Workload) -> list[Finding]:
    ports = sorted(
        {p.container_port for c in w.containers for p in c.ports if p.protocol == "UDP"}
        | {
            p.port
            for s in ctx.services_of(w)
            for p in s.ports
            if p.protocol == "UDP" and s.namespace == w.namespace
        }
    )
    if not ports:
        return NO_FINDINGS
    listed = ", ".join(str(p) for p in ports)
    return [rule.hit(w.key, f"{w.kind} {w.name} uses UDP port(s) {listed}.")]


def _windows(rule: Rule[Workload], ctx: ReadinessContext, w: Workload) -> list[Finding]:
    seen: list[str] = []
    if w.node_selector.get("kubernetes.io/os") == "windows":
        seen.append("nodeSelector kubernetes.io/os: windows")
    seen += [
        f"image {c.image}"
        for c in w.containers
        if c.image.startswith(WINDOWS_IMAGES) or "/windows/" in c.image
    ]
    if not seen:
        return NO_FINDINGS
    return [rule.hit(w.key, f"{w.kind} {w.name} runs on Windows: {'; '.join(seen)}.")]


RULES: tuple[Rule[Workload], ...] = (
    Rule(
        "R1",
        "hostNetwork pod",
        "blocker",
        CODE_INJECT,
        "Istio never injects a sidecar into a hostNetwork pod (its iptables would rewrite the "
        "node's routing), and per-pod redirection cannot enrol it in ambient mode either: it "
        "stays outside the mesh.",
        'Keep it out of the waves (label it sidecar.istio.io/inject: "false"), or drop '
        "hostNetwork and reach it through a Service.",
        "workload",
        _host_network,
    ),
    Rule(
        "R2",
        "System namespace",
        "blocker",
        CODE_INITIALIZER,
        "Istio never injects pods in kube-system, kube-public, kube-node-lease or "
        "local-path-storage.",
        "Keep system components out of the waves; mute this rule for the namespace if it is "
        "listed only for completeness.",
        "workload",
        _system_namespace,
    ),
    Rule(
        "R4",
        "Port reserved by Istio",
        "high",
        DOC_APP_REQUIREMENTS,
        "Applications should not use the ports Envoy and the agent use (15000-15090); the "
        "proxy or the application will fail to bind or receive the other's traffic.",
        "Move the application to another port (and update its Service targetPort).",
        "workload",
        _reserved_ports,
    ),
    Rule(
        "R14",
        "Listens on localhost only",
        "high",
        DOC_IST0143,
        "Since Istio 1.10 the sidecar forwards inbound traffic to the pod IP (eth0), so a "
        "server bound only to 127.0.0.1 on a Service port becomes unreachable (IST0143).",
        "Bind to 0.0.0.0 (or ::); or add a Sidecar resource with "
        "ingress.defaultEndpoint 127.0.0.1:PORT.",
        "workload",
        _localhost_bind,
        modes=("sidecar",),
    ),
    Rule(
        "R15",
        "UDP ports",
        "info",
        DOC_PROTOCOL,
        "Non-TCP protocols such as UDP are not proxied: the traffic works but gets no mTLS, "
        "policy or telemetry.",
        "Nothing to do for the move; protect UDP by other means (NetworkPolicy).",
        "workload",
        _udp,
    ),
    Rule(
        "B24",
        "Windows pod",
        "blocker",
        DOC_PLATFORM,
        "Istio has no Windows data plane (sidecar or ztunnel); injected Windows pods fail and "
        "ambient namespaces with Windows pods return 503 (istio/istio#27893, #58099).",
        'Exclude it (sidecar.istio.io/inject: "false", no ambient label) and reach it through '
        "a gateway or a ServiceEntry.",
        "workload",
        _windows,
    ),
)
