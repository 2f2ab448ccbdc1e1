"""What a live import reads from a cluster, and where each list lives in the API.

The table is the whole contract: anything not listed here is never requested. Secrets are
deliberately absent (nothing secret may enter a plan), and so is anything else the planner
does not need.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ResourceSpec:
    """One list the import reads.

    ``versions`` are tried in order of preference; optional resources (custom resources
    such as ServiceMonitors or Istio policies) are read only when API discovery shows the
    cluster serves them. A ``supplement`` is read only when the import is limited to chosen
    namespaces: it fetches, cluster-wide and by label, the few objects the planner needs
    from namespaces outside the choice (the Istio control plane), which the full lists
    already contain otherwise.
    """

    kind: str
    plural: str
    group: str = ""  # "" is the core API group
    versions: tuple[str, ...] = ("v1",)
    namespaced: bool = True
    optional: bool = False
    supplement: bool = False
    label_selector: str | None = None
    label: str = ""  # what progress messages call it

    @property
    def title(self) -> str:
        return self.label or f"{self.kind}s"

    def api_version(self, version: str) -> str:
        return f"{self.group}/{version}" if self.group else version

    def list_path(self, version: str, namespace: str | None = None) -> str:
        """The list endpoint, cluster-wide or for one namespace."""
        root = f"/apis/{self.group}/{version}" if self.group else f"/api/{version}"
        if namespace is not None and self.namespaced:
            return f"{root}/namespaces/{namespace}/{self.plural}"
        return f"{root}/{self.plural}"


def _core(kind: str, plural: str, *, namespaced: bool = True) -> ResourceSpec:
    return ResourceSpec(kind=kind, plural=plural, namespaced=namespaced)


def _group(
    kind: str,
    plural: str,
    group: str,
    *versions: str,
    namespaced: bool = True,
    optional: bool = False,
) -> ResourceSpec:
    return ResourceSpec(kind, plural, group, versions, namespaced=namespaced, optional=optional)


RESOURCES: tuple[ResourceSpec, ...] = (
    _core("Namespace", "namespaces", namespaced=False),
    _core("Node", "nodes", namespaced=False),
    _group("Deployment", "deployments", "apps", "v1"),
    _group("StatefulSet", "statefulsets", "apps", "v1"),
    _group("DaemonSet", "daemonsets", "apps", "v1"),
    _group("Job", "jobs", "batch", "v1"),
    _group("CronJob", "cronjobs", "batch", "v1", "v1beta1"),
    _core("Pod", "pods"),
    _core("Service", "services"),
    _core("ServiceAccount", "serviceaccounts"),
    _core("ConfigMap", "configmaps"),
    _group("HorizontalPodAutoscaler", "horizontalpodautoscalers", "autoscaling", "v2", "v1"),
    _group("NetworkPolicy", "networkpolicies", "networking.k8s.io", "v1"),
    _group("Ingress", "ingresses", "networking.k8s.io", "v1"),
    _core("LimitRange", "limitranges"),
    _core("ResourceQuota", "resourcequotas"),
    _group(
        "ValidatingWebhookConfiguration",
        "validatingwebhookconfigurations",
        "admissionregistration.k8s.io",
        "v1",
        namespaced=False,
    ),
    _group(
        "MutatingWebhookConfiguration",
        "mutatingwebhookconfigurations",
        "admissionregistration.k8s.io",
        "v1",
        namespaced=False,
    ),
    _group("APIService", "apiservices", "apiregistration.k8s.io", "v1", namespaced=False),
    _group("ServiceMonitor", "servicemonitors", "monitoring.coreos.com", "v1", optional=True),
    _group("PodMonitor", "podmonitors", "monitoring.coreos.com", "v1", optional=True),
    _group(
        "PeerAuthentication",
        "peerauthentications",
        "security.istio.io",
        "v1",
        "v1beta1",
        optional=True,
    ),
    _group(
        "AuthorizationPolicy",
        "authorizationpolicies",
        "security.istio.io",
        "v1",
        "v1beta1",
        optional=True,
    ),
    _group(
        "RequestAuthentication",
        "requestauthentications",
        "security.istio.io",
        "v1",
        "v1beta1",
        optional=True,
    ),
    ResourceSpec(
        kind="Deployment",
        plural="deployments",
        group="apps",
        supplement=True,
        label_selector="app=istiod",
        label="istiod Deployments",
    ),
    ResourceSpec(
        kind="DaemonSet",
        plural="daemonsets",
        group="apps",
        supplement=True,
        label_selector="k8s-app=istio-cni-node",
        label="istio-cni DaemonSets",
    ),
    ResourceSpec(
        kind="DaemonSet",
        plural="daemonsets",
        group="apps",
        supplement=True,
        label_selector="app=ztunnel",
        label="ztunnel DaemonSets",
    ),
)

# Kinds a live import must never request (the tests hold the table to it).
NEVER_READ = frozenset({"Secret"})
