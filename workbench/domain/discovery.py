"""Who calls whom, from what the inventory states.

Two sources, each edge carrying its evidence and a confidence:

- addresses in env vars and in the ConfigMaps a pod references (``svc``, ``svc:port``,
  ``svc.ns``, ``svc.ns.svc``, ``svc.ns.svc.cluster.local``, pod DNS names of headless
  Services, ``svc.ns.svc.clusterset.local`` for multi-cluster Services, URLs, JDBC URLs,
  comma-separated lists), resolved to the Service they name in the caller's cluster and
  from there to the workloads it selects;
- NetworkPolicy ingress rules naming specific caller pods (who *may* call whom: lower
  confidence). Rules that admit whole namespaces or IP blocks say nothing about callers.

An address that names nothing in the inventory (an external host, a Service not imported,
a Service without a selector) is recorded as an :class:`UnresolvedAddress` with the
reason, never turned into an edge. A workload naming its own Service is not an edge.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from operator import itemgetter

from workbench.domain.addresses import Endpoint, endpoints_of
from workbench.domain.dependencies import Dependencies, Edge, Evidence, UnresolvedAddress
from workbench.domain.inventory import Inventory, NetworkPolicyRule, Service, Workload

CONFIDENCE_WITH_PORT = 0.95  # host:port or URL, the port is one the Service exposes
CONFIDENCE_HOST = 0.9  # a qualified name, or a URL without a port
CONFIDENCE_BARE_NAME = 0.85  # a single word from an address-like variable
CONFIDENCE_PORT_MISMATCH = 0.6  # names the Service but a port it does not expose
CONFIGMAP_DISCOUNT = 0.05  # a ConfigMap may hold settings the pod does not use
CONFIDENCE_NETWORK_POLICY = 0.5
CLUSTERSET_DOMAIN = ("svc", "clusterset", "local")
MAX_POLICY_EDGES = 500  # per rule; more means the rule admits far more than its callers


@dataclass(slots=True)
class _Resolution:
    services: list[Service] = field(default_factory=list)
    reason: str = ""


class _Index:
    def __init__(self, inv: Inventory) -> None:
        self.inv = inv
        self.services = {(s.cluster, s.namespace, s.name): s for s in inv.services.values()}
        self.workloads: dict[tuple[str, str], list[Workload]] = defaultdict(list)
        for w in inv.workloads.values():
            if not w.vanished:
                self.workloads[(w.cluster, w.namespace)].append(w)
        self._selected: dict[str, list[Workload]] = {}

    @cached_property
    def by_name(self) -> dict[tuple[str, str], list[Service]]:
        """Services by namespace and name, in every cluster."""
        found: dict[tuple[str, str], list[Service]] = defaultdict(list)
        for s in self.inv.services.values():
            found[(s.namespace, s.name)].append(s)
        return found

    @cached_property
    def namespaces(self) -> set[tuple[str, str]]:
        """(cluster, namespace) of every namespace, Service and workload."""
        found = {(n.cluster, n.name) for n in self.inv.namespaces.values()}
        found |= {(s.cluster, s.namespace) for s in self.inv.services.values()}
        found |= set(self.workloads)
        return found

    def selected(self, svc: Service) -> list[Workload]:
        found = self._selected.get(svc.key)
        if found is None:
            sel = svc.selector.items()
            found = [
                w
                for w in self.workloads.get((svc.cluster, svc.namespace), ())
                if sel and all(w.labels.get(k) == v for k, v in sel)
            ]
            self._selected[svc.key] = found
        return found

    def resolve(self, cluster: str, ns: str, host: str, depth: int = 0) -> _Resolution:
        if "." not in host:  # the common case: a Service of the caller's namespace
            return self._lookup(cluster, ns, host, depth)
        labels = host.split(".")
        if tuple(labels[-3:]) == CLUSTERSET_DOMAIN and len(labels) >= 5:
            name, namespace = labels[-5], labels[-4]
            found = self.by_name.get((namespace, name), [])
            if not found:
                return _Resolution(reason=f"no Service {namespace}/{name} in any cluster")
            return self._usable(found, depth)
        svc_at = [i for i, label in enumerate(labels) if label == "svc" and i >= 2]
        if svc_at:
            i = svc_at[-1]
            return self._lookup(cluster, labels[i - 1], labels[i - 2], depth)
        if len(labels) == 1:
            return self._lookup(cluster, ns, labels[0], depth)
        if len(labels) == 2:
            if (cluster, labels[1]) in self.namespaces:
                return self._lookup(cluster, labels[1], labels[0], depth)
            if (cluster, ns, labels[1]) in self.services:  # pod-0.headless
                return self._lookup(cluster, ns, labels[1], depth)
        if len(labels) == 3 and (cluster, labels[2], labels[1]) in self.services:
            return self._lookup(cluster, labels[2], labels[1], depth)  # pod-0.headless.ns
        return _Resolution(reason=f"not a Service in cluster {cluster} (an external host?)")

    def _lookup(self, cluster: str, ns: str, name: str, depth: int) -> _Resolution:
        svc = self.services.get((cluster, ns, name))
        if svc is None:
            return _Resolution(reason=f"no Service {ns}/{name} in cluster {cluster}")
        return self._usable([svc], depth)

    def _usable(self, services: list[Service], depth: int) -> _Resolution:
        out = _Resolution()
        for svc in services:
            if svc.external_name:
                target = svc.external_name.lower().rstrip(".")
                inner = self.resolve(svc.cluster, svc.namespace, target, depth + 1)
                if depth == 0 and inner.services:
                    out.services.extend(inner.services)
                else:
                    out.reason = f"Service {svc.namespace}/{svc.name} points outside: {target}"
            elif not svc.selector:
                out.reason = f"Service {svc.namespace}/{svc.name} has no selector"
            elif not self.selected(svc):
                out.reason = f"Service {svc.namespace}/{svc.name} selects no workload"
            else:
                out.services.append(svc)
        return out


def _confidence(ep: Endpoint, svc: Service, bare: bool) -> tuple[float, str]:
    if ep.port is not None and svc.ports:
        exposed = {p.port for p in svc.ports} | {
            int(p.target_port) for p in svc.ports if p.target_port and p.target_port.isdigit()
        }
        if ep.port not in exposed:
            return CONFIDENCE_PORT_MISMATCH, f" (port {ep.port} is not a port of the Service)"
        return CONFIDENCE_WITH_PORT, ""
    if ep.port is not None or ep.scheme:
        return CONFIDENCE_WITH_PORT, ""
    return (CONFIDENCE_BARE_NAME if bare else CONFIDENCE_HOST), ""


class _Collector:
    def __init__(self, inv: Inventory) -> None:
        self.index = _Index(inv)
        self.deps = Dependencies()
        self._unresolved: set[tuple[str, str]] = set()

    def edge(
        self, caller: str, callee: str, evidence: Evidence, confidence: float, via: str | None
    ) -> None:
        key = (caller, callee)
        edge = self.deps.edges.get(key)
        if edge is None:
            self.deps.add(Edge(caller, callee, [evidence], confidence, False, via))
            return
        if all(e.detail != evidence.detail for e in edge.evidence):
            edge.evidence.append(evidence)
        if confidence > edge.confidence:
            edge.confidence = confidence
            edge.via_service = via or edge.via_service

    def unresolved(self, key: str, address: str, source: str, reason: str) -> None:
        if (key, address) not in self._unresolved:
            self._unresolved.add((key, address))
            self.deps.unresolved.append(UnresolvedAddress(key, address, source, reason))

    def address(self, w: Workload, key: str, value: str, kind: str, detail: str) -> None:
        for ep in endpoints_of(value) or ():
            if ep.is_local:
                continue
            if ep.is_ip:
                self.unresolved(key, ep.host_port(), detail, "an IP address, not a Service name")
                continue
            found = self.index.resolve(w.cluster, w.namespace, ep.host)
            if not found.services:
                self.unresolved(key, ep.host_port(), detail, found.reason)
                continue
            bare = ep.port is None and not ep.scheme and ep.is_single_label
            for svc in found.services:
                confidence, note = _confidence(ep, svc, bare)
                if kind == "configmap":
                    confidence -= CONFIGMAP_DISCOUNT
                for callee in self.index.selected(svc):
                    callee_key = callee.key
                    if callee_key != key:
                        ev = Evidence(kind, detail + note)
                        self.edge(key, callee_key, ev, round(confidence, 3), svc.key)

    def workload(self, key: str, w: Workload) -> None:
        where = f"{w.kind} {w.name}"
        for c in w.containers:
            for name, value in c.env.items():
                if value:
                    self.address(w, key, value, "env", f"env {name} in {where}")
        for c in w.init_containers:
            for name, value in c.env.items():
                if value:
                    detail = f"env {name} in {where} (init container {c.name})"
                    self.address(w, key, value, "env", detail)
        for label, value in w.config_addresses.items():
            self.address(w, key, value, "configmap", f"{label} in {where}")


def _peer_callers(index: _Index, cluster: str, ns: str, rule: NetworkPolicyRule) -> list[Workload]:
    callers: list[Workload] = []
    for peer in rule.peers:
        if peer.ip_block or not peer.pod_selector:
            continue  # IP blocks and whole namespaces name no particular caller
        if peer.namespace_selector is None:
            spaces = [ns]
        else:
            spaces = [
                n.name
                for n in index.inv.namespaces.values()
                if n.cluster == cluster
                and all(
                    {**n.labels, "kubernetes.io/metadata.name": n.name}.get(k) == v
                    for k, v in peer.namespace_selector.items()
                )
            ]
        sel = peer.pod_selector.items()
        for space in spaces:
            callers.extend(
                w
                for w in index.workloads.get((cluster, space), ())
                if all(w.labels.get(k) == v for k, v in sel)
            )
    return callers


def _network_policies(col: _Collector) -> None:
    index = col.index
    for np in index.inv.network_policies:
        if "Ingress" not in np.policy_types:
            continue
        targets = [
            w
            for w in index.workloads.get((np.cluster, np.namespace), ())
            if all(w.labels.get(k) == v for k, v in np.pod_selector.items())
        ]
        rules = np.ingress_rules or [NetworkPolicyRule(np.ingress_from, np.ingress_ports)]
        for rule in rules:
            callers = _peer_callers(index, np.cluster, np.namespace, rule)
            if len(callers) * len(targets) > MAX_POLICY_EDGES:
                continue
            detail = f"NetworkPolicy {np.namespace}/{np.name} admits ingress from it"
            for caller in callers:
                for target in targets:
                    if caller.key != target.key:
                        ev = Evidence("networkpolicy", detail)
                        col.edge(caller.key, target.key, ev, CONFIDENCE_NETWORK_POLICY, None)


def discover_dependencies(inventory: Inventory, *, network_policies: bool = True) -> Dependencies:
    """Edges and unresolved addresses stated by ``inventory`` (nothing else is consulted)."""
    col = _Collector(inventory)
    keyed = sorted(((w.key, w) for w in inventory.workloads.values()), key=itemgetter(0))
    for key, w in keyed:
        if not w.vanished:
            col.workload(key, w)
    if network_policies:
        _network_policies(col)
    col.deps.edges = dict(sorted(col.deps.edges.items()))
    return col.deps


@dataclass(slots=True)
class ObservedEdges:
    """Edges from an outside source (telemetry, a CSV file) matched to the inventory."""

    edges: list[Edge] = field(default_factory=list)
    unresolved: list[UnresolvedAddress] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class WorkloadLookup:
    """Finds inventory workloads by the names telemetry and hand-written files use."""

    def __init__(self, inventory: Inventory) -> None:
        self.index = _Index(inventory)
        self._by_name: dict[tuple[str, str], list[Workload]] = defaultdict(list)
        for w in inventory.workloads.values():
            self._by_name[(w.namespace, w.name)].append(w)

    def _pick(self, found: list[Workload], cluster: str | None) -> list[Workload]:
        live = [w for w in found if not w.vanished] or found
        if cluster is not None:
            same = [w for w in live if w.cluster == cluster]
            if same:
                return same
        return live if len({w.cluster for w in live}) == 1 else []

    def workload(self, cluster: str | None, namespace: str, name: str) -> str | None:
        """``cluster/ns/Kind/name`` of the workload called ``name`` in ``namespace``."""
        found = self._pick(self._by_name.get((namespace, name), []), cluster)
        return found[0].key if len(found) == 1 else None

    def by_app(
        self, cluster: str | None, namespace: str, app: str, version: str | None = None
    ) -> list[str]:
        found = [
            w
            for (c, ns), ws in self.index.workloads.items()
            if ns == namespace
            for w in ws
            if app in (w.labels.get("app"), w.labels.get("app.kubernetes.io/name"))
            and (version is None or version == w.labels.get("version"))
        ]
        return sorted(w.key for w in self._pick(found, cluster))

    def by_service(self, cluster: str | None, namespace: str, name: str) -> list[str]:
        services = self.index.by_name.get((namespace, name), [])
        if cluster is not None and any(s.cluster == cluster for s in services):
            services = [s for s in services if s.cluster == cluster]
        elif len({s.cluster for s in services}) > 1:
            return []
        return sorted(w.key for s in services for w in self.index.selected(s))

    def resolve_key(self, text: str) -> str | None:
        """A workload key as written by hand: ``cluster/ns/Kind/name``, ``cluster/ns/name``
        or ``ns/name``."""
        text = text.strip()
        if text in self.index.inv.workloads:
            return text
        parts = text.split("/")
        if len(parts) == 2:
            return self.workload(None, parts[0], parts[1])
        if len(parts) == 3:
            return self.workload(parts[0], parts[1], parts[2])
        return None
