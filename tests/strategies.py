"""Plans for tests: a hypothesis strategy for random valid plans, and a builder of large ones.

``plans()`` draws small plans that exercise every field of the model (unicode text,
optional values, dates, nested lists and maps) while keeping every reference valid:
wave members and edge endpoints exist, a workload is in at most one wave, scenario
overrides name real assumptions. ``build_plan(n)`` makes a realistic plan of ``n``
workloads quickly and deterministically, for round trips and benchmarks at scale.
"""

from __future__ import annotations

import gzip
import json
import random
import zlib
from datetime import date, timedelta
from typing import Any

import orjson
from hypothesis import strategies as st

from workbench.domain.assumptions import (
    INFRASTRUCTURE_MODES,
    RAMP_KINDS,
    Assumptions,
    BenefitLine,
    CostLine,
    OverheadProfile,
    Prices,
    Ramp,
    Scenario,
    SuccessMetric,
)
from workbench.domain.dependencies import (
    EVIDENCE_KINDS,
    Dependencies,
    Edge,
    Evidence,
    UnresolvedAddress,
)
from workbench.domain.inventory import (
    PROTOCOLS,
    SERVICE_TYPES,
    WORKLOAD_KINDS,
    Cluster,
    Container,
    ContainerPort,
    ImportGap,
    Ingress,
    Inventory,
    IstioInstall,
    LimitRange,
    MeshPolicy,
    MeshState,
    Namespace,
    NetworkPolicy,
    NodeSummary,
    PolicyPeer,
    ResourceQuota,
    Resources,
    Service,
    ServicePort,
    WebhookBackend,
    Workload,
)
from workbench.domain.plan import INJECTION_MODES, Baseline, MeshSettings, Meta, Mute, Plan
from workbench.domain.schedule import DATAPLANE_MODES, MTLS_MODES, Activity, Phase, Schedule, Wave
from workbench.io.annotation_policy import NAMESPACE_KEYS, POD_KEYS
from workbench.io.sanitise import scrub_credentials

# -- building blocks -----------------------------------------------------------------

text = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
names = st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=8)
counts = st.integers(min_value=0, max_value=2**40)
small_counts = st.integers(min_value=0, max_value=500)
numbers = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12)
shares = st.floats(min_value=0.0, max_value=1.0)
dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
labels = st.dictionaries(text, text, max_size=3)
# Annotations a plan may hold (a load drops or scrubs any other): allow-listed keys,
# values with nothing to scrub.
_clean = text.filter(lambda v: scrub_credentials(v) == v)
pod_annotations = st.dictionaries(st.sampled_from(sorted(POD_KEYS)), _clean, max_size=3)
namespace_annotations = st.dictionaries(st.sampled_from(sorted(NAMESPACE_KEYS)), _clean, max_size=3)


