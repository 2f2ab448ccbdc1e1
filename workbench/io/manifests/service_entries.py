"""ServiceEntry objects for external hosts found in the workloads' configuration.

Unresolved addresses (env vars and ConfigMaps naming nothing in the inventory) that
look external (a DNS name with a dot that is not a cluster-local name or a namespace of
the estate) become one ServiceEntry per namespace and host, visible to that namespace
only (``exportTo: ["."]``), written in the wave that first meshes a workload using it.
IP addresses, single-label names and hosts whose port cannot be told are listed in the
runbook instead.
"""

from __future__ import annotations

from collections import defaultdict

from workbench.domain.addresses import Endpoint, parse_addresses
from workbench.io.manifests.context import ExportContext
from workbench.io.manifests.model import MANAGED_BY, ManifestSet, Obj, Slot
from workbench.io.manifests.names import is_dns_subdomain

LOCAL_SUFFIXES = (".local", ".svc", ".internal", ".localdomain", ".cluster")
DEFAULT_PORTS = {
    "http": 80,
    "https": 443,
    "grpc": 80,
    "grpcs": 443,
    "ws": 80,
    "wss": 443,
    "amqp": 5672,
    "amqps": 5671,
    "mongodb": 27017,
    "redis": 6379,
    "rediss": 6380,
    "postgres": 5432,
    "postgresql": 5432,
    "jdbc:postgresql": 5432,
    "mysql": 3306,
    "jdbc:mysql": 3306,
    "kafka": 9092,
    "nats": 4222,
}
TLS_SCHEMES = frozenset({"https", "grpcs", "wss", "amqps", "rediss"})
HTTP_SCHEMES = frozenset({"http", "ws"})


def _protocol(ep: Endpoint, port: int) -> str:
    if ep.scheme in HTTP_SCHEMES:
        return "HTTP"
    if ep.scheme == "grpc":
        return "GRPC"
    if ep.scheme in TLS_SCHEMES or (ep.scheme is None and port == 443):
        return "TLS"
    if ep.scheme is None and port == 80:
        return "HTTP"
    return "TCP"


class ExternalHosts:
    """External hosts per namespace key: host -> {port: protocol}."""

    def __init__(self, ctx: ExportContext) -> None:
        self.ctx = ctx
        self.namespaces = {ns.name for ns in ctx.plan.inventory.namespaces.values()}
        self.hosts: dict[str, dict[str, dict[int, str]]] = defaultdict(lambda: defaultdict(dict))
        self.first: dict[tuple[str, str], Slot] = {}
        self.skipped: dict[str, set[str]] = defaultdict(set)  # namespace key -> addresses
        self.skipped_first: dict[str, Slot] = {}
        for u in ctx.plan.dependencies.unresolved:
            slot = ctx.slot_of.get(u.workload)
            if slot is None:
                continue
            ns_key = ctx.workloads[u.workload].namespace_key
            for ep in parse_addresses(u.address) or ():
                self._endpoint(ns_key, slot, ep)

    def external(self, ep: Endpoint) -> bool:
        host = ep.host
        if ep.is_ip or ep.is_local or ep.is_single_label or host.endswith(LOCAL_SUFFIXES):
            return False
        labels = host.split(".")
        return not (len(labels) == 2 and labels[1] in self.namespaces)

    def _skip(self, ns_key: str, slot: Slot, ep: Endpoint) -> None:
        self.skipped[ns_key].add(ep.host_port())
        known = self.skipped_first.get(ns_key)
        if known is None or slot.index < known.index:
            self.skipped_first[ns_key] = slot

    def _endpoint(self, ns_key: str, slot: Slot, ep: Endpoint) -> None:
        if not self.external(ep):
            if ep.is_ip and not ep.is_local:
                self._skip(ns_key, slot, ep)
            return
        port = ep.port or DEFAULT_PORTS.get(ep.scheme or "")
        if port is None or not is_dns_subdomain(ep.host):
            self._skip(ns_key, slot, ep)
            return
        self.hosts[ns_key][ep.host].setdefault(port, _protocol(ep, port))
        known = self.first.get((ns_key, ep.host))
        if known is None or slot.index < known.index:
            self.first[(ns_key, ep.host)] = slot


def service_entry(ctx: ExportContext, ns: str, host: str, ports: dict[int, str]) -> Obj:
    return {
        "apiVersion": ctx.api.networking,
        "kind": "ServiceEntry",
        "metadata": {"name": host, "namespace": ns, "labels": dict(MANAGED_BY)},
        "spec": {
            "hosts": [host],
            "exportTo": ["."],
            "location": "MESH_EXTERNAL",
            "resolution": "DNS",
            "ports": [
                {"number": port, "name": f"{proto.lower()}-{port}", "protocol": proto}
                for port, proto in sorted(ports.items())
            ],
        },
    }


def build_service_entries(ctx: ExportContext, out: ManifestSet) -> ExternalHosts:
    found = ExternalHosts(ctx)
    for ns_key in sorted(found.hosts):
        cluster, ns = ns_key.rsplit("/", 1)
        for host, ports in sorted(found.hosts[ns_key].items()):
            slot = found.first[(ns_key, host)]
            out.add(slot, cluster, service_entry(ctx, ns, host, ports))
    for ns_key, addresses in sorted(found.skipped.items()):
        cluster = ns_key.rsplit("/", 1)[0]
        out.stage(found.skipped_first[ns_key], cluster).notes.append(
            f"External addresses without a ServiceEntry in {ns_key} (IP or unknown port): "
            + ", ".join(sorted(addresses)[:10])
        )
    return found
