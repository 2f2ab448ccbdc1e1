"""Converters for the non-workload kinds: Services, namespaces' limits and quotas, network
and mesh policies, Ingresses, webhook backends, monitors, autoscalers and Nodes.

Each takes the cluster name, the object's namespace and the raw object dict; part of the
Kubernetes object converter (:mod:`workbench.io.k8s_objects`).
"""

from __future__ import annotations

from typing import Any

from workbench.domain.inventory import (
    Autoscaler,
    Ingress,
    LimitRange,
    MeshPolicy,
    MetricsMonitor,
    NetworkPolicy,
    NetworkPolicyRule,
    NodeSummary,
    PolicyPeer,
    ResourceQuota,
    Service,
    ServicePort,
    WebhookBackend,
)
from workbench.io.k8s_workloads import as_dict, as_list, cpu_millicores, memory_bytes, str_map

MAX_ANNOTATION_VALUE = 1024
SKIP_ANNOTATIONS = frozenset({"kubectl.kubernetes.io/last-applied-configuration"})


def small_annotations(raw: object) -> dict[str, str]:
    return {
        k: v
        for k, v in str_map(raw).items()
        if k not in SKIP_ANNOTATIONS and len(v) <= MAX_ANNOTATION_VALUE
    }


def match_labels(selector: object) -> dict[str, str]:
    return str_map(as_dict(selector).get("matchLabels"))


def service(cluster: str, ns: str, name: str, obj: dict[str, Any]) -> Service:
    spec = as_dict(obj.get("spec"))
    ports = []
    for p in as_list(spec.get("ports")):
        p = as_dict(p)
        if not isinstance(p.get("port"), int):
            continue
        target = p.get("targetPort")
        ports.append(
            ServicePort(
                port=p["port"],
                name=p.get("name") if isinstance(p.get("name"), str) else None,
                target_port=str(target) if target is not None else None,
                protocol=str(p.get("protocol") or "TCP"),
                app_protocol=p.get("appProtocol")
                if isinstance(p.get("appProtocol"), str)
                else None,
            )
        )
    external = spec.get("externalName")
    affinity = spec.get("sessionAffinity")
    return Service(
        cluster=cluster,
        namespace=ns,
        name=name,
        type=str(spec.get("type") or ("ExternalName" if external else "ClusterIP")),
        headless=spec.get("clusterIP") == "None",
        ports=ports,
        selector=str_map(spec.get("selector")),
        external_name=str(external) if external else None,
        labels=str_map(as_dict(obj.get("metadata")).get("labels")),
        session_affinity=str(affinity) if affinity else None,
        ip_families=[str(f) for f in as_list(spec.get("ipFamilies"))],
    )


def _resource_amount(resource: str, value: object) -> int | None:
    if resource.endswith("cpu"):
        return cpu_millicores(value)
    if resource.endswith("memory") or "storage" in resource:
        return memory_bytes(value)
    amount = memory_bytes(value)
    return amount


def limit_range(name: str, obj: dict[str, Any]) -> LimitRange:
    lr = LimitRange(name=name)
    for item in as_list(as_dict(obj.get("spec")).get("limits")):
        item = as_dict(item)
        if item.get("type") not in (None, "Container"):
            continue
        mx, mn = as_dict(item.get("max")), as_dict(item.get("min"))
        df, dr = as_dict(item.get("default")), as_dict(item.get("defaultRequest"))
        lr.max_cpu_m = cpu_millicores(mx["cpu"]) if "cpu" in mx else None
        lr.max_memory_bytes = memory_bytes(mx["memory"]) if "memory" in mx else None
        lr.min_cpu_m = cpu_millicores(mn["cpu"]) if "cpu" in mn else None
        lr.min_memory_bytes = memory_bytes(mn["memory"]) if "memory" in mn else None
        lr.default_cpu_m = cpu_millicores(df["cpu"]) if "cpu" in df else None
        lr.default_memory_bytes = memory_bytes(df["memory"]) if "memory" in df else None
        lr.default_request_cpu_m = cpu_millicores(dr["cpu"]) if "cpu" in dr else None
        lr.default_request_memory_bytes = memory_bytes(dr["memory"]) if "memory" in dr else None
    return lr


def resource_quota(name: str, obj: dict[str, Any]) -> ResourceQuota:
    def amounts(raw: object) -> dict[str, int]:
        out = {}
        for k, v in str_map(raw).items():
            amount = _resource_amount(k, v)
            if amount is not None:
                out[k] = amount
        return out

    return ResourceQuota(
        name=name,
        hard=amounts(as_dict(obj.get("spec")).get("hard")),
        used=amounts(as_dict(obj.get("status")).get("used")),
    )


def _peer(raw: object) -> PolicyPeer:
    raw = as_dict(raw)
    block = as_dict(raw.get("ipBlock")).get("cidr")
    return PolicyPeer(
        pod_selector=match_labels(raw["podSelector"]) if "podSelector" in raw else None,
        namespace_selector=(
            match_labels(raw["namespaceSelector"]) if "namespaceSelector" in raw else None
        ),
        ip_block=str(block) if block else None,
    )


def network_policy(cluster: str, ns: str, name: str, obj: dict[str, Any]) -> NetworkPolicy:
    spec = as_dict(obj.get("spec"))
    types = [str(t) for t in as_list(spec.get("policyTypes"))]
    if not types:
        types = ["Ingress"] + (["Egress"] if "egress" in spec else [])
    rules = []
    for rule in as_list(spec.get("ingress")):
        rule = as_dict(rule)
        ports = [
            p["port"]
            for p in map(as_dict, as_list(rule.get("ports")))
            if isinstance(p.get("port"), int)
        ]
        rules.append(NetworkPolicyRule([_peer(p) for p in as_list(rule.get("from"))], ports))
    return NetworkPolicy(
        cluster=cluster,
        namespace=ns,
        name=name,
        pod_selector=match_labels(spec.get("podSelector")),
        policy_types=types,
        ingress_from=[p for r in rules for p in r.peers],
        ingress_ports=sorted({p for r in rules for p in r.ports}),
        ingress_rules=rules,
    )