def optional(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.none() | strategy


@st.composite
def date_ranges(draw: st.DrawFn) -> tuple[date, date]:
    start = draw(dates)
    return start, start + timedelta(days=draw(st.integers(0, 400)))


resources = st.builds(
    Resources,
    cpu_request_m=optional(counts),
    memory_request_bytes=optional(counts),
    cpu_limit_m=optional(counts),
    memory_limit_bytes=optional(counts),
)
container_ports = st.builds(
    ContainerPort,
    container_port=st.integers(1, 65535),
    name=optional(names),
    protocol=st.sampled_from(PROTOCOLS),
)
containers = st.builds(
    Container,
    name=names,
    image=text,
    ports=st.lists(container_ports, max_size=2),
    resources=resources,
    run_as_user=optional(small_counts),
    env=labels,
    probes=st.lists(text, max_size=2),
    restart_policy=optional(st.just("Always")),
    capabilities_add=st.lists(names, max_size=2),
    privileged=st.booleans(),
)
mesh_states = st.builds(
    MeshState, injected=st.booleans(), revision=optional(names), ambient=st.booleans()
)


def workloads(cluster: str, namespace: str, kind: str, name: str) -> st.SearchStrategy:
    return st.builds(
        Workload,
        cluster=st.just(cluster),
        namespace=st.just(namespace),
        kind=st.just(kind),
        name=st.just(name),
        replicas=small_counts,
        pods=small_counts,
        containers=st.lists(containers, max_size=2),
        init_containers=st.lists(containers, max_size=1),
        host_network=st.booleans(),
        service_account=names,
        run_as_user=optional(small_counts),
        labels=labels,
        annotations=pod_annotations,
        mesh=mesh_states,
        vanished=st.booleans(),
    )


def services(cluster: str, namespace: str, name: str) -> st.SearchStrategy:
    port = st.builds(
        ServicePort,
        port=st.integers(1, 65535),
        name=optional(names),
        target_port=optional(text),
        protocol=st.sampled_from(PROTOCOLS),
        app_protocol=optional(names),
    )
    return st.builds(
        Service,
        cluster=st.just(cluster),
        namespace=st.just(namespace),
        name=st.just(name),
        type=st.sampled_from(SERVICE_TYPES),
        headless=st.booleans(),
        ports=st.lists(port, max_size=2),
        selector=labels,
        external_name=optional(text),
    )


def namespaces(cluster: str, name: str) -> st.SearchStrategy:
    limit_range = st.builds(
        LimitRange,
        name=names,
        max_cpu_m=optional(counts),
        default_memory_bytes=optional(counts),
        default_request_cpu_m=optional(counts),
    )
    quota = st.builds(
        ResourceQuota,
        name=names,
        hard=st.dictionaries(names, counts, max_size=2),
        used=st.dictionaries(names, counts, max_size=2),
    )
    return st.builds(
        Namespace,
        cluster=st.just(cluster),
        name=st.just(name),
        labels=labels,
        annotations=namespace_annotations,
        limit_ranges=st.lists(limit_range, max_size=1),
        resource_quotas=st.lists(quota, max_size=1),
        service_accounts=st.lists(names, max_size=2),
    )


def clusters(name: str) -> st.SearchStrategy:
    nodes = st.builds(
        NodeSummary,
        count=small_counts,
        allocatable_cpu_m=counts,
        allocatable_memory_bytes=counts,
        kubelet_versions=st.lists(text, max_size=2),
        os_images=st.lists(text, max_size=1),
    )
    istio = st.builds(
        IstioInstall,
        version=optional(text),
        revisions=st.lists(names, max_size=2),
        cni=st.booleans(),
        ambient=st.booleans(),
    )
    return st.builds(
        Cluster,
        name=st.just(name),
        server_version=optional(text),
        nodes=nodes,
        istio=optional(istio),
    )


selectors = optional(st.dictionaries(names, names, max_size=2))
network_policies = st.builds(
    NetworkPolicy,
    cluster=names,
    namespace=names,
    name=names,
    pod_selector=labels,
    policy_types=st.lists(st.sampled_from(["Ingress", "Egress"]), max_size=2),
    ingress_from=st.lists(
        st.builds(
            PolicyPeer,
            pod_selector=selectors,
            namespace_selector=selectors,
            ip_block=optional(text),
        ),
        max_size=2,
    ),
    ingress_ports=st.lists(st.integers(1, 65535), max_size=2),
)
ingresses = st.builds(
    Ingress,
    cluster=names,
    namespace=names,
    name=names,
    ingress_class=optional(names),
    backends=st.lists(names, max_size=2),
)
webhooks = st.builds(
    WebhookBackend,
    cluster=names,
    kind=text,
    name=names,
    service_namespace=names,
    service_name=names,
    port=optional(st.integers(1, 65535)),
)
mesh_policies = st.builds(
    MeshPolicy,
    cluster=names,
    namespace=names,
    kind=text,
    name=names,
    mode=optional(text),
    action=optional(text),
    selector=labels,
)
gaps = st.builds(ImportGap, cluster=names, resource=text, reason=text, namespace=optional(names))


@st.composite
def inventories(draw: st.DrawFn, max_workloads: int = 6) -> Inventory:
    inv = Inventory()
    cluster_names = draw(st.lists(names, min_size=1, max_size=2, unique=True))
    for c in cluster_names:
        inv.clusters[c] = draw(clusters(c))
    ns_pairs = draw(
        st.lists(st.tuples(st.sampled_from(cluster_names), names), max_size=3, unique=True)
    )
    places = ns_pairs or [(cluster_names[0], "default")]
    for c, ns in places:  # every workload and Service lies in a namespace of the inventory
        inv.add_namespace(draw(namespaces(c, ns)))
    identities = draw(
        st.lists(
            st.tuples(st.sampled_from(places), st.sampled_from(WORKLOAD_KINDS), names),
            max_size=max_workloads,
            unique=True,
        )
    )
    for (c, ns), kind, name in identities:
        inv.add_workload(draw(workloads(c, ns, kind, name)))
    for (c, ns), name in draw(
        st.lists(st.tuples(st.sampled_from(places), names), max_size=3, unique=True)
    ):
        inv.add_service(draw(services(c, ns, name)))
    inv.network_policies = draw(st.lists(network_policies, max_size=1))
    inv.ingresses = draw(st.lists(ingresses, max_size=1))
    inv.webhooks = draw(st.lists(webhooks, max_size=1))
    inv.mesh_policies = draw(st.lists(mesh_policies, max_size=1))
    for entry in (*inv.network_policies, *inv.ingresses, *inv.webhooks, *inv.mesh_policies):
        entry.cluster = draw(st.sampled_from(cluster_names))  # a cluster of the inventory
    inv.gaps = draw(st.lists(gaps, max_size=1))  # a gap may name a cluster not read
    return inv


@st.composite
def dependency_graphs(draw: st.DrawFn, keys: list[str]) -> Dependencies:
    deps = Dependencies()
    if keys:
        pairs = draw(
            st.lists(
                st.tuples(st.sampled_from(keys), st.sampled_from(keys)), max_size=6, unique=True
            )
        )
        for caller, callee in pairs:
            evidence = st.builds(Evidence, kind=st.sampled_from(EVIDENCE_KINDS), detail=text)
            deps.add(
                Edge(
                    caller=caller,
                    callee=callee,
                    evidence=draw(st.lists(evidence, max_size=2)),
                    confidence=draw(shares),
                    manual=draw(st.booleans()),
                    via_service=draw(optional(text)),
                    requests_per_second=draw(optional(st.floats(0.0, 1e6))),
                )
            )
    deps.unresolved = draw(
        st.lists(st.builds(UnresolvedAddress, workload=text, address=text, source=text), max_size=2)
    )
    return deps


@st.composite
def schedules(draw: st.DrawFn, keys: list[str]) -> Schedule:
    phase_ids = draw(st.lists(names, max_size=4, unique=True))
    phases = []
    for pid in phase_ids:
        start, end = draw(date_ranges())
        phases.append(Phase(id=pid, name=draw(text), start=start, end=end))
    activities: list[Activity] = []
    waves: list[Wave] = []
    if phase_ids:
        for aid in draw(st.lists(names, max_size=3, unique=True)):
            start, end = draw(date_ranges())
            activities.append(
                Activity(aid, draw(text), draw(st.sampled_from(phase_ids)), start, end)
            )
        wave_ids = draw(st.lists(names, max_size=3, unique=True))
        members = draw(st.permutations(keys)) if keys else []
        cuts = sorted(
            draw(
                st.lists(
                    st.integers(0, len(members)), min_size=len(wave_ids), max_size=len(wave_ids)
                )
            )
        )
        bounds = [0, *cuts]
        for i, wid in enumerate(wave_ids):
            start, end = draw(date_ranges())
            waves.append(
                Wave(
                    id=wid,
                    name=draw(text),
                    phase=draw(st.sampled_from(phase_ids)),
                    start=start,
                    end=end,
                    mode=draw(st.sampled_from(DATAPLANE_MODES)),
                    mtls=draw(st.sampled_from(MTLS_MODES)),
                    members=list(members[bounds[i] : bounds[i + 1]]),
                    max_workloads=draw(optional(small_counts)),
                    max_pods=draw(optional(small_counts)),
                )
            )
    return Schedule(phases=phases, activities=activities, waves=waves)


assumptions_strategy = st.builds(
    Assumptions,
    cost_lines=st.lists(
        st.builds(CostLine, name=names, one_time=numbers, annual=numbers, category=text),
        max_size=3,
        unique_by=lambda c: c.name,
    ),
    benefit_lines=st.lists(
        st.builds(BenefitLine, name=names, annual=numbers, category=text),
        max_size=3,
        unique_by=lambda b: b.name,
    ),
    ramp=st.builds(Ramp, kind=st.sampled_from(RAMP_KINDS), months=st.integers(1, 60)),
    prices=st.builds(Prices, vcpu_hour=st.floats(0, 10), gb_hour=st.floats(0, 10)),
    overhead=st.builds(OverheadProfile, name=text, sidecar_cpu_request_m=small_counts),
    discount_rate=st.floats(-0.5, 1.0),
    horizon_months=st.integers(1, 600),
    risk_adjustment=st.floats(0.0, 1.0, exclude_max=True),  # the economics take [0, 1)
    infrastructure=st.sampled_from(INFRASTRUCTURE_MODES),
    start=optional(dates),
    currency=text,
)


@st.composite
def scenario_lists(draw: st.DrawFn, assumptions: Assumptions) -> list[Scenario]:
    choices: list[tuple[str, st.SearchStrategy]] = [
        ("discount_rate", st.floats(0.0, 0.5)),
        ("horizon_months", st.integers(1, 600)),
        ("ramp.kind", st.sampled_from(RAMP_KINDS)),
        ("ramp.months", st.integers(1, 48)),
        ("prices.vcpu_hour", st.floats(0.0, 1.0)),
    ]
    choices += [(f"cost_lines[{c.name}].annual", numbers) for c in assumptions.cost_lines]
    choices += [(f"benefit_lines[{b.name}].annual", numbers) for b in assumptions.benefit_lines]
    scenarios = []
    for name in draw(st.lists(text, max_size=2, unique=True)):
        picked = draw(st.lists(st.sampled_from(choices), max_size=3, unique_by=lambda c: c[0]))
        overrides = {path: draw(values) for path, values in picked}
        scenarios.append(Scenario(name=name, description=draw(text), overrides=overrides))
    return scenarios


@st.composite
def plans(draw: st.DrawFn, max_workloads: int = 6) -> Plan:
    """A random plan that is valid: it saves, and loads back equal."""
    inventory = draw(inventories(max_workloads))
    keys = list(inventory.workloads)
    schedule = draw(schedules(keys))
    assumptions = draw(assumptions_strategy)
    scenarios = draw(scenario_lists(assumptions))
    baseline = st.builds(
        Baseline,
        name=text,
        created=text,
        waves=st.dictionaries(names, date_ranges(), max_size=2),
    )
    return Plan(
        meta=draw(
            st.builds(
                Meta,
                title=text,
                author=text,
                created=text,
                modified=text,
                notes=text,
                baselines=st.lists(baseline, max_size=1),
            )
        ),
        inventory=inventory,
        dependencies=draw(dependency_graphs(keys)),
        schedule=schedule,
        assumptions=assumptions,
        scenarios=scenarios,
        active_scenario=draw(optional(st.sampled_from([s.name for s in scenarios])))
        if scenarios
        else None,
        metrics=draw(
            st.lists(
                st.builds(
                    SuccessMetric, name=text, baseline=text, target=text, achieved=optional(text)
                ),
                max_size=2,
            )
        ),
        mesh=draw(
            st.builds(
                MeshSettings,
                istio_version=text,
                revision=optional(names),
                injection=st.sampled_from(INJECTION_MODES),
            )
        ),
        mutes=draw(
            st.lists(
                st.builds(
                    Mute,
                    rule=names,
                    # "*", a cluster, or a scope within a namespace of the inventory
                    scope=st.one_of(
                        st.just("*"),
                        st.sampled_from(sorted(inventory.clusters)),
                        st.builds(
                            "/".join,
                            st.tuples(st.sampled_from(sorted(inventory.namespaces)), names),
                        ),
                    ),
                    reason=text,
                ),
                max_size=2,
            )
        ),
    )


# -- large realistic plans -------------------------------------------------------------

_APPS = ("api", "user", "order", "payment", "inventory", "catalog", "search", "cart", "auth")
_ROLES = ("service", "worker", "gateway", "db", "cache", "queue", "batch", "sync")
_MIB = 1024 * 1024


def _container(rng: random.Random, name: str, peers: list[str], index: int) -> Container:
    ports = [
        ContainerPort(
            container_port=rng.choice((8080, 8443, 9090, 5432, 6379, 3000, 50051)) + i,
            name=rng.choice((None, "http", "grpc", "metrics", "tcp-db")),
        )
        for i in range(rng.randint(1, 3))
    ]
    env = {
        f"{rng.choice(('LOG', 'FEATURE', 'POOL', 'TIMEOUT', 'REGION'))}_{i}": ""
        for i in range(rng.randint(2, 6))
    }
    for peer in rng.sample(peers, k=min(len(peers), rng.randint(0, 3))):
        env[f"{peer.upper().replace('-', '_')}_URL"] = f"http://{peer}:8080"
    has_resources = rng.random() < 0.8
    return Container(
        name=name if index == 0 else f"{name}-{('sidecar', 'agent', 'exporter')[index % 3]}",
        image=f"registry.example.com/{name}:{rng.randint(1, 40)}.{rng.randint(0, 20)}",
        ports=ports,
        resources=Resources(
            cpu_request_m=rng.choice((50, 100, 250, 500, 1000)) if has_resources else None,
            memory_request_bytes=rng.choice((64, 128, 256, 512, 1024)) * _MIB
            if has_resources
            else None,
            cpu_limit_m=rng.choice((None, 500, 1000, 2000)),
            memory_limit_bytes=rng.choice((None, 512 * _MIB, 2048 * _MIB)),
        ),
        run_as_user=rng.choice((None, None, 1000, 1337, 0)),
        env=env,
        probes=rng.sample(
            ["liveness:httpGet", "readiness:httpGet", "startup:tcpSocket", "liveness:exec"],
            k=rng.randint(0, 2),
        ),
        capabilities_add=["NET_ADMIN"] if rng.random() < 0.02 else [],
        privileged=rng.random() < 0.01,
    )


def build_plan(workloads: int, clusters: int = 1, seed: int = 0) -> Plan:
    """A deterministic plan of ``workloads`` workloads with realistic pod templates."""
    rng = random.Random(seed)
    inv = Inventory()
    per_ns = 25
    n_ns = max(1, workloads // per_ns)
    for c in range(clusters):
        name = f"cluster-{c + 1}"
        inv.clusters[name] = Cluster(
            name, "v1.29.4", NodeSummary(50, 50 * 8000, 50 * 32 * 1024 * _MIB)
        )
    names: list[tuple[str, str, str]] = []
    for i in range(workloads):
        cluster = f"cluster-{i % clusters + 1}"
        ns = f"{_APPS[(i // per_ns) % len(_APPS)]}-{i // per_ns % n_ns:03d}"
        names.append((cluster, ns, f"{_APPS[i % len(_APPS)]}-{_ROLES[i % len(_ROLES)]}-{i:05d}"))
    for cluster, ns, _ in names:
        if f"{cluster}/{ns}" not in inv.namespaces:
            inv.add_namespace(
                Namespace(
                    cluster,
                    ns,
                    labels={"istio-injection": "enabled", "team": ns.split("-")[0]},
                    service_accounts=["default", f"{ns}-sa"],
                )
            )
    for i, (cluster, ns, name) in enumerate(names):
        kind = (
            "StatefulSet"
            if name.split("-")[1] in ("db", "cache")
            else rng.choice(("Deployment",) * 12 + ("DaemonSet", "Job", "CronJob"))
        )
        peers = [n for _, _, n in rng.sample(names, k=min(4, len(names)))]
        replicas = rng.choice((1, 2, 3, 3, 5, 10))
        w = Workload(
            cluster=cluster,
            namespace=ns,
            kind=kind,
            name=name,
            replicas=replicas,
            pods=replicas,
            containers=[_container(rng, name, peers, k) for k in range(rng.choice((1, 1, 2, 3)))],
            host_network=kind == "DaemonSet" and rng.random() < 0.3,
            service_account=f"{ns}-sa",
            labels={
                "app": name,
                "version": f"v{rng.randint(1, 5)}",
                "team": ns.split("-")[0],
                "app.kubernetes.io/part-of": ns,
                "tier": _ROLES[i % len(_ROLES)],
            },
            annotations={
                "prometheus.io/scrape": "true",
                "prometheus.io/path": f"/metrics/{rng.randint(1, 90)}",  # allow-listed, unread
            },
        )
        inv.add_workload(w)
        if kind in ("Deployment", "StatefulSet"):
            inv.add_service(
                Service(
                    cluster,
                    ns,
                    name,
                    headless=kind == "StatefulSet",
                    ports=[ServicePort(8080, "http", "8080", app_protocol="http")],
                    selector={"app": name},
                )
            )
    keys = list(inv.workloads)
    deps = Dependencies()
    for key in keys:
        for callee in rng.sample(keys, k=min(2, len(keys))):
            if callee != key:
                deps.add(
                    Edge(
                        key,
                        callee,
                        [Evidence("env", f"env URL in {key}")],
                        confidence=0.9,
                        via_service=callee,
                    )
                )
    start = date(2026, 1, 5)
    phases = [
        Phase(f"p{i + 1}", n, start + timedelta(days=90 * i), start + timedelta(days=90 * i + 89))
        for i, n in enumerate(("Foundation", "Pilot", "Core", "Optimization"))
    ]
    schedule = Schedule(phases=phases)
    chosen = keys[: len(keys) // 2]
    n_waves = 10
    for n in range(n_waves):
        first = start + timedelta(days=30 + 21 * n)
        schedule.waves.append(
            Wave(
                f"wave-{n + 1:02d}",
                f"Wave {n + 1}",
                phases[min(3, 1 + n // 4)].id,
                first,
                first + timedelta(days=20),
                members=chosen[n::n_waves],
            )
        )
    schedule.reindex()
    assumptions = Assumptions(
        cost_lines=[
            CostLine("Platform Team", 500_000.0, 800_000.0),
            CostLine("Training", 100_000.0, 150_000.0),
        ],
        benefit_lines=[
            BenefitLine("Incident Reduction", 1_500_000.0),
            BenefitLine("Faster Delivery", 4_000_000.0),
        ],
    )
    return Plan(
        meta=Meta(title=f"Synthetic estate of {workloads} workloads", author="tests"),
        inventory=inv,
        dependencies=deps,
        schedule=schedule,
        assumptions=assumptions,
        scenarios=[
            Scenario("playbook"),
            Scenario("ramp", overrides={"ramp.kind": "linear", "ramp.months": 14}),
        ],
        active_scenario="playbook",
    )


# -- raw file content ------------------------------------------------------------------


def unpack(data: bytes) -> dict[str, Any]:
    """The JSON document inside a plan file's bytes."""
    doc: dict[str, Any] = orjson.loads(zlib.decompress(data, 16 + zlib.MAX_WBITS))
    return doc


def pack(doc: object) -> bytes:
    """Plan file bytes for any JSON document (for crafting bad files)."""
    return gzip.compress(json.dumps(doc).encode(), mtime=0)
