"""Everything the rules look up, indexed once per evaluation.

Building the context is linear in the inventory; afterwards each lookup a rule makes
(Services selecting a workload, policies in its namespace, its wave's mode) is a
dictionary access, so evaluating 10,000 workloads stays well under a second.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cached_property

from workbench.domain.evidence import CallerEvidence, caller_evidence
from workbench.domain.inventory import (
    Autoscaler,
    Cluster,
    Ingress,
    MeshPolicy,
    MetricsMonitor,
    Namespace,
    NetworkPolicy,
    Service,
    WebhookBackend,
    Workload,
    namespace_key,
    service_key,
    workload_key,
)
from workbench.domain.plan import Plan
from workbench.domain.schedule import Wave

NATIVE_SIDECAR_KUBELET = (1, 33)  # webhook.go: minVersion := 33
NATIVE_SIDECAR_ISTIO = (1, 28)  # "auto" turns native sidecars on from Istio 1.28
_VERSION = re.compile(r"v?(\d+)\.(\d+)")


def parse_minor(version: str | None) -> tuple[int, int] | None:
    """``v1.33.2-eks-1`` -> (1, 33); None when unreadable."""
    if not version:
        return None
    m = _VERSION.match(version.strip())
    return (int(m.group(1)), int(m.group(2))) if m else None


def selects(selector: dict[str, str], labels: dict[str, str]) -> bool:
    """A matchLabels selector; an empty selector selects everything."""
    return all(labels.get(k) == v for k, v in selector.items())


class ReadinessContext:
    """Indexes over one plan for the readiness rules."""

    def __init__(self, plan: Plan) -> None:
        inv = plan.inventory
        self.plan = plan
        self.inventory = inv
        self.mesh = plan.mesh
        self.clusters: dict[str, Cluster] = inv.clusters
        self.namespaces: dict[str, Namespace] = inv.namespaces
        self.services: dict[str, Service] = inv.services

        self._selector_index: dict[tuple[str, str, str, str], list[Service]] = defaultdict(list)
        self.services_by_namespace: dict[str, list[Service]] = defaultdict(list)
        for svc in inv.services.values():
            ns = namespace_key(svc.cluster, svc.namespace)
            self.services_by_namespace[ns].append(svc)
            if svc.selector:
                k, v = min(svc.selector.items())
                self._selector_index[(svc.cluster, svc.namespace, k, v)].append(svc)
        self._services_of: dict[int, list[Service]] = {}
        self.external_hosts: dict[tuple[str, str], bool] = {}  # memo for the egress rule

        self.workloads_by_namespace: dict[str, list[Workload]] = defaultdict(list)
        for w in inv.workloads.values():
            if not w.vanished:
                self.workloads_by_namespace[w.namespace_key].append(w)

        self.network_policies: dict[str, list[NetworkPolicy]] = defaultdict(list)
        for np_ in inv.network_policies:
            self.network_policies[namespace_key(np_.cluster, np_.namespace)].append(np_)
        self.ingresses_by_service: dict[str, list[Ingress]] = defaultdict(list)
        for ing in inv.ingresses:
            for backend in dict.fromkeys(ing.backends):
                key = service_key(ing.cluster, ing.namespace, backend)
                self.ingresses_by_service[key].append(ing)
        self.webhooks_by_service: dict[str, list[WebhookBackend]] = defaultdict(list)
        for wh in inv.webhooks:
            key = service_key(wh.cluster, wh.service_namespace, wh.service_name)
            self.webhooks_by_service[key].append(wh)
        self.mesh_policies: dict[str, list[MeshPolicy]] = defaultdict(list)
        for mp in inv.mesh_policies:
            self.mesh_policies[namespace_key(mp.cluster, mp.namespace)].append(mp)
        self.monitors: dict[str, list[MetricsMonitor]] = defaultdict(list)
        for mon in inv.monitors:
            self.monitors[mon.cluster].append(mon)
        self.autoscalers: dict[str, list[Autoscaler]] = defaultdict(list)
        for hpa in inv.autoscalers:
            key = workload_key(hpa.cluster, hpa.namespace, hpa.target_kind, hpa.target_name)
            self.autoscalers[key].append(hpa)

        self._waves: dict[str, Wave] = {w.id: w for w in plan.schedule.waves}
        self._native: dict[str, bool] = {}
        self._cni: dict[str, bool] = {}
        self.cluster_autoscaler: set[str] = {
            w.cluster
            for w in inv.workloads.values()
            if any("cluster-autoscaler" in c.image for c in w.containers)
            and not any("skip-local-storage-off" in c.signals for c in w.containers)
        }
        self.service_hosts: dict[str, set[str]] = defaultdict(set)
        for svc in inv.services.values():
            hosts = self.service_hosts[svc.cluster]
            hosts.add(svc.name)
            hosts.add(f"{svc.name}.{svc.namespace}")

    def refresh_schedule(self) -> None:
        """Re-read the waves after a schedule edit (the only schedule facts rules read)."""
        self._waves = {w.id: w for w in self.plan.schedule.waves}

    # -- services ---------------------------------------------------------------
    @cached_property
    def caller_knowledge(self) -> dict[str, CallerEvidence]:
        """Every workload's caller knowledge (complete, partial, unknown)."""
        return caller_evidence(self.plan)

    @cached_property
    def workloads_by_namespace(self) -> dict[str, list[Workload]]:
        """Live workloads by namespace key."""
        found: dict[str, list[Workload]] = defaultdict(list)
        for w in self.inventory.workloads.values():
            if not w.vanished:
                found[w.namespace_key].append(w)
        return found

    def services_of(self, w: Workload) -> list[Service]:
        """Services in the workload's namespace whose selector matches its pod labels."""
        cached = self._services_of.get(id(w))
        if cached is not None:
            return cached
        found: dict[str, Service] = {}
        for k, v in w.labels.items():
            for svc in self._selector_index.get((w.cluster, w.namespace, k, v), ()):
                if svc.key not in found and selects(svc.selector, w.labels):
                    found[svc.key] = svc
        result = sorted(found.values(), key=lambda s: s.key)
        self._services_of[id(w)] = result  # workloads outlive the context
        return result

    def service(self, cluster: str, namespace: str, name: str) -> Service | None:
        return self.services.get(service_key(cluster, namespace, name))

    def namespace_of(self, w: Workload) -> Namespace | None:
        return self.namespaces.get(w.namespace_key)

    def namespace_labels(self, w: Workload) -> dict[str, str]:
        ns = self.namespaces.get(w.namespace_key)
        return ns.labels if ns is not None else {}

    # -- the target of the migration ----------------------------------------------
    def wave_of(self, w: Workload) -> Wave | None:
        wave_id = self.plan.schedule.wave_of(w.key)
        return self._waves.get(wave_id) if wave_id is not None else None

    def mode_of(self, w: Workload) -> str:
        """The data-plane mode the workload is headed for: its wave's, else what it has."""
        wave = self.wave_of(w)
        if wave is not None:
            return wave.mode
        if w.mesh.ambient or w.labels.get("istio.io/dataplane-mode") == "ambient":
            return "ambient"
        if w.mesh.injected:
            return "sidecar"
        if self.namespace_labels(w).get("istio.io/dataplane-mode") == "ambient":
            return "ambient"
        return self.mesh.default_mode

    def strict(self, w: Workload) -> bool:
        """Whether STRICT mTLS is planned for the workload (its wave or the end state)."""
        wave = self.wave_of(w)
        return self.mesh.final_mtls == "STRICT" or (wave is not None and wave.mtls == "STRICT")

    def native_sidecars(self, w: Workload) -> bool:
        """Whether the proxy runs as a native sidecar (init container, restartPolicy Always)."""
        override = w.annotations.get("sidecar.istio.io/nativeSidecar")
        if override in ("true", "false"):
            return override == "true"
        cached = self._native.get(w.cluster)
        if cached is None:
            cached = self._cluster_native(w.cluster)
            self._native[w.cluster] = cached
        return cached

    def _cluster_native(self, cluster_name: str) -> bool:
        if self.mesh.native_sidecars is not None:
            return self.mesh.native_sidecars
        istio = parse_minor(self.mesh.istio_version)
        if istio is None or istio < NATIVE_SIDECAR_ISTIO:
            return False
        cluster = self.clusters.get(cluster_name)
        if cluster is None or not cluster.nodes.kubelet_versions:
            return False
        versions = [parse_minor(v) for v in cluster.nodes.kubelet_versions]
        return all(v is not None and v >= NATIVE_SIDECAR_KUBELET for v in versions)

    def cni(self, cluster_name: str) -> bool:
        """Whether the Istio CNI node agent sets up redirection (no NET_ADMIN init container)."""
        cached = self._cni.get(cluster_name)
        if cached is None:
            if self.mesh.cni is not None:
                cached = self.mesh.cni
            else:
                cluster = self.clusters.get(cluster_name)
                cached = bool(cluster and cluster.istio and cluster.istio.cni)
            self._cni[cluster_name] = cached
        return cached

    def is_gateway(self, w: Workload) -> bool:
        """An Istio gateway or waypoint: the mesh's own edge, not an application."""
        return (
            "gateway.istio.io/managed" in w.labels
            or "gateway.networking.k8s.io/gateway-name" in w.labels
            or w.labels.get("istio") in ("ingressgateway", "egressgateway", "eastwestgateway")
        )

    def policies_for(self, w: Workload, kind: str) -> list[MeshPolicy]:
        """Policies of a kind that apply to the workload: its namespace's and mesh-wide ones."""
        root = namespace_key(w.cluster, self.mesh.root_namespace)
        found = [
            p
            for p in self.mesh_policies.get(w.namespace_key, ())
            if p.kind == kind and selects(p.selector, w.labels)
        ]
        if root != w.namespace_key:
            found += [p for p in self.mesh_policies.get(root, ()) if p.kind == kind]
        return found
