"""A tiny hand-made estate for the simulator's rule tests, and step builders."""

from __future__ import annotations

from typing import Any

from workbench.domain.dependencies import Edge, Evidence
from workbench.domain.inventory import (
    Cluster,
    Container,
    ContainerPort,
    Namespace,
    Service,
    ServicePort,
    Workload,
)
from workbench.domain.plan import Plan
from workbench.domain.simulation import LabelChange, RolloutStep

C = "c1"
FRONT = f"{C}/shop/Deployment/front"
API = f"{C}/shop/Deployment/api"
DB = f"{C}/data/Deployment/db"
Obj = dict[str, Any]


def estate(*, db_image: str = "postgres:16", exposed: bool = False) -> Plan:
    """shop/front -> shop/api -> data/db; every workload has one Service."""
    plan = Plan()
    inv = plan.inventory
    inv.clusters[C] = Cluster(C, server_version="v1.30.2")
    for ns in ("shop", "data"):
        inv.add_namespace(Namespace(C, ns))
    for ns, name, port, image in (
        ("shop", "front", 8080, "front:1"),
        ("shop", "api", 9090, "api:1"),
        ("data", "db", 5432, db_image),
    ):
        container = Container(name, image, ports=[ContainerPort(port)])
        inv.add_workload(
            Workload(
                C,
                ns,
                "Deployment",
                name,
                service_account=name,
                labels={"app": name},
                containers=[container],
            )
        )
        svc_type = "LoadBalancer" if exposed and name == "front" else "ClusterIP"
        inv.services[f"{C}/{ns}/{name}"] = Service(
            C,
            ns,
            name,
            svc_type,
            ports=[ServicePort(port, name="tcp-main")],
            selector={"app": name},
        )
    for a, b in ((FRONT, API), (API, DB)):
        plan.dependencies.add(Edge(a, b, [Evidence("manual", "test")]))
    return plan


def inject(*namespaces: str, ambient: bool = False) -> RolloutStep:
    label = {"istio.io/dataplane-mode": "ambient"} if ambient else {"istio-injection": "enabled"}
    changes = tuple(LabelChange(C, "Namespace", ns, ns, label) for ns in namespaces)
    return RolloutStep(f"inject {' '.join(namespaces)}", "Apply", "mesh", C, changes=changes)


def pod_label(
    key: str, labels: dict[str, str | None], annotations: dict[str, str | None] | None = None
) -> RolloutStep:
    _, ns, kind, name = key.split("/")
    change = LabelChange(C, kind, ns, name, labels, annotations or {})
    return RolloutStep(f"label {name}", "Apply", "mesh", C, changes=(change,))


def apply(*objects: Obj, title: str = "Lockdown") -> RolloutStep:
    return RolloutStep(f"apply {len(objects)}", title, "lockdown", C, apply=objects)


def peer_auth(
    ns: str,
    mode: str,
    name: str = "default",
    selector: dict[str, str] | None = None,
    ports: dict[str, str] | None = None,
) -> Obj:
    spec: Obj = {"mtls": {"mode": mode}}
    if selector:
        spec["selector"] = {"matchLabels": selector}
    if ports:
        spec["portLevelMtls"] = {p: {"mode": m} for p, m in ports.items()}
    return {
        "apiVersion": "security.istio.io/v1",
        "kind": "PeerAuthentication",
        "metadata": {"name": name, "namespace": ns},
        "spec": spec,
    }


def authz(ns: str, name: str, spec: Obj, dry_run: bool = False) -> Obj:
    meta: Obj = {"name": name, "namespace": ns}
    if dry_run:
        meta["annotations"] = {"istio.io/dry-run": "true"}
    return {
        "apiVersion": "security.istio.io/v1",
        "kind": "AuthorizationPolicy",
        "metadata": meta,
        "spec": spec,
    }


def allow_principals(app: str, *principals: str) -> Obj:
    return {
        "selector": {"matchLabels": {"app": app}},
        "action": "ALLOW",
        "rules": [{"from": [{"source": {"principals": list(principals)}}]}],
    }
