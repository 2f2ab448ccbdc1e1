"""Raw Kubernetes objects (dicts, as the API or ``kubectl -o json|yaml`` gives them) ->
the plan's :class:`Inventory`. Offline dumps and the live import both feed this builder.

    builder = InventoryBuilder("prod-eu")
    builder.add_many(objects)          # any order; List kinds are unpacked
    result = builder.result()          # inventory, warnings, unknown kinds, ...

Secrets are never read: a Secret object is counted and dropped unopened. ConfigMaps are
scanned for service addresses and their values then discarded; the addresses are attached
to the workloads that reference the ConfigMap. Env values pass through the sanitiser.
Controller-owned objects (ReplicaSets, a CronJob's Jobs, controller Pods) give pod counts
and the mesh state actually running, not workloads of their own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from workbench.domain.inventory import (
    Cluster,
    Inventory,
    Namespace,
    Workload,
    namespace_key,
    service_key,
    workload_key,
)
from workbench.domain.readiness.signals import container_signals
from workbench.io import k8s_resources as res
from workbench.io.annotation_policy import WORKLOAD_KEYS, chosen_annotations, namespace_annotations
from workbench.io.k8s_import_result import ConfigMapAddress, ImportResult
from workbench.io.k8s_network_policies import network_policy, resolve_named_ports
from workbench.io.k8s_workloads import (
    PodTemplate,
    as_dict,
    as_list,
    mesh_state,
    pod_workload,
    str_map,
)
from workbench.io.sanitise import scan_text

CONTROLLERS = ("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob")
WEBHOOK_KINDS = ("ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "APIService")
MESH_POLICY_KINDS = ("PeerAuthentication", "AuthorizationPolicy", "RequestAuthentication")
CLUSTER_SCOPED = frozenset({"Namespace", "Node", *WEBHOOK_KINDS})
__all__ = ["ConfigMapAddress", "ImportResult", "InventoryBuilder"]


@dataclass(slots=True)
class _PodSeen:
    owner: tuple[str, str] | None  # (kind, name) as referenced
    hash_label: str | None
    injected: bool
    ambient: bool
    revision: str | None
    ips: list[str]


class InventoryBuilder:
    """Collects raw objects of one cluster and builds its inventory."""

    def __init__(self, cluster: str, default_namespace: str = "default") -> None:
        self.cluster = cluster
        self.default_namespace = default_namespace
        self._inv = Inventory()
        self._inv.clusters[cluster] = Cluster(name=cluster)
        self._templates: dict[str, PodTemplate] = {}
        # (namespace, name) -> (data key, where, address)
        self._configmaps: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
        self._owners: dict[tuple[str, str, str], tuple[str, str]] = {}  # (ns, kind, name)
        self._pods: dict[str, list[_PodSeen]] = {}  # namespace -> pods seen
        self._unknown: Counter[str] = Counter()
        self._warnings: list[str] = []
        self._secrets = 0
        self._objects = 0
        self._duplicates = 0
        self._described: set[str] = set()  # namespaces a Namespace object described
        self._signals = container_signals

    # -- feeding ----------------------------------------------------------------------
    def add_many(self, objs: Iterable[dict[str, Any]]) -> None:
        for obj in objs:
            self.add(obj)

    def add(self, obj: dict[str, Any]) -> None:
        """Take one object; ``*List`` kinds are unpacked (items inherit the item kind)."""
        kind = obj.get("kind")
        if not isinstance(kind, str) or not kind:
            self._warn_once("an object without a 'kind' was skipped")
            return
        if kind.endswith("List") and isinstance(obj.get("items"), list):
            item_kind = kind[: -len("List")]
            for item in obj["items"]:
                if isinstance(item, dict):
                    if not item.get("kind") and item_kind:
                        item = {**item, "kind": item_kind, "apiVersion": obj.get("apiVersion")}
                    self.add(item)
            return
        self._objects += 1
        if kind == "Secret":
            self._secrets += 1  # never opened
            return
        meta = as_dict(obj.get("metadata"))
        name = meta.get("name")
        if not isinstance(name, str) or not name:
            self._warn_once(f"a {kind} without metadata.name was skipped")
            return
        ns = meta.get("namespace")
        ns = str(ns) if ns and kind not in CLUSTER_SCOPED else self.default_namespace
        if kind in CONTROLLERS:
            self._controller(ns, kind, name, obj)
        elif kind in WEBHOOK_KINDS:
            self._inv.webhooks.extend(res.webhook_backends(self.cluster, kind, name, obj))
        elif kind in MESH_POLICY_KINDS:
            self._inv.mesh_policies.append(res.mesh_policy(self.cluster, ns, kind, name, obj))
        elif kind in ("ServiceMonitor", "PodMonitor"):
            self._inv.monitors.append(res.monitor(self.cluster, ns, kind, name, obj))
        elif kind in _HANDLERS:  # plain functions: no reference cycle keeps a builder alive
            _HANDLERS[kind](self, ns, name, obj)
        else:
            self._unknown[kind] += 1

    def absorb(self, later: InventoryBuilder) -> None:
        """Take in what ``later`` (a builder of the same cluster) read, as if its objects
        had been added here after this builder's own: the parts of one file read apart
        end as the builder that read them all."""
        inv, theirs = self._inv, later._inv
        for key, w in theirs.workloads.items():
            self._put_workload(key, w)
        for key, service in theirs.services.items():
            self._duplicates += key in inv.services
            inv.services[key] = service
        self._duplicates += later._duplicates
        self._templates.update(later._templates)
        self._configmaps.update(later._configmaps)
        self._owners.update(later._owners)
        for ns, pods in later._pods.items():
            self._pods.setdefault(ns, []).extend(pods)
        for key, namespace in theirs.namespaces.items():
            mine = inv.namespaces.get(key)
            if mine is None:
                inv.add_namespace(namespace)
            else:
                res.add_namespace_objects(mine, namespace, key in later._described)
        self._described |= later._described
        res.add_nodes(inv.clusters[self.cluster].nodes, theirs.clusters[self.cluster].nodes)
        inv.webhooks.extend(theirs.webhooks)
        inv.mesh_policies.extend(theirs.mesh_policies)
        inv.monitors.extend(theirs.monitors)
        inv.network_policies.extend(theirs.network_policies)
        inv.ingresses.extend(theirs.ingresses)
        inv.autoscalers.extend(theirs.autoscalers)
        self._unknown.update(later._unknown)
        for message in later._warnings:
            self._warn_once(message)
        self._secrets += later._secrets
        self._objects += later._objects

    def _warn_once(self, message: str) -> None:
        if message not in self._warnings:
            self._warnings.append(message)

    # -- workloads --------------------------------------------------------------------
    def _owner(self, meta: dict[str, Any]) -> tuple[str, str] | None:
        refs = meta.get("ownerReferences")
        if not refs:
            return None
        for ref in map(as_dict, as_list(refs)):
            if ref.get("controller") is not False and ref.get("kind") and ref.get("name"):
                return str(ref["kind"]), str(ref["name"])
        return None

    def _controller(self, ns: str, kind: str, name: str, obj: dict[str, Any]) -> None:
        meta, spec = as_dict(obj.get("metadata")), as_dict(obj.get("spec"))
        owner = self._owner(meta)
        if kind == "Job" and owner and owner[0] == "CronJob":
            self._owners[(ns, "Job", name)] = owner
            return
        if kind == "CronJob":
            spec = as_dict(as_dict(spec.get("jobTemplate")).get("spec"))
        replicas = spec.get("parallelism" if kind in ("Job", "CronJob") else "replicas")
        if kind == "DaemonSet":
            replicas = as_dict(obj.get("status")).get("desiredNumberScheduled")
        governing = spec.get("serviceName") if kind == "StatefulSet" else None
        w, template = pod_workload(
            self.cluster,
            ns,
            kind,
            name,
            as_dict(spec.get("template")),
            self._signals,
            replicas=replicas if isinstance(replicas, int) and replicas >= 0 else 1,
            service_name=str(governing) if governing else None,
        )
        key = workload_key(self.cluster, ns, kind, name)
        self._templates[key] = template
        for annotation, value in chosen_annotations(meta.get("annotations"), WORKLOAD_KEYS).items():
            w.annotations.setdefault(annotation, value)
        self._put_workload(key, w)

    def _put_workload(self, key: str, w: Workload) -> None:
        workloads = self._inv.workloads
        if key in workloads:
            self._duplicates += 1
        workloads[key] = w

    def _replicaset(self, ns: str, name: str, obj: dict[str, Any]) -> None:
        owner = self._owner(as_dict(obj.get("metadata")))
        if owner is None:
            self._unknown["ReplicaSet"] += 1
        else:
            self._owners[(ns, "ReplicaSet", name)] = owner

    def _pod(self, ns: str, name: str, obj: dict[str, Any]) -> None:
        meta = as_dict(obj.get("metadata"))
        owner = self._owner(meta)
        if owner is None or owner[0] == "Node":  # bare or static pod: a workload of its own
            w, template = pod_workload(self.cluster, ns, "Pod", name, obj, self._signals)
            key = workload_key(self.cluster, ns, "Pod", name)
            w.pod_ips = res.pod_ips(obj)
            self._templates[key] = template
            self._put_workload(key, w)
            return
        phase = as_dict(obj.get("status")).get("phase")
        if phase in ("Succeeded", "Failed"):
            return
        labels, annotations = str_map(meta.get("labels")), str_map(meta.get("annotations"))
        containers = as_list(as_dict(obj.get("spec")).get("containers"))
        state = mesh_state(labels, annotations, [as_dict(c) for c in containers])
        self._pods.setdefault(ns, []).append(
            _PodSeen(
                owner,
                labels.get("pod-template-hash"),
                state.injected,
                state.ambient,
                state.revision,
                res.pod_ips(obj),
            )
        )

    def _pod_workload(self, ns: str, pod: _PodSeen) -> str | None:
        if pod.owner is None:
            return None
        kind, name = pod.owner
        for _ in range(3):
            up = self._owners.get((ns, kind, name))
            if up is None:
                break
            kind, name = up
        if kind == "ReplicaSet" and pod.hash_label and name.endswith(f"-{pod.hash_label}"):
            kind, name = "Deployment", name[: -len(pod.hash_label) - 1]
        return workload_key(self.cluster, ns, kind, name) if kind in CONTROLLERS else None

    # -- everything else ---------------------------------------------------------------
    def _ns(self, ns: str) -> Namespace:
        key = namespace_key(self.cluster, ns)
        if key not in self._inv.namespaces:
            self._inv.add_namespace(Namespace(cluster=self.cluster, name=ns))
        return self._inv.namespaces[key]

    def _namespace(self, _ns: str, name: str, obj: dict[str, Any]) -> None:
        meta = as_dict(obj.get("metadata"))
        ns = self._ns(name)
        self._described.add(ns.key)
        ns.labels = str_map(meta.get("labels"))
        ns.annotations = namespace_annotations(meta.get("annotations"))

    def _service(self, ns: str, name: str, obj: dict[str, Any]) -> None:
        services = self._inv.services
        key = service_key(self.cluster, ns, name)
        if key in services:
            self._duplicates += 1
        services[key] = res.service(self.cluster, ns, name, obj)

    def _service_account(self, ns: str, name: str, obj: dict[str, Any]) -> None:
        accounts = self._ns(ns).service_accounts
        if name not in accounts:
            accounts.append(name)

    def _configmap(self, ns: str, name: str, obj: dict[str, Any]) -> None:
        found: list[tuple[str, str, str]] = []
        for key, value in as_dict(obj.get("data")).items():
            if isinstance(value, str):
                found.extend((str(key), where, addr) for where, addr in scan_text(str(key), value))
        self._configmaps[(ns, name)] = found

    def _limit_range(self, ns: str, name: str, obj: dict[str, Any]) -> None:
        self._ns(ns).limit_ranges.append(res.limit_range(name, obj))

    def _resource_quota(self, ns: str, name: str, obj: dict[str, Any]) -> None:
        self._ns(ns).resource_quotas.append(res.resource_quota(name, obj))

    def _network_policy(self, ns: str, name: str, obj: dict[str, Any]) -> None:
        self._inv.network_policies.append(network_policy(self.cluster, ns, name, obj))

    def _ingress(self, ns: str, name: str, obj: dict[str, Any]) -> None:
        self._inv.ingresses.append(res.ingress(self.cluster, ns, name, obj))

    def _node(self, _ns: str, _name: str, obj: dict[str, Any]) -> None:
        res.add_node(self._inv.clusters[self.cluster].nodes, obj)

    def _autoscaler(self, ns: str, name: str, obj: dict[str, Any]) -> None:
        self._inv.autoscalers.append(res.autoscaler(self.cluster, ns, name, obj))

    # -- result -----------------------------------------------------------------------
    def result(self) -> ImportResult:
        """The inventory built so far (call once, after the last object)."""
        inv = self._inv
        self._apply_pods()
        addresses = self._attach_configmaps()
        self._keep_named_services()
        resolve_named_ports(
            [np for np in inv.network_policies if np.cluster == self.cluster],
            inv.workloads.values(),
        )
        nodes = inv.clusters[self.cluster].nodes.count
        for ns in dict.fromkeys(w.namespace for w in inv.workloads.values()):
            self._ns(ns)
        if nodes:
            for w in inv.workloads.values():
                if w.kind == "DaemonSet" and w.replicas <= 1:
                    w.replicas = w.pods = max(w.pods, nodes)
        for ns in dict.fromkeys(s.namespace for s in inv.services.values()):
            self._ns(ns)
        inv.clusters[self.cluster].istio = res.istio_install(inv.workloads.values())
        warnings = list(self._warnings)
        if self._secrets:
            warnings.append(f"{self._secrets} Secret object(s) skipped unread")
        if self._duplicates:
            warnings.append(
                f"{self._duplicates} object(s) appeared more than once; the last one read was kept"
            )
        if self._unknown:
            listed = ", ".join(f"{k} ({n})" for k, n in sorted(self._unknown.items()))
            warnings.append(f"kinds not used for planning: {listed}")
        return ImportResult(
            inventory=inv,
            warnings=warnings,
            unknown_kinds=dict(sorted(self._unknown.items())),
            skipped_secrets=self._secrets,
            objects=self._objects,
            configmap_addresses=addresses,
        )

    def _apply_pods(self) -> None:
        counts: Counter[str] = Counter()
        for ns, pods in self._pods.items():
            for pod in pods:
                key = self._pod_workload(ns, pod)
                w = self._inv.workloads.get(key) if key else None
                if w is None:
                    continue
                counts[w.key] += 1
                w.pod_ips.extend(pod.ips)
                if pod.injected:
                    w.mesh.injected = True
                    w.mesh.revision = w.mesh.revision or pod.revision
                w.mesh.ambient = w.mesh.ambient or pod.ambient
        for key, n in counts.items():
            self._inv.workloads[key].pods = n

    def _attach_configmaps(self) -> list[ConfigMapAddress]:
        workloads = self._inv.workloads
        for key, template in self._templates.items():
            w = workloads.get(key) if template.config_refs else None
            if w is None:
                continue
            for ref in template.config_refs:
                for data_key, where, addr in self._configmaps.get((w.namespace, ref.configmap), ()):
                    if ref.key is not None and ref.key != data_key:
                        continue
                    label = f"configmap {ref.configmap}/{where}"
                    if ref.env:
                        label += f" (env {ref.env})"
                    w.config_addresses[label] = addr
        return [
            ConfigMapAddress(self.cluster, ns, name, where, addr)
            for (ns, name), entries in sorted(self._configmaps.items())
            for _, where, addr in entries
        ]

    def _keep_named_services(self) -> None:
        """Bare env values survive only when a Service of that name exists beside them."""
        for key, template in self._templates.items():
            w = self._inv.workloads.get(key) if template.candidates else None
            if w is None:
                continue
            for index, init, name, value in template.candidates:
                if service_key(self.cluster, w.namespace, value) in self._inv.services:
                    containers = w.init_containers if init else w.containers
                    containers[index].env[name] = value


_HANDLERS: dict[str, Callable[[InventoryBuilder, str, str, dict[str, Any]], None]] = {
    "Namespace": InventoryBuilder._namespace,
    "Service": InventoryBuilder._service,
    "ServiceAccount": InventoryBuilder._service_account,
    "ConfigMap": InventoryBuilder._configmap,
    "Pod": InventoryBuilder._pod,
    "ReplicaSet": InventoryBuilder._replicaset,
    "LimitRange": InventoryBuilder._limit_range,
    "ResourceQuota": InventoryBuilder._resource_quota,
    "NetworkPolicy": InventoryBuilder._network_policy,
    "Ingress": InventoryBuilder._ingress,
    "Node": InventoryBuilder._node,
    "HorizontalPodAutoscaler": InventoryBuilder._autoscaler,
}