def ingress(cluster: str, ns: str, name: str, obj: dict[str, Any]) -> Ingress:
    spec = as_dict(obj.get("spec"))
    annotations = small_annotations(as_dict(obj.get("metadata")).get("annotations"))
    backends: list[str] = []

    def add(backend: object) -> None:
        backend = as_dict(backend)
        svc = as_dict(backend.get("service")).get("name") or backend.get("serviceName")
        if svc and str(svc) not in backends:
            backends.append(str(svc))

    add(spec.get("defaultBackend") or spec.get("backend"))
    for rule in as_list(spec.get("rules")):
        for path in as_list(as_dict(as_dict(rule).get("http")).get("paths")):
            add(as_dict(path).get("backend"))
    cls = spec.get("ingressClassName") or annotations.get("kubernetes.io/ingress.class")
    return Ingress(cluster, ns, name, str(cls) if cls else None, backends, annotations)


def webhook_backends(
    cluster: str, kind: str, name: str, obj: dict[str, Any]
) -> list[WebhookBackend]:
    found = []
    if kind == "APIService":
        entries = [(as_dict(as_dict(obj.get("spec")).get("service")), None)]
    else:
        entries = [
            (
                as_dict(as_dict(as_dict(h).get("clientConfig")).get("service")),
                as_dict(h).get("failurePolicy"),
            )
            for h in as_list(obj.get("webhooks"))
        ]
    for svc, policy in entries:
        if svc.get("name") and svc.get("namespace"):
            port = svc.get("port")
            found.append(
                WebhookBackend(
                    cluster=cluster,
                    kind=kind,
                    name=name,
                    service_namespace=str(svc["namespace"]),
                    service_name=str(svc["name"]),
                    port=port if isinstance(port, int) else None,
                    failure_policy=str(policy) if policy else None,
                )
            )
    return found


def _uses_http_attributes(spec: dict[str, Any]) -> bool:
    for rule in map(as_dict, as_list(spec.get("rules"))):
        for to in map(as_dict, as_list(rule.get("to"))):
            op = as_dict(to.get("operation"))
            if any(op.get(k) for k in ("methods", "paths", "hosts", "notMethods", "notPaths")):
                return True
        for frm in map(as_dict, as_list(rule.get("from"))):
            src = as_dict(frm.get("source"))
            if src.get("requestPrincipals") or src.get("notRequestPrincipals"):
                return True
        for cond in map(as_dict, as_list(rule.get("when"))):
            if str(cond.get("key", "")).startswith("request."):
                return True
    return False


def mesh_policy(cluster: str, ns: str, kind: str, name: str, obj: dict[str, Any]) -> MeshPolicy:
    spec = as_dict(obj.get("spec"))
    mode = as_dict(spec.get("mtls")).get("mode")
    action = spec.get("action") or ("ALLOW" if kind == "AuthorizationPolicy" else None)
    return MeshPolicy(
        cluster=cluster,
        namespace=ns,
        kind=kind,
        name=name,
        mode=str(mode) if mode else None,
        action=str(action) if action else None,
        selector=match_labels(spec.get("selector")),
        l7=kind == "RequestAuthentication" or _uses_http_attributes(spec),
    )


def monitor(cluster: str, ns: str, kind: str, name: str, obj: dict[str, Any]) -> MetricsMonitor:
    spec = as_dict(obj.get("spec"))
    endpoints = as_list(
        spec.get("endpoints" if kind == "ServiceMonitor" else "podMetricsEndpoints")
    )
    ports = []
    for ep in map(as_dict, endpoints):
        port = ep.get("port") or ep.get("targetPort")
        if port is not None:
            ports.append(str(port))
    names = as_dict(spec.get("namespaceSelector")).get("matchNames")
    return MetricsMonitor(
        cluster=cluster,
        namespace=ns,
        kind=kind,
        name=name,
        selector=match_labels(spec.get("selector")),
        namespaces=[str(n) for n in as_list(names)],
        ports=ports,
    )


def autoscaler(cluster: str, ns: str, name: str, obj: dict[str, Any]) -> Autoscaler:
    spec = as_dict(obj.get("spec"))
    target = as_dict(spec.get("scaleTargetRef"))
    metrics = [
        str(as_dict(m.get("resource")).get("name"))
        for m in map(as_dict, as_list(spec.get("metrics")))
        if m.get("type") == "Resource" and as_dict(m.get("resource")).get("name")
    ]
    if not metrics and spec.get("targetCPUUtilizationPercentage") is not None:
        metrics = ["cpu"]
    return Autoscaler(
        cluster=cluster,
        namespace=ns,
        name=name,
        target_kind=str(target.get("kind") or ""),
        target_name=str(target.get("name") or ""),
        resource_metrics=metrics,
    )


def add_node(summary: NodeSummary, obj: dict[str, Any]) -> None:
    status = as_dict(obj.get("status"))
    alloc = as_dict(status.get("allocatable"))
    info = as_dict(status.get("nodeInfo"))
    summary.count += 1
    summary.allocatable_cpu_m += cpu_millicores(alloc.get("cpu")) or 0
    summary.allocatable_memory_bytes += memory_bytes(alloc.get("memory")) or 0
    for value, bucket in (
        (info.get("kubeletVersion"), summary.kubelet_versions),
        (info.get("osImage"), summary.os_images),
    ):
        if value and str(value) not in bucket:
            bucket.append(str(value))
            bucket.sort()
