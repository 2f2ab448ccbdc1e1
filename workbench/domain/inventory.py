"""The cluster inventory: what runs where, as far as mesh planning needs to know.

Units are fixed across the product: CPU in millicores (int), memory in bytes (int).
Keys are stable strings: a workload is ``cluster/namespace/Kind/name``, a service
``cluster/namespace/name``, a namespace ``cluster/namespace``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

WORKLOAD_KINDS = ("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod")
SERVICE_TYPES = ("ClusterIP", "NodePort", "LoadBalancer", "ExternalName")
PROTOCOLS = ("TCP", "UDP", "SCTP")
SYSTEM_NAMESPACES = frozenset(
    {"kube-system", "kube-public", "kube-node-lease", "istio-system", "local-path-storage"}
)


def workload_key(cluster: str, namespace: str, kind: str, name: str) -> str:
    return f"{cluster}/{namespace}/{kind}/{name}"


def service_key(cluster: str, namespace: str, name: str) -> str:
    return f"{cluster}/{namespace}/{name}"


def namespace_key(cluster: str, namespace: str) -> str:
    return f"{cluster}/{namespace}"


@dataclass(slots=True)
class Resources:
    """Requests and limits of one container; None where the manifest sets nothing."""

    cpu_request_m: int | None = None
    memory_request_bytes: int | None = None
    cpu_limit_m: int | None = None
    memory_limit_bytes: int | None = None


@dataclass(slots=True)
class ContainerPort:
    container_port: int
    name: str | None = None
    protocol: str = "TCP"
    host_port: int | None = None  # ports[].hostPort: reachable on the node's address


@dataclass(slots=True)
class Container:
    name: str
    image: str = ""
    ports: list[ContainerPort] = field(default_factory=list)
    resources: Resources = field(default_factory=Resources)
    run_as_user: int | None = None
    # env var names -> sanitised value: kept only when it looks like a service
    # address (host[:port] or a URL without credentials), otherwise "".
    env: dict[str, str] = field(default_factory=dict)
    probes: list[str] = field(default_factory=list)  # e.g. "liveness:httpGet"
    restart_policy: str | None = None  # "Always" on an init container = native sidecar
    capabilities_add: list[str] = field(default_factory=list)
    privileged: bool = False
    # Readiness signals read from command, args, env sources, probes and lifecycle
    # (workbench.domain.readiness.signals.container_signals); never raw argument text.
    signals: list[str] = field(default_factory=list)


@dataclass(slots=True)
class MeshState:
    """What the mesh already does to this workload, as seen in the cluster."""

    injected: bool = False
    revision: str | None = None
    ambient: bool = False


@dataclass(slots=True)
class Workload:
    cluster: str
    namespace: str
    kind: str
    name: str
    replicas: int = 1
    pods: int = 1  # observed pods (or replicas when nothing was observed)
    containers: list[Container] = field(default_factory=list)
    init_containers: list[Container] = field(default_factory=list)
    host_network: bool = False
    service_account: str = "default"
    run_as_user: int | None = None
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)
    mesh: MeshState = field(default_factory=MeshState)
    vanished: bool = False  # gone from the latest re-import
    # sanitised addresses from ConfigMaps the pod references (envFrom, configMapKeyRef,
    # volumes), keyed by where they were seen: "configmap NAME/KEY"
    config_addresses: dict[str, str] = field(default_factory=dict)
    node_selector: dict[str, str] = field(default_factory=dict)  # pod spec nodeSelector
    seccomp_profile: str | None = None  # pod securityContext.seccompProfile.type
    restart_policy: str | None = None  # pod spec restartPolicy
    termination_grace_seconds: int | None = None  # pod spec terminationGracePeriodSeconds
    service_name: str | None = None  # StatefulSet spec.serviceName (governing Service)
    # status.podIPs of its running pods at import (not secret): resolves flow logs by IP
    pod_ips: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return workload_key(self.cluster, self.namespace, self.kind, self.name)

    @property
    def namespace_key(self) -> str:
        return namespace_key(self.cluster, self.namespace)

    def cpu_request_m(self) -> int:
        """Sum of container CPU requests for one pod (missing requests count 0)."""
        return sum(c.resources.cpu_request_m or 0 for c in self.containers)

    def memory_request_bytes(self) -> int:
        return sum(c.resources.memory_request_bytes or 0 for c in self.containers)


@dataclass(slots=True)
class ServicePort:
    port: int
    name: str | None = None
    target_port: str | None = None  # number or name, as text
    protocol: str = "TCP"
    app_protocol: str | None = None


@dataclass(slots=True)
class Service:
    cluster: str
    namespace: str
    name: str
    type: str = "ClusterIP"
    headless: bool = False
    ports: list[ServicePort] = field(default_factory=list)
    selector: dict[str, str] = field(default_factory=dict)
    external_name: str | None = None
    labels: dict[str, str] = field(default_factory=dict)
    session_affinity: str | None = None  # spec.sessionAffinity
    ip_families: list[str] = field(default_factory=list)  # spec.ipFamilies, e.g. ["IPv6"]
    cluster_ips: list[str] = field(default_factory=list)  # spec.clusterIPs (not secret)

    @property
    def key(self) -> str:
        return service_key(self.cluster, self.namespace, self.name)


@dataclass(slots=True)
class LimitRange:
    """Container limits of a LimitRange (CPU in millicores, memory in bytes)."""

    name: str
    max_cpu_m: int | None = None
    max_memory_bytes: int | None = None
    min_cpu_m: int | None = None
    min_memory_bytes: int | None = None
    default_cpu_m: int | None = None
    default_memory_bytes: int | None = None
    default_request_cpu_m: int | None = None
    default_request_memory_bytes: int | None = None


@dataclass(slots=True)
class ResourceQuota:
    """Hard and used amounts by resource name (cpu in millicores, memory in bytes)."""

    name: str
    hard: dict[str, int] = field(default_factory=dict)
    used: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class Namespace:
    cluster: str
    name: str
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)
    limit_ranges: list[LimitRange] = field(default_factory=list)
    resource_quotas: list[ResourceQuota] = field(default_factory=list)
    service_accounts: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return namespace_key(self.cluster, self.name)

    @property
    def is_system(self) -> bool:
        return self.name in SYSTEM_NAMESPACES

    @property
    def injection_enabled(self) -> bool:
        return self.labels.get("istio-injection") == "enabled" or "istio.io/rev" in self.labels

    @property
    def ambient(self) -> bool:
        return self.labels.get("istio.io/dataplane-mode") == "ambient"


@dataclass(slots=True)
class NodeSummary:
    count: int = 0
    allocatable_cpu_m: int = 0
    allocatable_memory_bytes: int = 0
    kubelet_versions: list[str] = field(default_factory=list)
    os_images: list[str] = field(default_factory=list)


@dataclass(slots=True)
class IstioInstall:
    """An Istio control plane already present in a cluster."""

    version: str | None = None
    revisions: list[str] = field(default_factory=list)
    cni: bool = False
    ambient: bool = False


@dataclass(slots=True)
class Cluster:
    name: str
    server_version: str | None = None
    nodes: NodeSummary = field(default_factory=NodeSummary)
    istio: IstioInstall | None = None


@dataclass(slots=True)
class PolicyPeer:
    """One `from` entry of a NetworkPolicy ingress rule."""

    pod_selector: dict[str, str] | None = None
    namespace_selector: dict[str, str] | None = None
    ip_block: str | None = None


@dataclass(slots=True)
class NetworkPolicyRule:
    """One ingress rule: no peers means any source, no ports (numbered or named) means
    every port."""

    peers: list[PolicyPeer] = field(default_factory=list)
    ports: list[int] = field(default_factory=list)
    # ports given by name that no selected pod declares: they admit nothing on those pods
    # (names that a selected pod's container ports declare are resolved into ``ports``)
    named_ports: list[str] = field(default_factory=list)


@dataclass(slots=True)
class NetworkPolicy:
    cluster: str
    namespace: str
    name: str
    pod_selector: dict[str, str] = field(default_factory=dict)
    policy_types: list[str] = field(default_factory=list)
    ingress_from: list[PolicyPeer] = field(default_factory=list)
    ingress_ports: list[int] = field(default_factory=list)
    # The ingress rules one by one (the flat lists above are their union).
    ingress_rules: list[NetworkPolicyRule] = field(default_factory=list)


@dataclass(slots=True)
class IngressRule:
    """One host and path of an Ingress and the Service port it sends to."""

    host: str = ""  # "" matches every host
    path: str = "/"
    path_type: str = "Prefix"  # Prefix, Exact or ImplementationSpecific
    service: str = ""
    port: int | None = None
    port_name: str | None = None


@dataclass(slots=True)
class Ingress:
    cluster: str
    namespace: str
    name: str
    ingress_class: str | None = None
    backends: list[str] = field(default_factory=list)  # service names in the namespace
    annotations: dict[str, str] = field(default_factory=dict)
    rules: list[IngressRule] = field(default_factory=list)  # hosts and paths, in order


@dataclass(slots=True)
class WebhookBackend:
    """A Service the API server calls: admission webhook or aggregated API."""

    cluster: str
    kind: str  # ValidatingWebhookConfiguration, MutatingWebhookConfiguration, APIService
    name: str
    service_namespace: str
    service_name: str
    port: int | None = None
    failure_policy: str | None = None  # webhooks[].failurePolicy: "Fail" or "Ignore"


@dataclass(slots=True)
class MeshPolicy:
    """An existing PeerAuthentication or AuthorizationPolicy."""

    cluster: str
    namespace: str
    kind: str
    name: str
    mode: str | None = None  # PeerAuthentication mTLS mode
    action: str | None = None  # AuthorizationPolicy action
    selector: dict[str, str] = field(default_factory=dict)
    # Uses HTTP attributes (AuthorizationPolicy operation/when/requestPrincipals,
    # RequestAuthentication, HTTP routes) that only a sidecar or waypoint can enforce.
    l7: bool = False


@dataclass(slots=True)
class MetricsMonitor:
    """A Prometheus Operator ServiceMonitor or PodMonitor that scrapes workloads."""

    cluster: str
    namespace: str
    kind: str  # ServiceMonitor, PodMonitor
    name: str
    selector: dict[str, str] = field(default_factory=dict)  # matchLabels
    namespaces: list[str] = field(default_factory=list)  # namespaceSelector.matchNames
    ports: list[str] = field(default_factory=list)  # endpoint port names or numbers


@dataclass(slots=True)
class Autoscaler:
    """A HorizontalPodAutoscaler: its target and the resource metrics it averages."""

    cluster: str
    namespace: str
    name: str
    target_kind: str
    target_name: str
    resource_metrics: list[str] = field(default_factory=list)  # "cpu"/"memory" Resource


@dataclass(slots=True)
class ImportGap:
    """A part of the estate the import could not read (403, timeout ...)."""

    cluster: str
    resource: str
    reason: str
    namespace: str | None = None


@dataclass(slots=True)
class Inventory:
    clusters: dict[str, Cluster] = field(default_factory=dict)
    namespaces: dict[str, Namespace] = field(default_factory=dict)
    workloads: dict[str, Workload] = field(default_factory=dict)
    services: dict[str, Service] = field(default_factory=dict)
    network_policies: list[NetworkPolicy] = field(default_factory=list)
    ingresses: list[Ingress] = field(default_factory=list)
    webhooks: list[WebhookBackend] = field(default_factory=list)
    mesh_policies: list[MeshPolicy] = field(default_factory=list)
    gaps: list[ImportGap] = field(default_factory=list)
    monitors: list[MetricsMonitor] = field(default_factory=list)
    autoscalers: list[Autoscaler] = field(default_factory=list)
    # Bumped by every in-place edit (the ``add_*`` methods do; so must other editors), so
    # caches of what the inventory implies can tell a stale copy. Not saved, not compared.
    revision: int = field(default=0, init=False, repr=False, compare=False)

    def add_workload(self, w: Workload) -> None:
        self.workloads[w.key] = w
        self.revision += 1

    def add_service(self, s: Service) -> None:
        self.services[s.key] = s
        self.revision += 1

    def add_namespace(self, ns: Namespace) -> None:
        self.namespaces[ns.key] = ns
        self.revision += 1

    def total_pods(self) -> int:
        return sum(w.pods for w in self.workloads.values())

    def selected_workloads(self, service: Service) -> list[Workload]:
        """Workloads in the service's namespace whose labels match its selector."""
        if not service.selector:
            return []
        sel = service.selector.items()
        return [
            w
            for w in self.workloads.values()
            if w.cluster == service.cluster
            and w.namespace == service.namespace
            and all(w.labels.get(k) == v for k, v in sel)
        ]
