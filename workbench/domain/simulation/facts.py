"""The estate as the simulator sees it: calls to check, and per-workload facts.

Calls are every dependency edge between current workloads (on the container ports of
the Services that select the callee, or of the Service the edge names), a StatefulSet's
members calling each other, init containers that need the network calling their
workload's callees before the proxy runs, and clients outside the mesh reaching
workloads exposed by a LoadBalancer or NodePort Service or an Ingress, or that the
call-graph evidence knows external callers of (host ports, runtime captures). An edge whose
evidence says the caller addresses pod IPs (a registry such as Consul or Eureka hands
them out) bypasses the caller's proxy: Istio passes such calls through in plaintext.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from workbench.domain.evidence import CallerEvidence, caller_evidence
from workbench.domain.inventory import Service, Workload
from workbench.domain.plan import Plan
from workbench.domain.planning.graph import EXTERNAL_SERVICE_TYPES
from workbench.domain.readiness.lifecycle import needs_network
from workbench.domain.readiness.ports import effective_protocol, target_number
from workbench.domain.readiness.protocols import SERVER_FIRST_IMAGES, SERVER_FIRST_PORTS
from workbench.domain.simulation.model import Call

EXTERNAL = "(outside the mesh)"
GATEWAY = "(ingress gateway)"
GATEWAY_NAMESPACE = "istio-ingress"
GATEWAY_SERVICE_ACCOUNT = "istio-ingressgateway"
POD_IP = re.compile(r"pod[- ]?ip|registry|consul|eureka|nacos|zookeeper", re.IGNORECASE)
NATIVE_SIDECAR_ISTIO = (1, 28)
NATIVE_SIDECAR_KUBELET = (1, 33)
_MINOR = re.compile(r"^v?(\d+)\.(\d+)")


def minor(version: str | None) -> tuple[int, int] | None:
    m = _MINOR.match((version or "").strip())
    return (int(m.group(1)), int(m.group(2))) if m else None


@dataclass(slots=True)
class EstateFacts:
    plan: Plan
    istio_version: str
    workloads: dict[str, Workload] = field(default_factory=dict)
    services_of: dict[str, list[Service]] = field(default_factory=dict)
    server_first: dict[str, set[int]] = field(default_factory=dict)  # undeclared ports
    exposed: dict[str, tuple[int, ...]] = field(default_factory=dict)
    network_init: dict[str, list[str]] = field(default_factory=dict)
    native_clusters: set[str] = field(default_factory=set)
    evidence: dict[str, CallerEvidence] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    _fqdns: dict[str, set[str]] = field(default_factory=dict, repr=False)

    def fqdns(self, key: str) -> set[str]:
        """Host names that reach the workload (short, namespaced and full)."""
        cached = self._fqdns.get(key)
        if cached is not None:
            return cached
        out: set[str] = set()
        for svc in self.services_of.get(key, ()):
            ns = svc.namespace
            out |= {svc.name, f"{svc.name}.{ns}", f"{svc.name}.{ns}.svc"}
            out.add(f"{svc.name}.{ns}.svc.cluster.local")
        self._fqdns[key] = out
        return out


def estate_facts(plan: Plan, istio_version: str | None = None) -> EstateFacts:
    inv = plan.inventory
    facts = EstateFacts(plan, istio_version or plan.mesh.istio_version)
    facts.workloads = {k: w for k, w in inv.workloads.items() if not w.vanished}
    # (namespace key, label, value) -> workloads carrying it, in inventory order
    by_label: dict[tuple[str, str, str], list[Workload]] = defaultdict(list)
    for w in facts.workloads.values():
        for label in w.labels.items():
            by_label[(w.namespace_key, *label)].append(w)
    services_of: dict[str, list[Service]] = defaultdict(list)
    selected: dict[str, list[Workload]] = {}
    for skey in sorted(inv.services):
        svc = inv.services[skey]
        if not svc.selector or svc.external_name:
            continue
        first = min(svc.selector)
        found = [
            w
            for w in by_label.get(
                (f"{svc.cluster}/{svc.namespace}", first, svc.selector[first]), ()
            )
            if all(w.labels.get(k) == v for k, v in svc.selector.items())
        ]
        selected[skey] = found
        for w in found:
            services_of[w.key].append(svc)
    facts.services_of = dict(services_of)
    for key, w in facts.workloads.items():
        facts.server_first[key] = _server_first(w, services_of.get(key, []))
        names = [c.name for c in w.init_containers if needs_network(c)]
        if names:
            facts.network_init[key] = names
    facts.evidence = caller_evidence(plan)
    facts.exposed = _exposed(plan, selected)
    for key, ev in facts.evidence.items():
        if ev.external_callers and key in facts.workloads and key not in facts.exposed:
            w = facts.workloads[key]
            facts.exposed[key] = _ports(w, services_of.get(key, []))
    facts.native_clusters = _native_clusters(plan, facts.istio_version)
    facts.calls = _calls(facts)
    return facts


def estate_calls(plan: Plan) -> list[Call]:
    return estate_facts(plan).calls


def _ports(w: Workload, services: list[Service]) -> tuple[int, ...]:
    found = {t for svc in services for p in svc.ports if (t := target_number(w, p)) is not None}
    return tuple(sorted(found))


def _server_first(w: Workload, services: list[Service]) -> set[int]:
    image = any(i in c.image for c in w.containers for i in SERVER_FIRST_IMAGES)
    out: set[int] = set()
    for svc in services:
        for p in svc.ports:
            if effective_protocol(p) is not None or p.protocol != "TCP":
                continue
            target = target_number(w, p)
            if target is None:
                continue
            if image or p.port in SERVER_FIRST_PORTS or target in SERVER_FIRST_PORTS:
                out.add(target)
    return out


def _exposed(plan: Plan, selected: dict[str, list[Workload]]) -> dict[str, tuple[int, ...]]:
    inv = plan.inventory
    backends: set[str] = set()
    for ing in inv.ingresses:
        if "istio" not in (ing.ingress_class or "").lower():
            backends.update(f"{ing.cluster}/{ing.namespace}/{b}" for b in ing.backends)
    ports: dict[str, set[int]] = defaultdict(set)
    for skey, found in selected.items():
        svc = inv.services[skey]
        if svc.type not in EXTERNAL_SERVICE_TYPES and skey not in backends:
            continue
        for w in found:
            ports[w.key] |= {t for p in svc.ports if (t := target_number(w, p)) is not None}
    return {k: tuple(sorted(v)) for k, v in sorted(ports.items())}


def _native_clusters(plan: Plan, istio_version: str) -> set[str]:
    """Clusters whose proxies run as native sidecars without a per-pod annotation."""
    clusters = plan.inventory.clusters
    if plan.mesh.native_sidecars is not None:
        return set(clusters) if plan.mesh.native_sidecars else set()
    istio = minor(istio_version)
    if istio is None or istio < NATIVE_SIDECAR_ISTIO:
        return set()
    out = set()
    for name, cluster in clusters.items():
        versions = [minor(v) for v in cluster.nodes.kubelet_versions]
        if versions and all(v is not None and v >= NATIVE_SIDECAR_KUBELET for v in versions):
            out.add(name)
    return out


def _calls(facts: EstateFacts) -> list[Call]:
    calls: list[Call] = []
    callees: dict[str, list[Call]] = defaultdict(list)
    for (caller, callee), edge in sorted(facts.plan.dependencies.edges.items()):
        if caller == callee or caller not in facts.workloads or callee not in facts.workloads:
            continue
        target = facts.workloads[callee]
        services = facts.services_of.get(callee, [])
        if edge.via_service:
            named = [s for s in services if s.key == edge.via_service or s.name == edge.via_service]
            services = named or services
        pod_ip = next((e.detail for e in edge.evidence if POD_IP.search(e.detail)), None)
        reason = f"addressed by pod IP ({pod_ip[:80]})" if pod_ip else None
        call = Call(caller, callee, _ports(target, services), "edge", reason)
        calls.append(call)
        callees[caller].append(call)
    for key in sorted(facts.workloads):
        w = facts.workloads[key]
        if w.kind == "StatefulSet" and (w.replicas > 1 or w.pods > 1):
            calls.append(Call(key, key, _ports(w, facts.services_of.get(key, [])), "peer"))
        for edge_call in callees.get(key, ()) if key in facts.network_init else ():
            calls.append(Call(key, edge_call.callee, edge_call.ports, "init"))
    for key, ports in facts.exposed.items():
        calls.append(Call(EXTERNAL, key, ports, "entry"))
    return calls
