"""The synthetic estate generator: determinism, realistic shapes, a truthful call graph."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta
from functools import cache
from itertools import pairwise

import networkx as nx
import pytest

from tests.ops.test_generate_addresses import stated_edges
from workbench.domain.addresses import parse_addresses
from workbench.domain.errors import WorkbenchError
from workbench.io.plan_file import plan_from_bytes, plan_to_bytes
from workbench.ops.generate import (
    GeneratedEstate,
    GenerateError,
    generate_estate,
    generate_plan,
)
from workbench.ops.generate.calls import PASSWORDS, PLAIN_ENV, SECRET_ENV

SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN", re.I)


@cache
def estate(workloads: int = 2000, clusters: int = 3, seed: int = 11) -> GeneratedEstate:
    return generate_estate(workloads, clusters, seed)


def test_same_arguments_give_equal_plans_and_truth() -> None:
    a, b = generate_estate(300, 2, seed=5), generate_estate(300, 2, seed=5)
    assert a.plan == b.plan
    assert a.truth == b.truth
    assert plan_to_bytes(a.plan) == plan_to_bytes(b.plan)
    assert generate_plan(300, 2, seed=5) == a.plan


def test_another_seed_gives_another_estate() -> None:
    a, b = generate_estate(300, 2, seed=5), generate_estate(300, 2, seed=6)
    assert a.plan.inventory.workloads.keys() != b.plan.inventory.workloads.keys()
    assert a.truth != b.truth


@pytest.mark.parametrize(
    ("workloads", "clusters", "namespaces"),
    [(1, 1, None), (2, 1, None), (7, 3, None), (50, 3, None), (400, 4, None), (60, 2, 30)],
)
def test_counts_are_exact(workloads: int, clusters: int, namespaces: int | None) -> None:
    plan = generate_estate(workloads, clusters, seed=1, namespaces=namespaces).plan
    inv = plan.inventory
    assert len(inv.workloads) == workloads
    assert len(inv.clusters) == clusters
    if namespaces is not None:
        assert len(inv.namespaces) == namespaces
    assert all(ns in inv.namespaces for ns in (w.namespace_key for w in inv.workloads.values()))
    assert plan_from_bytes(plan_to_bytes(plan)) == plan  # the file validator accepts it


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((0, 1, None), "workloads"),
        ((10, 0, None), "clusters"),
        ((10, 21, None), "clusters"),
        ((10, 1, 11), "namespaces"),
        ((10, 1, 0), "namespaces"),
    ],
)
def test_bad_arguments_are_user_errors(args: tuple[int, int, int | None], message: str) -> None:
    with pytest.raises(GenerateError, match=message) as info:
        generate_estate(args[0], args[1], 0, args[2])
    assert isinstance(info.value, WorkbenchError)


def test_kinds_follow_a_realistic_mix() -> None:
    inv = estate().plan.inventory
    kinds = Counter(w.kind for w in inv.workloads.values())
    total = sum(kinds.values())
    assert kinds["Deployment"] / total > 0.5
    assert kinds["Deployment"] == max(kinds.values())
    for kind in ("StatefulSet", "DaemonSet", "Job", "CronJob"):
        assert kinds[kind] > 0, kind
    images = {c.image.split(":")[0] for w in inv.workloads.values() for c in w.containers}
    for store in ("postgres", "redis", "mongo", "mysql", "bitnami/kafka"):
        assert store in images
    daemons = [w for w in inv.workloads.values() if w.kind == "DaemonSet"]
    assert any(w.host_network for w in daemons)
    assert not any(w.host_network for w in inv.workloads.values() if w.kind != "DaemonSet")
    for w in daemons:
        assert w.pods == inv.clusters[w.cluster].nodes.count
    for w in inv.workloads.values():
        if w.kind == "Deployment":
            assert 1 <= w.replicas <= 10
        if w.kind != "DaemonSet":
            assert w.pods == w.replicas


def test_datastores_listen_on_their_ports() -> None:
    inv = estate().plan.inventory
    expected = {"postgres": 5432, "redis": 6379, "mongo": 27017, "mysql": 3306, "kafka": 9092}
    for w in inv.workloads.values():
        if w.kind != "StatefulSet":
            continue
        image = w.containers[0].image
        port = next(p for name, p in expected.items() if name in image)
        assert port in {p.container_port for p in w.containers[0].ports}, w.key


def test_ports_resources_and_labels_vary() -> None:
    inv = estate().plan.inventory
    ports = [p for w in inv.workloads.values() for c in w.containers for p in c.ports]
    assert any(p.name for p in ports) and any(p.name is None for p in ports)
    assert any(p.protocol == "UDP" for p in ports)
    missing = [w for w in inv.workloads.values() if w.containers[0].resources.cpu_request_m is None]
    assert 0.1 < len(missing) / len(inv.workloads) < 0.4
    assert all(w.labels["app"] == w.name for w in inv.workloads.values())
    with_version = sum("version" in w.labels for w in inv.workloads.values())
    assert 0.7 < with_version / len(inv.workloads) < 1.0
    envs = Counter(ns.labels.get("environment") for ns in inv.namespaces.values())
    assert envs["prod"] and envs["staging"] and envs["dev"]
    for ns in inv.namespaces.values():
        used = {w.service_account for w in inv.workloads.values() if w.namespace_key == ns.key}
        assert used <= set(ns.service_accounts)


def test_services_select_their_workloads() -> None:
    inv = estate().plan.inventory
    types = Counter(s.type for s in inv.services.values())
    assert types["ClusterIP"] and types["LoadBalancer"] and types["NodePort"]
    headless = [s for s in inv.services.values() if s.headless]
    assert headless
    assert all(inv.selected_workloads(s)[0].kind == "StatefulSet" for s in headless)
    service_ports = [p for s in inv.services.values() for p in s.ports]
    assert any(p.app_protocol for p in service_ports)
    assert any(p.name is None and p.app_protocol is None for p in service_ports)
    for s in inv.services.values():
        selected = inv.selected_workloads(s)
        assert len(selected) == 1 and selected[0].name == s.name.removesuffix("-headless")
    serving = {inv.selected_workloads(s)[0].key for s in inv.services.values()}
    for w in inv.workloads.values():
        if w.kind in {"Job", "CronJob"}:
            assert w.key not in serving


def test_truth_is_exactly_what_the_env_vars_state() -> None:
    e = estate()
    stated = stated_edges(e.plan.inventory)
    assert set(stated) == e.truth
    assert len(e.truth) > len(e.plan.inventory.workloads)  # a real graph, not a sprinkle


def test_dependency_edges_carry_env_evidence() -> None:
    e = estate()
    inv, deps = e.plan.inventory, e.plan.dependencies
    stated = stated_edges(inv)
    assert set(deps.edges) == e.truth
    for key, edge in deps.edges.items():
        assert edge.confidence == pytest.approx(0.9)
        assert edge.evidence and all(ev.kind == "env" for ev in edge.evidence)
        caller = inv.workloads[edge.caller]
        named = {re.match(r"env (\S+) in ", ev.detail)[1] for ev in edge.evidence}  # type: ignore[index]
        assert named == stated[key]
        assert all(f"{caller.kind} {caller.name}" in ev.detail for ev in edge.evidence)
        assert edge.via_service is not None
        callee = inv.workloads[edge.callee]
        assert callee in inv.selected_workloads(inv.services[edge.via_service])


def test_call_graph_is_layered_with_a_few_cycles() -> None:
    e = estate()
    inv = e.plan.inventory
    graph = nx.DiGraph(list(e.truth))
    cyclic = [c for c in nx.strongly_connected_components(graph) if len(c) > 1]
    assert cyclic
    assert sum(len(c) for c in cyclic) < 0.1 * graph.number_of_nodes()
    ns = {k: w.namespace_key for k, w in inv.workloads.items()}
    cluster = {k: w.cluster for k, w in inv.workloads.items()}
    cross_ns = [(a, b) for a, b in e.truth if ns[a] != ns[b]]
    cross_cluster = [(a, b) for a, b in e.truth if cluster[a] != cluster[b]]
    assert 0 < len(cross_ns) < len(e.truth) / 2
    assert 0 < len(cross_cluster) < len(e.truth) / 10
    callee_kinds = Counter(inv.workloads[b].kind for _, b in e.truth)
    assert callee_kinds["StatefulSet"] > 0  # datastores are called
    assert callee_kinds["Job"] == callee_kinds["CronJob"] == 0


def test_address_forms_are_the_ones_manifests_use() -> None:
    values = [
        v for w in estate().plan.inventory.workloads.values() for c in w.containers
        for v in c.env.values() if v
    ]  # fmt: skip
    assert any(re.fullmatch(r"[a-z0-9-]+", v) for v in values)  # svc
    assert any(re.fullmatch(r"[a-z0-9-]+:\d+", v) for v in values)  # svc:port
    assert any(re.fullmatch(r"[a-z0-9-]+\.[a-z0-9-]+(:\d+)?", v) for v in values)  # svc.ns
    assert any(v.endswith(".svc.cluster.local:8080") for v in values)
    assert any(v.startswith("http://") for v in values)
    assert any(v.startswith("jdbc:postgresql://") for v in values)
    assert any(v.startswith("redis://") for v in values)
    assert any("," in v for v in values)
    assert any(".svc.clusterset.local" in v for v in values)


def test_nothing_secret_is_kept() -> None:
    inv = estate().plan.inventory
    raw_secrets = [*PASSWORDS, *(v for _, v in SECRET_ENV)]
    names: Counter[str] = Counter()
    for w in inv.workloads.values():
        for c in (*w.containers, *w.init_containers):
            for name, value in c.env.items():
                names[name] += 1
                if SECRET_NAME.search(name):
                    assert value == "", (w.key, name)
                if value:
                    assert parse_addresses(value) is not None, (w.key, name, value)
                    assert "@" not in value and "?" not in value, (w.key, name, value)
                    assert not any(s.lower() in value.lower() for s in raw_secrets)
    assert names["LOG_LEVEL"] and any(SECRET_NAME.search(n) for n in names)  # names stay
    for name, _ in PLAIN_ENV:
        assert all(c.env.get(name, "") == "" for w in inv.workloads.values() for c in w.containers)


def test_schedule_and_assumptions() -> None:
    plan = estate().plan
    phases = plan.schedule.phases
    assert [p.name for p in phases] == ["Foundation", "Pilot", "Core", "Optimization"]
    assert all(a.end + timedelta(days=1) == b.start for a, b in pairwise(phases))
    waves = plan.schedule.waves
    assert len(waves) >= 3 and all(w.members for w in waves)
    for wave in waves:
        phase = plan.schedule.phase(wave.phase)
        assert phase.start <= wave.start <= wave.end <= phase.end
        assert all(plan.inventory.workloads[k].kind == "Deployment" for k in wave.members)
    assert 0 < len(plan.schedule.assigned()) < len(plan.inventory.workloads)
    assert plan.assumptions.overhead.name == "istio-defaults"
    assert plan.assumptions.case == "estate" and len(plan.assumptions.benefit_lines) == 9
    assert plan.meta.created and plan.meta.created == plan.meta.modified


def test_clusters_have_node_summaries() -> None:
    inv = estate().plan.inventory
    for cluster in inv.clusters.values():
        nodes = cluster.nodes
        assert nodes.count >= 3 and nodes.allocatable_cpu_m > 0
        assert nodes.allocatable_memory_bytes > 0 and nodes.kubelet_versions
        pods = sum(w.pods for w in inv.workloads.values() if w.cluster == cluster.name)
        assert pods <= nodes.count * 110  # Kubernetes' default pod limit per node
