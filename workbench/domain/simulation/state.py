"""The cluster state a rollout builds up: Istio objects, namespace and pod labels.

Only what decides whether a call works is kept: PeerAuthentication,
AuthorizationPolicy, DestinationRule and Sidecar objects, namespace labels and each
workload's pod-template labels and annotations. Whether a workload has a proxy follows
from those labels the way Istio's injection webhook reads them (a restart is assumed
to follow each change, as the runbooks order).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from workbench.domain.inventory import namespace_key
from workbench.domain.simulation.compiled import Compiled
from workbench.domain.simulation.facts import EstateFacts
from workbench.domain.simulation.model import Obj, RolloutStep
from workbench.domain.simulation.selectors import Bucket

KINDS = ("PeerAuthentication", "AuthorizationPolicy", "DestinationRule", "Sidecar")
INJECT = "sidecar.istio.io/inject"
REVISION = "istio.io/rev"
NS_INJECTION = "istio-injection"
AMBIENT = "istio.io/dataplane-mode"
NATIVE = "sidecar.istio.io/nativeSidecar"
SIDECAR = "sidecar"
AMBIENT_MODE = "ambient"


@dataclass(slots=True)
class Dirty:
    """What a step changed: Istio objects by (cluster, kind, namespace), the labels of
    namespaces (keys) and workloads, and the clusters whose entry traffic was cut over."""

    objects: set[tuple[str, str, str]] = field(default_factory=set)
    namespaces: set[str] = field(default_factory=set)  # namespace keys
    workloads: set[str] = field(default_factory=set)
    cutover: set[str] = field(default_factory=set)


class MeshState:
    def __init__(self, facts: EstateFacts) -> None:
        self.facts = facts
        plan = facts.plan
        self.root = plan.mesh.root_namespace
        self.trust_domain = plan.mesh.trust_domain
        # (cluster, kind, namespace) -> name -> object
        self.objects: dict[tuple[str, str, str], dict[str, Obj]] = defaultdict(dict)
        self.ns_labels: dict[str, dict[str, str]] = {
            k: dict(ns.labels) for k, ns in plan.inventory.namespaces.items()
        }
        self.pod_labels = {k: dict(w.labels) for k, w in facts.workloads.items()}
        self.pod_annotations = {k: dict(w.annotations) for k, w in facts.workloads.items()}
        self.in_ns: dict[str, list[str]] = defaultdict(list)  # namespace key -> workloads
        for k, w in facts.workloads.items():
            self.in_ns[w.namespace_key].append(k)
        self.cutover: set[str] = set()  # clusters whose entry traffic uses the gateway
        self._modes: dict[str, str | None] = {}
        self._buckets: dict[tuple[str, str, str], Bucket] = {}
        # per-step memo of derived lookups (applicable policies, ...), cleared by apply()
        self.memo: dict[tuple[str, ...], object] = {}
        self.compiled = Compiled()
        for pol in plan.inventory.mesh_policies:
            if pol.kind == "PeerAuthentication" and pol.mode:
                obj: Obj = {
                    "kind": pol.kind,
                    "metadata": {"name": pol.name, "namespace": pol.namespace},
                    "spec": {"mtls": {"mode": pol.mode}},
                }
                if pol.selector:
                    obj["spec"]["selector"] = {"matchLabels": dict(pol.selector)}
                self.objects[(pol.cluster, pol.kind, pol.namespace)][pol.name] = obj
        self.meshed = sum(1 for k in facts.workloads if self.mode(k))

    # -- applying a step -------------------------------------------------------------------
    def apply(self, step: RolloutStep) -> Dirty:
        dirty = Dirty()
        for obj in step.apply:
            self._touch(step.cluster, obj, dirty, keep=obj)
        for obj in step.delete:
            self._touch(step.cluster, obj, dirty, keep=None)
        for change in step.changes:
            if change.kind == "Namespace":
                ns_key = namespace_key(change.cluster, change.name)
                _merge(self.ns_labels.setdefault(ns_key, {}), change.labels)
                dirty.namespaces.add(ns_key)
                continue
            key = f"{change.cluster}/{change.namespace}/{change.kind}/{change.name}"
            if key in self.pod_labels:
                _merge(self.pod_labels[key], change.labels)
                _merge(self.pod_annotations[key], change.annotations)
                dirty.workloads.add(key)
        if step.apply or step.delete or step.changes or step.cutover:
            self.memo.clear()
        if step.cutover:
            self.cutover.add(step.cluster)
            dirty.cutover.add(step.cluster)
        relabelled = set(dirty.workloads)
        for ns_key in dirty.namespaces:
            relabelled.update(self.in_ns.get(ns_key, ()))
        for key in relabelled:  # every mode is cached since __init__ counted them
            before = self._modes.pop(key, None)
            self.meshed += (self.mode(key) is not None) - (before is not None)
        return dirty

    def _touch(self, cluster: str, obj: Obj, dirty: Dirty, keep: Obj | None) -> None:
        kind = obj.get("kind")
        if kind not in KINDS:
            return
        meta = obj.get("metadata") or {}
        ns = str(meta.get("namespace") or "default")
        where = (cluster, str(kind), ns)
        bucket = self.objects[where]
        self._buckets.pop(where, None)
        if keep is None:
            bucket.pop(str(meta.get("name")), None)
        else:
            bucket[str(meta.get("name"))] = keep
        dirty.objects.add(where)

    # -- reading ---------------------------------------------------------------------------
    def bucket(self, cluster: str, kind: str, namespace: str) -> Bucket:
        key = (cluster, kind, namespace)
        found = self._buckets.get(key)
        if found is None:
            found = self._buckets[key] = Bucket(self.objects.get(key) or {})
        return found

    def in_namespace(self, cluster: str, kind: str, namespace: str) -> list[Obj]:
        """The namespace's objects of a kind, by name."""
        return self.bucket(cluster, kind, namespace).ordered

    def mode(self, key: str) -> str | None:
        """ "sidecar", "ambient" or None (no proxy) for a workload."""
        if key not in self._modes:
            self._modes[key] = self._mode(key)
        return self._modes[key]

    def _mode(self, key: str) -> str | None:
        w = self.facts.workloads[key]
        if w.host_network:
            return None
        pod = self.pod_labels[key]
        ns = self.ns_labels.get(w.namespace_key, {})
        if pod.get(INJECT) == "false":
            sidecar = False
        elif pod.get(INJECT) == "true" or REVISION in pod or ns.get(NS_INJECTION) == "enabled":
            sidecar = True
        elif ns.get(NS_INJECTION) == "disabled":
            sidecar = False
        else:
            sidecar = REVISION in ns or w.mesh.injected
        if sidecar:
            return SIDECAR
        if pod.get(AMBIENT) == "none":
            return None
        if pod.get(AMBIENT) == AMBIENT_MODE or ns.get(AMBIENT) == AMBIENT_MODE or w.mesh.ambient:
            return AMBIENT_MODE
        return None

    def native(self, key: str) -> bool:
        """Whether the workload's proxy starts before its init containers."""
        override = self.pod_annotations[key].get(NATIVE)
        if override in ("true", "false"):
            return override == "true"
        return self.facts.workloads[key].cluster in self.facts.native_clusters

    def principal(self, key: str) -> str:
        w = self.facts.workloads[key]
        return f"{self.trust_domain}/ns/{w.namespace}/sa/{w.service_account}"


def _merge(target: dict[str, str], change: Mapping[str, str | None]) -> None:
    for k, v in change.items():
        if v is None:
            target.pop(k, None)
        else:
            target[k] = str(v)
