"""Naming workloads from what runtime data carries: pod names (through the owners the
inventory knows), owner references, labels, service names, Kubernetes resource attributes
and IP addresses (the pod IPs and Service cluster IPs recorded at import)."""

from __future__ import annotations

from collections import defaultdict

from workbench.domain.discovery import WorkloadLookup
from workbench.domain.inventory import Inventory

APP_LABELS = ("app", "app.kubernetes.io/name", "k8s-app", "name")
OWNER_KINDS = ("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicaSet")


class EndpointResolver:
    """Workload keys for the names and addresses telemetry uses; caches what it found."""

    def __init__(self, inventory: Inventory) -> None:
        self.inventory = inventory
        self.lookup = WorkloadLookup(inventory)
        self._names: dict[tuple[str, str], list[str]] = defaultdict(list)
        self._everywhere: dict[str, list[str]] = defaultdict(list)
        for w in inventory.workloads.values():
            if not w.vanished:
                self._names[(w.namespace, w.name)].append(w.key)
                self._everywhere[w.name].append(w.key)
        self._pods: dict[tuple[str, str, str], str | None] = {}
        self._services: dict[tuple[str | None, str], list[str]] = {}
        self._ips: dict[str, list[str]] | None = None

    def named(self, namespace: str, name: str, cluster: str | None = None) -> str | None:
        """The workload called ``name`` in ``namespace`` (of ``cluster`` when several
        clusters have one)."""
        found = self._names.get((namespace, name), [])
        if len(found) > 1 and cluster:
            found = [k for k in found if k.startswith(cluster + "/")]
        return found[0] if len(found) == 1 else None

    def pod(self, namespace: str, pod_name: str, cluster: str | None = None) -> str | None:
        """The workload a pod belongs to: ``web-7d9f8b6c5-x2x4z`` -> Deployment ``web``,
        ``db-0`` -> StatefulSet ``db``; a bare pod is its own workload."""
        cache_key = (cluster or "", namespace, pod_name)
        cached = self._pods.get(cache_key, "")
        if cached != "":
            return cached
        found = self.named(namespace, pod_name, cluster)
        cut = len(pod_name)
        while found is None:
            cut = pod_name.rfind("-", 0, cut)
            if cut <= 0:
                break
            found = self.named(namespace, pod_name[:cut], cluster)
        if len(self._pods) < 1_000_000:
            self._pods[cache_key] = found
        return found

    def owner(self, namespace: str, kind: str, name: str, cluster: str | None = None) -> str | None:
        key = self.named(namespace, name, cluster)
        if key is None and kind == "ReplicaSet" and "-" in name:
            key = self.named(namespace, name.rsplit("-", 1)[0], cluster)
        return key

    def labelled(self, namespace: str, labels: dict[str, str]) -> list[str]:
        for label in APP_LABELS:
            app = labels.get(label)
            if app:
                found = self.lookup.by_app(None, namespace, app, labels.get("version"))
                if not found:
                    key = self.named(namespace, app)
                    found = [key] if key else []
                if found:
                    return found
        return []

    def service(self, name: str, namespace: str | None = None) -> list[str]:
        """Workloads a tracing ``service.name`` stands for: a workload of that name, the
        workloads labelled with it as their app, or those a Service of that name selects;
        without a namespace only a name that is unique across the estate counts."""
        cache_key = (namespace, name)
        cached = self._services.get(cache_key)
        if cached is not None:
            return cached
        found: list[str] = []
        if namespace:
            key = self.named(namespace, name)
            found = [key] if key else self.labelled(namespace, {"app": name})
            found = found or self.lookup.by_service(None, namespace, name)
        else:
            everywhere = self._everywhere.get(name, [])
            if len(everywhere) == 1:
                found = everywhere
            elif not everywhere:
                spaces = {ns for (ns, svc) in self.lookup.index.by_name if svc == name}
                if len(spaces) == 1:
                    found = self.lookup.by_service(None, spaces.pop(), name)
        self._services[cache_key] = found
        return found

    def ip(self, address: str) -> list[str]:
        """Workloads behind a pod IP or a Service cluster IP."""
        if self._ips is None:
            ips: dict[str, list[str]] = defaultdict(list)
            for w in self.inventory.workloads.values():
                if not w.vanished:
                    for ip in w.pod_ips:
                        ips[ip].append(w.key)
            for svc in self.inventory.services.values():
                selected = [w.key for w in self.lookup.index.selected(svc)]
                for ip in svc.cluster_ips:
                    ips[ip].extend(selected)
            self._ips = {ip: sorted(set(keys)) for ip, keys in ips.items()}
        return self._ips.get(address, [])
