"""Dependency discovery: address forms, resolution, unresolved addresses, ground truth."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.io.estate_objects import inventory_objects
from workbench.domain.discovery import (
    CONFIDENCE_NETWORK_POLICY,
    discover_dependencies,
)
from workbench.domain.inventory import (
    Container,
    Inventory,
    Namespace,
    NetworkPolicy,
    NetworkPolicyRule,
    PolicyPeer,
    Service,
    ServicePort,
    Workload,
)
from workbench.domain.merge import merge_import
from workbench.io.k8s_objects import InventoryBuilder
from workbench.io.manifest_files import load_manifest_file
from workbench.ops.import_files import new_plan


def _estate() -> Inventory:
    inv = Inventory()
    for ns in ("shop", "data", "other"):
        inv.add_namespace(Namespace("c1", ns, labels={"team": ns}))
    for ns, name, port in (("shop", "orders", 8080), ("data", "pg", 5432), ("data", "kafka", 9092)):
        inv.add_service(Service("c1", ns, name, ports=[ServicePort(port)], selector={"app": name}))
        inv.add_workload(Workload("c1", ns, "Deployment", name, labels={"app": name}))
    inv.add_service(
        Service("c1", "data", "kafka-headless", headless=True, selector={"app": "kafka"})
    )
    inv.add_service(Service("c1", "shop", "manual", ports=[ServicePort(80)]))
    inv.add_service(Service("c1", "shop", "ghost", selector={"app": "ghost"}))
    inv.add_service(
        Service(
            "c1", "shop", "alias", type="ExternalName", external_name="pg.data.svc.cluster.local"
        )
    )
    inv.add_service(
        Service("c1", "shop", "stripe", type="ExternalName", external_name="api.stripe.com")
    )
    return inv


def _caller(inv: Inventory, env: dict[str, str], name: str = "web", ns: str = "shop") -> str:
    w = Workload(
        "c1", ns, "Deployment", name, labels={"app": name}, containers=[Container("app", env=env)]
    )
    inv.add_workload(w)
    return w.key


ORDERS, PG, KAFKA = "c1/shop/Deployment/orders", "c1/data/Deployment/pg", "c1/data/Deployment/kafka"


@pytest.mark.parametrize(
    ("value", "callee", "confidence"),
    [
        ("orders", ORDERS, 0.85),
        ("orders:8080", ORDERS, 0.95),
        ("orders.shop", ORDERS, 0.9),
        ("orders.shop.svc", ORDERS, 0.9),
        ("orders.shop.svc.cluster.local:8080", ORDERS, 0.95),
        ("http://orders.shop:8080", ORDERS, 0.95),
        ("http://orders", ORDERS, 0.95),
        ("orders:9999", ORDERS, 0.6),
        ("jdbc:postgresql://pg.data:5432", PG, 0.95),
        ("redis://pg.data.svc.cluster.local:5432", PG, 0.95),
        ("kafka-0.kafka-headless.data.svc.cluster.local:9092", KAFKA, 0.95),
        ("kafka-0.kafka-headless.data:9092", KAFKA, 0.95),
        ("alias:5432", PG, 0.95),
    ],
)
def test_address_forms_resolve_to_the_selected_workload(
    value: str, callee: str, confidence: float
) -> None:
    inv = _estate()
    web = _caller(inv, {"TARGET_URL": value})
    deps = discover_dependencies(inv)
    assert list(deps.edges) == [(web, callee)]
    edge = deps.edges[(web, callee)]
    assert edge.confidence == confidence
    assert edge.evidence[0].kind == "env" and edge.evidence[0].detail.startswith(
        "env TARGET_URL in Deployment web"
    )
    assert deps.unresolved == []


def test_lists_give_one_edge_per_service() -> None:
    inv = _estate()
    web = _caller(
        inv,
        {
            "UPSTREAMS": "orders:8080,pg.data:5432",
            "MONGO": "mongodb://pg.data:5432,kafka.data:9092",
        },
    )
    assert set(discover_dependencies(inv).edges) == {(web, ORDERS), (web, PG), (web, KAFKA)}


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("zipkin.jaeger.svc.cluster.local", "no Service jaeger/zipkin in cluster c1"),
        ("nothing:80", "no Service shop/nothing in cluster c1"),
        ("api.example.com", "not a Service in cluster c1"),
        ("manual:80", "Service shop/manual has no selector"),
        ("ghost", "Service shop/ghost selects no workload"),
        ("stripe", "Service shop/stripe points outside: api.stripe.com"),
        ("10.0.0.7:80", "an IP address"),
    ],
)
def test_addresses_naming_nothing_are_unresolved_never_edges(value: str, reason: str) -> None:
    inv = _estate()
    web = _caller(inv, {"X_URL": value})
    deps = discover_dependencies(inv)
    assert deps.edges == {}
    assert len(deps.unresolved) == 1
    u = deps.unresolved[0]
    assert (u.workload, u.source) == (web, "env X_URL in Deployment web")
    assert u.reason.startswith(reason)


def test_local_hosts_and_self_references_are_ignored() -> None:
    inv = _estate()
    _caller(inv, {"A": "localhost:8080", "SELF": "orders:8080"}, name="orders")
    deps = discover_dependencies(inv)
    assert deps.edges == {} and deps.unresolved == []


def test_caller_cluster_is_used_and_clusterset_names_cross_clusters() -> None:
    inv = _estate()
    inv.add_service(Service("c2", "shop", "orders", selector={"app": "orders"}))
    inv.add_workload(Workload("c2", "shop", "Deployment", "orders", labels={"app": "orders"}))
    web = _caller(inv, {"A": "orders:8080", "B": "pg.data.svc.clusterset.local:5432"})
    assert set(discover_dependencies(inv).edges) == {(web, ORDERS), (web, PG)}
    w2 = Workload(
        "c2",
        "shop",
        "Deployment",
        "web",
        containers=[Container("a", env={"X": "orders.shop.svc.clusterset.local"})],
    )
    inv.add_workload(w2)
    assert {e for e in discover_dependencies(inv).edges if e[0] == w2.key} == {
        (w2.key, ORDERS),
        (w2.key, "c2/shop/Deployment/orders"),
    }


def test_configmap_addresses_give_lower_confidence_edges() -> None:
    inv = _estate()
    web = _caller(inv, {})
    inv.workloads[web].config_addresses = {"configmap cfg/db.url": "jdbc:postgresql://pg.data:5432"}
    edge = discover_dependencies(inv).edges[(web, PG)]
    assert edge.evidence[0].kind == "configmap" and edge.confidence == pytest.approx(0.9)
    assert edge.evidence[0].detail == "configmap cfg/db.url in Deployment web"


def test_network_policy_rules_naming_callers() -> None:
    inv = _estate()
    web = _caller(inv, {})
    rule = NetworkPolicyRule(
        [PolicyPeer(pod_selector={"app": "web"}, namespace_selector={"team": "shop"})]
    )
    broad = NetworkPolicyRule(
        [PolicyPeer(namespace_selector={}), PolicyPeer(ip_block="10.0.0.0/8")]
    )
    inv.network_policies.append(
        NetworkPolicy(
            "c1",
            "data",
            "pg-ingress",
            pod_selector={"app": "pg"},
            policy_types=["Ingress"],
            ingress_rules=[rule, broad],
        )
    )
    deps = discover_dependencies(inv)
    assert list(deps.edges) == [(web, PG)]
    assert deps.edges[(web, PG)].confidence == CONFIDENCE_NETWORK_POLICY
    assert deps.edges[(web, PG)].evidence[0].kind == "networkpolicy"
    inv.workloads[web].containers[0].env["PG"] = "pg.data:5432"  # stated too: confidence rises
    edge = discover_dependencies(inv).edges[(web, PG)]
    assert edge.confidence == 0.95 and {e.kind for e in edge.evidence} == {"env", "networkpolicy"}
    assert (
        discover_dependencies(inv, network_policies=False).edges[(web, PG)].evidence[0].kind
        == "env"
    )


def _import(path: Path, namespace: str = "default") -> Inventory:
    builder = InventoryBuilder("c1", default_namespace=namespace)
    builder.add_many(load_manifest_file(str(path)).objects)
    return builder.result().inventory


def test_sock_shop_finds_what_its_env_states(shared_dir: Path) -> None:
    corpus = shared_dir / "corpora/sock-shop"
    deps = discover_dependencies(_import(corpus / "manifests/complete-demo.yaml"))
    expected = json.loads((corpus / "expected-graph.json").read_text())
    env_stated = {
        (e["from"], e["to"])
        for e in expected["edges"] + expected["edges_source_only_not_documented"]
        if "env" in e["provenance"] and any("env mongo=" in ev for ev in e["evidence"])
    }
    assert env_stated == {("user", "user-db")}
    found = {(a.split("/")[-1], b.split("/")[-1]) for a, b in deps.edges}
    assert found == env_stated
    edge = next(iter(deps.edges.values()))
    assert edge.via_service == "c1/sock-shop/user-db"
    assert edge.evidence[0].detail == "env mongo in Deployment user"
    # SESSION_REDIS=true names no host; the zipkin address names a namespace not in the file
    assert [(u.workload, u.address) for u in deps.unresolved] == [
        ("c1/sock-shop/Deployment/shipping", "zipkin.jaeger.svc.cluster.local")
    ]


def test_bookinfo_states_no_address_so_no_edges(shared_dir: Path) -> None:
    inv = _import(shared_dir / "corpora/bookinfo/manifests/bookinfo.yaml", "bookinfo")
    assert len(inv.workloads) == 6
    deps = discover_dependencies(inv)
    assert deps.edges == {} and deps.unresolved == []


@pytest.mark.parametrize(("workloads", "clusters"), [(600, 1), (900, 3)])
def test_generated_estate_precision_and_recall_through_the_importer(
    workloads: int, clusters: int
) -> None:
    """Render a generated estate to Kubernetes objects, import it cluster by cluster
    (merging each into the plan) and compare the edges with the estate's ground truth."""
    from workbench.ops.generate import generate_estate

    estate = generate_estate(workloads, clusters=clusters, seed=11)
    inv = estate.plan.inventory
    plan = None
    for cluster in inv.clusters:
        builder = InventoryBuilder(cluster)
        builder.add_many(inventory_objects(inv, cluster))
        imported = builder.result().inventory
        if plan is None:
            plan = new_plan("generated")
            plan.inventory = imported
            plan.dependencies = discover_dependencies(imported)
        else:
            plan, _ = merge_import(plan, imported)
    assert plan is not None
    found, truth = set(plan.dependencies.edges), estate.truth
    assert len(truth) > workloads
    precision = len(found & truth) / len(found)
    recall = len(found & truth) / len(truth)
    assert precision >= 0.95 and recall >= 0.95, (precision, recall)
    # discovery straight on the generator's (already sanitised) inventory agrees
    direct = discover_dependencies(inv)
    assert set(direct.edges) == found
