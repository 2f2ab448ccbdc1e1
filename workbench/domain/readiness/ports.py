"""How Istio reads a Service port: its protocol and the container port behind it."""

from __future__ import annotations

from workbench.domain.inventory import ServicePort, Workload

PROTOCOLS = frozenset(
    {"http", "http2", "https", "tcp", "tls", "grpc", "grpc-web", "mongo", "mysql", "redis", "udp"}
)
APP_PROTOCOL_ALIASES = {
    "kubernetes.io/h2c": "http2",
    "kubernetes.io/ws": "http",
    "kubernetes.io/wss": "https",
}
AUTO_TCP_PORTS = frozenset({25, 53, 3306, 27017})  # pkg/config/kube/conversion.go
HTTP_LIKE = frozenset({"http", "http2", "grpc", "grpc-web"})
TLS_LIKE = frozenset({"https", "tls"})


def _parse(value: str) -> str | None:
    v = value.lower()
    if v.startswith("grpc-web"):
        return "grpc-web"
    prefix = v.split("-", 1)[0]
    return prefix if prefix in PROTOCOLS else None


def declared_protocol(port: ServicePort) -> str | None:
    """The protocol the port declares (appProtocol first, then the name prefix), or None."""
    if port.protocol == "UDP":
        return "udp"
    if port.app_protocol:
        alias = APP_PROTOCOL_ALIASES.get(port.app_protocol.lower())
        parsed = alias or _parse(port.app_protocol)
        if parsed:
            return parsed
    if port.name:
        return _parse(port.name)
    return None


def effective_protocol(port: ServicePort) -> str | None:
    """What Istio will treat the port as: declared, auto-TCP, or None (sniffed)."""
    declared = declared_protocol(port)
    if declared is None and port.port in AUTO_TCP_PORTS:
        return "tcp"
    return declared


def target_number(w: Workload, port: ServicePort) -> int | None:
    """The container port a Service port sends to, resolving named target ports."""
    target = port.target_port
    if target is None or target == "":
        return port.port
    if target.isdigit():
        return int(target)
    for c in w.containers:
        for p in c.ports:
            if p.name == target:
                return p.container_port
    return None


def container_ports(w: Workload) -> dict[int, str | None]:
    """TCP container ports of the app containers -> port name."""
    return {p.container_port: p.name for c in w.containers for p in c.ports if p.protocol == "TCP"}
