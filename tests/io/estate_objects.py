"""Render a plan's inventory back into raw Kubernetes objects (as kubectl would print them).

Used to drive the offline importer end to end with estates of known ground truth. Env
vars that a plan keeps without a value get a secret-looking value here, so tests can prove
the importer drops it.
"""

from __future__ import annotations

from typing import Any

from workbench.domain.inventory import Container, Inventory, Service, Workload


def secret_value(workload: Workload, var: str) -> str:
    return f"Zq9-{abs(hash((workload.key, var))) % 10**10:010d}-pw"


def _container(w: Workload, c: Container) -> dict[str, Any]:
    env = [{"name": name, "value": value or secret_value(w, name)} for name, value in c.env.items()]
    res: dict[str, Any] = {"requests": {}, "limits": {}}
    if c.resources.cpu_request_m is not None:
        res["requests"]["cpu"] = f"{c.resources.cpu_request_m}m"
    if c.resources.memory_request_bytes is not None:
        res["requests"]["memory"] = str(c.resources.memory_request_bytes)
    if c.resources.cpu_limit_m is not None:
        res["limits"]["cpu"] = f"{c.resources.cpu_limit_m}m"
    if c.resources.memory_limit_bytes is not None:
        res["limits"]["memory"] = str(c.resources.memory_limit_bytes)
    out: dict[str, Any] = {
        "name": c.name,
        "image": c.image,
        "env": env,
        "resources": res,
        "ports": [
            {"containerPort": p.container_port, "protocol": p.protocol}
            | ({"name": p.name} if p.name else {})
            for p in c.ports
        ],
    }
    if c.restart_policy:
        out["restartPolicy"] = c.restart_policy
    return out


def workload_object(w: Workload) -> dict[str, Any]:
    pod = {
        "metadata": {"labels": dict(w.labels), "annotations": dict(w.annotations)},
        "spec": {
            "serviceAccountName": w.service_account,
            "hostNetwork": w.host_network,
            "containers": [_container(w, c) for c in w.containers],
            "initContainers": [_container(w, c) for c in w.init_containers],
        },
    }
    meta = {"name": w.name, "namespace": w.namespace, "labels": dict(w.labels)}
    group = "batch/v1" if w.kind in ("Job", "CronJob") else "apps/v1"
    if w.kind == "Pod":
        return {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": meta | pod["metadata"],
            "spec": pod["spec"],
        }
    spec: dict[str, Any] = {"template": pod, "selector": {"matchLabels": dict(w.labels)}}
    if w.kind in ("Deployment", "StatefulSet"):
        spec["replicas"] = w.replicas
    if w.kind == "CronJob":
        spec = {"schedule": "0 * * * *", "jobTemplate": {"spec": {"template": pod}}}
    return {"apiVersion": group, "kind": w.kind, "metadata": meta, "spec": spec}


def service_object(s: Service) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "type": s.type,
        "selector": dict(s.selector),
        "ports": [
            {"port": p.port, "protocol": p.protocol}
            | ({"name": p.name} if p.name else {})
            | (
                {"targetPort": int(p.target_port) if p.target_port.isdigit() else p.target_port}
                if p.target_port
                else {}
            )
            for p in s.ports
        ],
    }
    if s.headless:
        spec["clusterIP"] = "None"
    if s.external_name:
        spec["externalName"] = s.external_name
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": s.name, "namespace": s.namespace},
        "spec": spec,
    }


def inventory_objects(inv: Inventory, cluster: str) -> list[dict[str, Any]]:
    """Namespaces, Services and workloads of one cluster, in that order."""
    objs: list[dict[str, Any]] = [
        {
            "apiVersion": "v1",
            "kind": "Namespace",
            "metadata": {"name": ns.name, "labels": dict(ns.labels)},
        }
        for ns in inv.namespaces.values()
        if ns.cluster == cluster
    ]
    objs += [service_object(s) for s in inv.services.values() if s.cluster == cluster]
    objs += [workload_object(w) for w in inv.workloads.values() if w.cluster == cluster]
    return objs
