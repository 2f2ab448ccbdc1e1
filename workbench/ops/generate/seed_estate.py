"""The seed playbook's reference estate: an e-commerce platform on two clusters.

About 150 workloads in 12 namespaces: an edge tier, identity, orders, payments, catalog,
inventory, messaging, notification, search, analytics and the platform's own agents,
with their datastores. It deliberately holds the cases the readiness rules look for: a
hostNetwork DaemonSet, a container running as UID 1337, an app port in Istio's 15000
range, clustered StatefulSets (one with a peer port missing from its headless Service),
MySQL on an undeclared port, UDP, Jobs and CronJobs on nodes without native sidecars, an
init container that reaches the database, kube-system workloads, a PSA restricted
namespace, a LimitRange and a ResourceQuota with little headroom and an admission webhook.
Env vars state the call graph.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from workbench.domain.inventory import (
    Cluster,
    Container,
    Ingress,
    Inventory,
    LimitRange,
    Namespace,
    NodeSummary,
    ResourceQuota,
    WebhookBackend,
)
from workbench.ops.generate.calls import (
    Call,
    StatedCall,
    add_plain_env,
    stored_value,
    wire_calls,
)
from workbench.ops.generate.layout import Member
from workbench.ops.generate.seed_spec import CLUSTERS, NAMESPACES, SPECS, Spec
from workbench.ops.generate.shapes import (
    MIB,
    PROFILES,
    PortSpec,
    Shape,
    build_services,
    build_workload,
    resources,
)

SEED = 2023
KUBELET = "v1.29.6"
_DEFAULT_SIZE = {
    "web": (200, 256),
    "api": (250, 256),
    "worker": (200, 256),
    "datastore": (500, 1024),
    "batch": (100, 128),
    "agent": (50, 64),
    "collector": (200, 512),
    "system": (100, 70),
}


@dataclass(slots=True)
class SeedEstate:
    inventory: Inventory
    stated: list[StatedCall] = field(default_factory=list)
    members: dict[str, Member] = field(default_factory=dict)  # by "ns/name"


def _member(ns: Namespace, spec: Spec) -> Member:
    profile = PROFILES[spec.recipe]
    size = None if spec.bare else spec.size or _DEFAULT_SIZE[profile.role]
    extra = tuple(PortSpec(port, name) for port, name in spec.extra_ports)
    shape = Shape(
        replicas=spec.replicas,
        version=spec.version,
        with_version_label=not spec.bare,
        resources=resources(*size) if size else resources(None, None),
        named_ports=not spec.bare,
        service_account="default" if spec.bare else spec.name,
        run_as_user=spec.uid,
        extra_ports=extra,
        image=spec.image,
    )
    w = build_workload(ns.cluster, ns.name, spec.name, profile, shape)
    member = Member(w, profile, recipe=spec.recipe)
    if profile.serving and (profile.kind != "DaemonSet" or spec.recipe == "statsd"):
        member.services = build_services(
            w,
            profile,
            service_type=spec.service_type,
            declared=spec.declared,
            extra_ports=extra,
            undeclared_peer_ports=spec.undeclared_peer_ports,
        )
    return member


def build_seed_estate() -> SeedEstate:
    rng = random.Random(SEED)
    inv = Inventory()
    for name, nodes in CLUSTERS:
        inv.clusters[name] = Cluster(
            name,
            KUBELET,
            NodeSummary(
                nodes, nodes * 7910, nodes * 30 * 1024**3, [KUBELET], ["Ubuntu 22.04.4 LTS"]
            ),
        )
    estate = SeedEstate(inv)
    for ns_name, cluster, labels in NAMESPACES:
        ns = Namespace(cluster, ns_name, dict(labels))
        inv.add_namespace(ns)
        specs = [s for s in SPECS if s.namespace == ns_name]
        for spec in specs:
            m = _member(ns, spec)
            if m.workload.kind == "DaemonSet":
                m.workload.replicas = m.workload.pods = inv.clusters[cluster].nodes.count
            estate.members[f"{ns_name}/{spec.name}"] = m
            inv.add_workload(m.workload)
            for svc in m.services:
                inv.add_service(svc)
        ns.service_accounts = sorted({"default"} | {s.name for s in specs if not s.bare})
    for spec in SPECS:
        _wire(rng, estate, spec)
    _special_objects(inv)
    return estate


def _call(estate: SeedEstate, caller: Member, target: str) -> Call:
    ref = target if "/" in target else f"{caller.workload.namespace}/{target}"
    m = estate.members[ref]
    return Call(m.workload, m.services[0], m.profile, m.workload.cluster != caller.workload.cluster)


def _wire(rng: random.Random, estate: SeedEstate, spec: Spec) -> None:
    m = estate.members[f"{spec.namespace}/{spec.name}"]
    w = m.workload
    if spec.init_calls or spec.init_image:
        init = Container(
            "init", spec.init_image or "busybox:1.36", resources=resources(50, 64, False)
        )
        w.init_containers.append(init)
        calls = [_call(estate, m, t) for t in spec.init_calls]
        estate.stated.extend(wire_calls(w, init, calls, rng, init=True))
    calls = [_call(estate, m, t) for t in spec.calls]
    estate.stated.extend(wire_calls(w, w.containers[0], calls, rng))
    add_plain_env(
        w.containers[0],
        rng,
        secrets=any(c.profile.role == "datastore" for c in calls),
        external=False,
    )
    for var, value in spec.external:
        w.containers[0].env[var] = stored_value(var, value)


def _special_objects(inv: Inventory) -> None:
    """Objects beyond workloads and Services that the readiness rules read."""
    orders = inv.namespaces["prod-east/orders"]
    pods = [w for w in inv.workloads.values() if w.namespace == "orders"]
    cpu = sum(w.cpu_request_m() * w.pods for w in pods)
    mem = sum(w.memory_request_bytes() * w.pods for w in pods)
    orders.resource_quotas.append(
        ResourceQuota(
            "orders-compute",
            hard={"requests.cpu": cpu + 500, "requests.memory": mem + 512 * MIB, "pods": 60},
            used={"requests.cpu": cpu, "requests.memory": mem, "pods": sum(w.pods for w in pods)},
        )
    )
    inv.namespaces["prod-east/catalog"].limit_ranges.append(
        LimitRange(
            "catalog-container-limits",
            max_cpu_m=1000,
            max_memory_bytes=512 * MIB,
            default_cpu_m=500,
            default_memory_bytes=256 * MIB,
            default_request_cpu_m=100,
            default_request_memory_bytes=128 * MIB,
        )
    )
    inv.webhooks.append(
        WebhookBackend(
            "prod-east", "ValidatingWebhookConfiguration", "policy-webhook", "platform",
            "policy-webhook", 443,
        )
    )  # fmt: skip
    inv.ingresses.extend(
        [
            Ingress("prod-east", "edge", "storefront", "nginx", ["web-frontend", "api-gateway"]),
            Ingress("prod-west", "analytics", "dashboards", "nginx", ["dashboard-ui"]),
        ]
    )
