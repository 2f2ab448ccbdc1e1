"""Converters for the non-workload kinds: Services, namespaces' limits and quotas, mesh
policies, Ingresses, webhook backends, monitors, autoscalers and Nodes (NetworkPolicies
are in :mod:`workbench.io.k8s_network_policies`).

Each takes the cluster name, the object's namespace and the raw object dict; part of the
Kubernetes object converter (:mod:`workbench.io.k8s_objects`). Once every object is
read, an existing Istio install is recognised from its workloads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from workbench.domain.inventory import (
    Autoscaler,
    Ingress,
    IngressRule,
    IstioInstall,
    LimitRange,
    MeshPolicy,
    MetricsMonitor,
    Namespace,
    NodeSummary,
    ResourceQuota,
    Service,
    ServicePort,
    WebhookBackend,
    Workload,
)
from workbench.io.annotation_policy import ingress_annotations
from workbench.io.k8s_workloads import as_dict, as_list, cpu_millicores, memory_bytes, str_map

_TAG = re.compile(r":([0-9]+\.[0-9]+[0-9A-Za-z.\-]*)$")  # an image's version tag


def match_labels(selector: object) -> dict[str, str]:
    return str_map(as_dict(selector).get("matchLabels"))


def _service_ports(raw: object) -> list[ServicePort]:
    ports: list[ServicePort] = []
    if not raw or not isinstance(raw, list):
        return ports
    for p in raw:
        if not isinstance(p, dict):
            continue
        port = p.get("port")
        if not isinstance(port, int):
            continue
        name, target, app = p.get("name"), p.get("targetPort"), p.get("appProtocol")
        ports.append(
            ServicePort(
                port,
                name if isinstance(name, str) else None,
                str(target) if target is not None else None,
                str(p.get("protocol") or "TCP"),
                app if isinstance(app, str) else None,
            )
        )
    return ports


def service(cluster: str, ns: str, name: str, obj: dict[str, Any]) -> Service:
    spec = as_dict(obj.get("spec"))
    get = spec.get
    external, affinity, families = get("externalName"), get("sessionAffinity"), get("ipFamilies")
    meta = obj.get("metadata")
    return Service(
        cluster,
        ns,
        name,
        str(get("type") or ("ExternalName" if external else "ClusterIP")),
        get("clusterIP") == "None",
        _service_ports(get("ports")),
        str_map(get("selector")),
        str(external) if external else None,
        str_map(meta.get("labels")) if isinstance(meta, dict) else {},
        str(affinity) if affinity else None,
        [str(f) for f in families] if isinstance(families, list) else [],
        cluster_ips(spec),
    )


def _ip_list(many: object, one: object) -> list[str]:
    found = [str(x.get("ip") if isinstance(x, dict) else x) for x in as_list(many)]
    if not found and isinstance(one, str):
        found = [one]
    return [ip for ip in found if ip and ip not in ("None", "")]


def cluster_ips(spec: dict[str, Any]) -> list[str]:
    """A Service's ``spec.clusterIPs`` (or ``clusterIP``); none for a headless Service."""
    return _ip_list(spec.get("clusterIPs"), spec.get("clusterIP"))


def pod_ips(obj: dict[str, Any]) -> list[str]:
    """A pod's ``status.podIPs`` (or ``podIP``)."""
    status = as_dict(obj.get("status"))
    return _ip_list(status.get("podIPs"), status.get("podIP"))


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


def istio_install(workloads: Iterable[Workload]) -> IstioInstall | None:
    """The Istio control plane the workloads show (istiod, CNI node agent, ztunnel)."""
    install = IstioInstall()
    found = False
    for w in workloads:
        app = w.labels.get("app", "")
        if w.kind == "Deployment" and (app == "istiod" or w.name.startswith("istiod")):
            found = True
            rev = w.labels.get("istio.io/rev") or "default"
            if rev not in install.revisions:
                install.revisions.append(rev)
            tag = _TAG.search(w.containers[0].image[-128:]) if w.containers else None
            if tag and install.version is None:
                install.version = tag.group(1)
        elif w.kind == "DaemonSet" and (app == "istio-cni-node" or w.name == "istio-cni-node"):
            install.cni = found = True
        elif w.kind == "DaemonSet" and (app == "ztunnel" or w.name == "ztunnel"):
            install.ambient = found = True
    install.revisions.sort()
    return install if found else None


MAX_INGRESS_RULES = 500  # hosts and paths kept per Ingress


def ingress(cluster: str, ns: str, name: str, obj: dict[str, Any]) -> Ingress:
    spec = as_dict(obj.get("spec"))
    annotations = ingress_annotations(as_dict(obj.get("metadata")).get("annotations"))
    backends: list[str] = []

    def add(backend: object) -> None:
        backend = as_dict(backend)
        svc = as_dict(backend.get("service")).get("name") or backend.get("serviceName")
        if svc and str(svc) not in backends:
            backends.append(str(svc))

    rules: list[IngressRule] = []

    def route(host: object, path: object, backend: object) -> None:
        entry = as_dict(path)
        target = as_dict(backend)
        service = as_dict(target.get("service"))
        svc = service.get("name") or target.get("serviceName")
        port = as_dict(service.get("port"))
        number = port.get("number", target.get("servicePort"))
        name = port.get("name") or (number if isinstance(number, str) else None)
        if not svc or len(rules) >= MAX_INGRESS_RULES:
            return
        rules.append(
            IngressRule(
                str(host or "")[:253],
                str(entry.get("path") or "/")[:1024],
                str(entry.get("pathType") or "Prefix")[:40],
                str(svc),
                number if isinstance(number, int) and not isinstance(number, bool) else None,
                str(name)[:63] if name else None,
            )
        )

    default = spec.get("defaultBackend") or spec.get("backend")
    add(default)
    for rule in as_list(spec.get("rules")):
        host = as_dict(rule).get("host")
        for path in as_list(as_dict(as_dict(rule).get("http")).get("paths")):
            add(as_dict(path).get("backend"))
            route(host, path, as_dict(path).get("backend"))
    if default:
        route("", {"path": "/", "pathType": "Prefix"}, default)
    cls = spec.get("ingressClassName") or annotations.get("kubernetes.io/ingress.class")
    return Ingress(cluster, ns, name, str(cls) if cls else None, backends, annotations, rules)


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


def add_nodes(summary: NodeSummary, later: NodeSummary) -> None:
    """Count in the nodes of ``later`` (read after ``summary``'s), as :func:`add_node` would."""
    summary.count += later.count
    summary.allocatable_cpu_m += later.allocatable_cpu_m
    summary.allocatable_memory_bytes += later.allocatable_memory_bytes
    for bucket, more in (
        (summary.kubelet_versions, later.kubelet_versions),
        (summary.os_images, later.os_images),
    ):
        bucket.extend(sorted(set(more) - set(bucket)))
        bucket.sort()


def add_namespace_objects(namespace: Namespace, later: Namespace, described: bool) -> None:
    """Take in what was read later about the same namespace: its labels and annotations
    when a Namespace object ``described`` it, its service accounts, limits and quotas."""
    if described:
        namespace.labels, namespace.annotations = later.labels, later.annotations
    known = set(namespace.service_accounts)
    namespace.service_accounts.extend(a for a in later.service_accounts if a not in known)
    namespace.limit_ranges.extend(later.limit_ranges)
    namespace.resource_quotas.extend(later.resource_quotas)
