"""The synthetic estate's layout: clusters, team namespaces and the workloads in them.

Everything is drawn from one ``random.Random`` in a fixed order, so a seed always
gives the same estate.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from workbench.domain.inventory import (
    Ingress,
    LimitRange,
    Namespace,
    ResourceQuota,
    Service,
    Workload,
)
from workbench.ops.generate.shapes import (
    MIB,
    PROFILES,
    PortSpec,
    Profile,
    Shape,
    build_services,
    build_workload,
    resources,
)

CLUSTER_NAMES = (
    "prod-east", "prod-west", "staging-eu", "prod-central", "dev-east", "prod-eu", "prod-ap",
    "staging-us", "dev-eu", "prod-south", "prod-north", "edge-east", "edge-west", "staging-ap",
    "dev-ap", "prod-sa", "prod-me", "batch-east", "batch-west", "dr-central",
)  # fmt: skip
TEAMS = (
    "payments", "checkout", "orders", "catalog", "inventory", "shipping", "identity", "accounts",
    "billing", "search", "recommendations", "notifications", "pricing", "cart", "reviews",
    "loyalty", "fraud", "ledger", "reporting", "analytics", "media", "content", "messaging",
    "support", "partners", "marketplace", "onboarding", "compliance", "risk", "quotes",
    "warehouse", "returns", "promotions", "subscriptions", "fulfilment", "tax", "invoicing",
    "customer", "profile", "sessions", "geo", "delivery", "feeds", "ads", "experiments",
)  # fmt: skip
NOUNS = (
    "orders", "users", "ledger", "cart", "pricing", "stock", "invoice", "profile", "session",
    "search", "catalog", "rating", "coupon", "shipment", "tracking", "refund", "wallet",
    "payout", "tax", "address", "consent", "audit", "report", "export", "import", "media",
    "thumbnail", "feed", "ranking", "quote", "policy", "claim", "offer", "basket", "member",
)  # fmt: skip
ENVIRONMENTS = (("prod", 0.6), ("staging", 0.25), ("dev", 0.15))
ROLES = (
    ("web", 0.08), ("api", 0.42), ("grpc", 0.12), ("datastore", 0.17), ("worker", 0.06),
    ("job", 0.06), ("cronjob", 0.07), ("agent", 0.02),
)  # fmt: skip
DATASTORE_WEIGHTS = (
    ("postgres", 0.35),
    ("redis", 0.3),
    ("mongo", 0.15),
    ("kafka", 0.1),
    ("mysql", 0.1),
)
MAX_TEAM_DAEMONSETS = 6  # per cluster, beside the platform namespace's agents
PLATFORM_PROFILES = ("node-agent", "collector", "statsd", "log-shipper")
_SUFFIXES = {
    "web": ("web", "frontend", "ui", "bff"),
    "api": ("api", "service", "svc"),
    "grpc": ("grpc", "service", "backend"),
    "worker": ("worker", "consumer", "processor"),
    "job": ("migrate", "backfill", "reindex"),
    "cronjob": ("report", "cleanup", "sync"),
    "agent": ("log-forwarder", "node-probe"),
    "postgres": ("postgres", "db", "pg"),
    "redis": ("redis", "cache"),
    "mongo": ("mongo", "docdb"),
    "kafka": ("kafka", "events"),
    "mysql": ("mysql", "legacy-db"),
}
_UIDS = (None, None, 1000, 10001, 65532)


@dataclass(slots=True)
class Member:
    """A generated workload with the profile it was built from and its Services."""

    workload: Workload
    profile: Profile
    services: list[Service] = field(default_factory=list)
    recipe: str = ""  # the PROFILES key


@dataclass(slots=True)
class Space:
    namespace: Namespace
    env: str
    platform: bool
    size: int
    members: list[Member] = field(default_factory=list)


def pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    x = rng.random() * sum(w for _, w in weighted)
    for name, w in weighted:
        x -= w
        if x < 0:
            return name
    return weighted[-1][0]


def plan_namespaces(
    rng: random.Random, workloads: int, clusters: list[str], count: int
) -> list[Space]:
    """``count`` namespaces over the clusters, sized to hold ``workloads`` in total."""
    per_cluster = [
        sum(1 for i in range(count) if i % len(clusters) == c) for c in range(len(clusters))
    ]
    estimate = workloads // len(clusters)
    spaces: list[Space] = []
    used: set[str] = set()
    for i in range(count):
        c = i % len(clusters)
        platform = i < len(clusters) and per_cluster[c] >= 2
        if platform:
            name, env = ("observability" if c == 0 else f"observability-{c + 1}"), "prod"
            size = min(len(PLATFORM_PROFILES), max(1, estimate // 25))
        else:
            env = pick(rng, ENVIRONMENTS)
            team = TEAMS[rng.randrange(len(TEAMS))]
            name = team if env == "prod" else f"{team}-{env}"
            size = 0
        base, n = name, 2
        while name in used:
            name, n = f"{base}-{n}", n + 1
        used.add(name)
        labels = {"environment": env, "team": base.split("-")[0]}
        spaces.append(Space(Namespace(clusters[c], name, labels), env, platform, size))
    _size_spaces(rng, spaces, workloads)
    return spaces


def _size_spaces(rng: random.Random, spaces: list[Space], workloads: int) -> None:
    apps = [s for s in spaces if not s.platform]
    while sum(s.size for s in spaces) + len(apps) > workloads:
        biggest = max((s for s in spaces if s.platform), key=lambda s: s.size)
        if biggest.size <= 1:
            break
        biggest.size -= 1
    free = workloads - sum(s.size for s in spaces) - len(apps)
    weights = [rng.uniform(0.3, 1.7) for _ in apps]
    total = sum(weights) or 1.0
    shares = [int(free * w / total) for w in weights]
    for k in range(free - sum(shares)):
        shares[k % len(shares)] += 1
    for space, share in zip(apps, shares, strict=True):
        space.size = 1 + share


def _unique(rng: random.Random, taken: set[str], recipe: str, role: str) -> str:
    suffixes = _SUFFIXES.get(recipe) or _SUFFIXES[role]
    name = ""
    for _ in range(3):
        name = f"{NOUNS[rng.randrange(len(NOUNS))]}-{suffixes[rng.randrange(len(suffixes))]}"
        if name not in taken:
            break
    base, n = name, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    taken.add(name)
    return name


def _replicas(rng: random.Random, recipe: str, role: str) -> int:
    if recipe == "kafka":
        return 3
    if role == "datastore":
        return (1, 1, 3)[rng.randrange(3)]
    if role == "batch":
        return 1
    if role == "worker":
        return 1 + rng.randrange(4)
    return (1, 2, 2, 3, 3, 4, 5, 6, 8, 10)[rng.randrange(10)]


def _shape(rng: random.Random, name: str, recipe: str, role: str) -> Shape:
    present = rng.random() < 0.75
    cpu = (50, 100, 250, 500, 1000)[rng.randrange(5)]
    mem = (64, 128, 256, 512, 1024, 2048)[rng.randrange(6)]
    extra: tuple[PortSpec, ...] = ()
    if role == "api" and rng.random() < 0.3:
        extra = (PortSpec(9091, "http-metrics"),)
    if role in {"api", "web"} and rng.random() < 0.004:
        extra = (PortSpec((15000, 15020, 15090)[rng.randrange(3)], "admin"),)
    return Shape(
        replicas=_replicas(rng, recipe, role),
        version=f"v{1 + rng.randrange(3)}",
        with_version_label=rng.random() < 0.9,
        resources=resources(cpu if present else None, mem, limits=rng.random() < 0.6),
        named_ports=rng.random() < 0.7,
        service_account=name if rng.random() < 0.7 else "default",
        run_as_user=1337 if rng.random() < 0.003 else _UIDS[rng.randrange(len(_UIDS))],
        extra_ports=extra,
    )


def _declared(rng: random.Random) -> str:
    x = rng.random()
    return "name" if x < 0.6 else "app_protocol" if x < 0.75 else "none"


def fill_namespace(
    rng: random.Random, space: Space, ingresses: list[Ingress], daemonsets: dict[str, int]
) -> None:
    """Build the namespace's workloads and Services.

    ``daemonsets`` counts team DaemonSets per cluster: a cluster runs only a handful,
    whatever its size (each one is a pod on every node).
    """
    ns = space.namespace
    taken: set[str] = set()
    for slot in range(space.size):
        if space.platform:
            recipe = name = PLATFORM_PROFILES[slot]
            taken.add(name)
        else:
            role = pick(rng, ROLES)
            recipe = pick(rng, DATASTORE_WEIGHTS) if role == "datastore" else role
            if recipe == "agent" and daemonsets.get(ns.cluster, 0) >= MAX_TEAM_DAEMONSETS:
                role = recipe = "worker"
            elif recipe == "agent":
                daemonsets[ns.cluster] = daemonsets.get(ns.cluster, 0) + 1
                recipe = "node-agent" if rng.random() < 0.5 else "log-shipper"
            name = _unique(rng, taken, recipe if recipe in _SUFFIXES else role, role)
        profile = PROFILES[recipe]
        shape = _shape(rng, name, recipe, profile.role)
        workload = build_workload(ns.cluster, ns.name, name, profile, shape)
        member = Member(workload, profile, recipe=recipe)
        if (profile.serving and profile.kind != "DaemonSet") or recipe == "statsd":
            service_type = "ClusterIP"
            if profile.role == "web":
                x = rng.random()
                service_type = (
                    "LoadBalancer" if x < 0.25 else "NodePort" if x < 0.35 else "ClusterIP"
                )
            member.services = build_services(
                workload,
                profile,
                service_type=service_type,
                declared=_declared(rng),
                extra_ports=shape.extra_ports,
            )
            if profile.role == "web" and service_type == "ClusterIP" and rng.random() < 0.5:
                ingresses.append(Ingress(ns.cluster, ns.name, name, "nginx", [name]))
        space.members.append(member)
    accounts = {"default"} | {m.workload.service_account for m in space.members}
    ns.service_accounts = sorted(accounts)


def decorate_namespace(rng: random.Random, space: Space) -> None:
    """PSA labels, existing injection in some dev namespaces, LimitRanges and quotas."""
    ns = space.namespace
    x = rng.random()
    if x < 0.03:
        ns.labels["pod-security.kubernetes.io/enforce"] = "restricted"
    elif x < 0.13:
        ns.labels["pod-security.kubernetes.io/enforce"] = "baseline"
    if space.env == "dev" and rng.random() < 0.2:
        ns.labels["istio-injection"] = "enabled"
        for m in space.members:
            m.workload.mesh.injected = not m.workload.host_network
    if rng.random() < 0.15:
        ns.limit_ranges.append(
            LimitRange(
                "container-limits",
                max_cpu_m=(1000, 2000, 4000)[rng.randrange(3)],
                max_memory_bytes=(1024, 2048, 4096)[rng.randrange(3)] * MIB,
                default_cpu_m=500,
                default_memory_bytes=512 * MIB,
                default_request_cpu_m=100,
                default_request_memory_bytes=128 * MIB,
            )
        )
    if rng.random() < 0.1:
        cpu = sum(m.workload.cpu_request_m() * m.workload.pods for m in space.members)
        mem = sum(m.workload.memory_request_bytes() * m.workload.pods for m in space.members)
        headroom = rng.uniform(1.02, 1.6)
        ns.resource_quotas.append(
            ResourceQuota(
                "compute",
                hard={
                    "requests.cpu": int(cpu * headroom) + 1000,
                    "requests.memory": int(mem * headroom) + 1024 * MIB,
                },
                used={"requests.cpu": cpu, "requests.memory": mem},
            )
        )
