"""Re-import into an existing plan: the planning survives, the estate is refreshed."""

from __future__ import annotations

import copy
from datetime import date

from workbench.domain.dependencies import Dependencies, Edge, Evidence
from workbench.domain.discovery import discover_dependencies
from workbench.domain.inventory import Container, ImportGap, Inventory, Service, Workload
from workbench.domain.merge import add_edges, merge_import
from workbench.domain.plan import Plan
from workbench.domain.schedule import Wave


def _inv(cluster: str, names: list[str], env: dict[str, dict[str, str]] | None = None) -> Inventory:
    inv = Inventory()
    for name in names:
        ns = "apps" if not name.startswith("x-") else "extra"
        inv.add_service(Service(cluster, ns, name, selector={"app": name}))
        containers = [Container("c", env=(env or {}).get(name, {}))]
        inv.add_workload(
            Workload(cluster, ns, "Deployment", name, labels={"app": name}, containers=containers)
        )
    from workbench.domain.inventory import Cluster

    inv.clusters[cluster] = Cluster(cluster)
    return inv


def key(name: str, cluster: str = "c1", ns: str = "apps") -> str:
    return f"{cluster}/{ns}/Deployment/{name}"


def _plan() -> Plan:
    inv = _inv("c1", ["a", "b", "c", "x-d"], {"a": {"B_URL": "http://b"}, "b": {"C": "c:80"}})
    other = _inv("c2", ["z"])
    inv.workloads.update(other.workloads)
    inv.services.update(other.services)
    inv.clusters.update(other.clusters)
    plan = Plan(inventory=inv)
    plan.dependencies = discover_dependencies(inv)
    plan.dependencies.add(
        Edge(key("c"), key("a"), [Evidence("manual", "by hand")], 1.0, manual=True)
    )
    plan.dependencies.add(
        Edge(key("c"), key("b"), [Evidence("kiali", "graph")], 0.99, requests_per_second=12.5)
    )
    plan.schedule.insert_wave(
        Wave(
            "wave-01",
            "Pilot",
            "pilot",
            date(2027, 1, 1),
            date(2027, 2, 1),
            members=[key("a"), key("c"), key("z", "c2")],
        )
    )
    return plan


def test_assignments_and_hand_made_edges_survive_new_and_vanished_workloads_are_marked() -> None:
    plan = _plan()
    before = copy.deepcopy(plan)
    # newer estate: c is gone, e is new, a no longer calls b but calls e
    newer = _inv("c1", ["a", "b", "e", "x-d"], {"a": {"E": "e:80"}, "b": {"C": "c:80"}})
    merged, report = merge_import(plan, newer)
    assert plan == before  # the input plan is untouched
    assert report.added == [key("e")] and report.vanished == [key("c")]
    assert merged.inventory.workloads[key("c")].vanished
    assert not merged.inventory.workloads[key("a")].vanished
    assert merged.schedule.wave("wave-01").members == [key("a"), key("c"), key("z", "c2")]
    assert key("e") in merged.unassigned() and key("c") not in merged.unassigned()
    edges = merged.dependencies.edges
    assert (key("a"), key("b")) not in edges  # inferred, no longer stated
    assert (key("a"), key("e")) in edges  # newly stated
    assert edges[(key("c"), key("a"))].manual  # hand-made survives
    assert edges[(key("c"), key("b"))].requests_per_second == 12.5  # telemetry survives
    assert (key("b"), key("c")) not in edges  # c vanished: the env address no longer resolves
    assert any(
        u.workload == key("b") and u.address == "c:80" for u in merged.dependencies.unresolved
    )
    # other clusters are left alone
    assert key("z", "c2") in merged.inventory.workloads
    assert not merged.inventory.workloads[key("z", "c2")].vanished
    assert "c2/apps/z" in merged.inventory.services


def test_a_vanished_workload_that_returns_loses_the_flag() -> None:
    plan, _ = merge_import(_plan(), _inv("c1", ["a", "b", "x-d"]))
    again, report = merge_import(plan, _inv("c1", ["a", "b", "c", "x-d"]))
    assert report.returned == [key("c")] and not again.inventory.workloads[key("c")].vanished


def test_namespace_scoped_import_and_gaps_do_not_flag_the_unread() -> None:
    partial = _inv("c1", ["a", "b"])
    merged, report = merge_import(_plan(), partial, namespaces=["apps"])
    assert report.vanished == [key("c")]
    assert not merged.inventory.workloads[key("x-d", ns="extra")].vanished
    gapped = _inv("c1", ["a", "b", "c"])
    gapped.gaps.append(ImportGap("c1", "deployments", "403 Forbidden", namespace="extra"))
    merged, report = merge_import(_plan(), gapped)
    assert report.vanished == []


def test_manual_edges_win_over_inferred_ones() -> None:
    plan = _plan()
    plan.dependencies.edges[(key("a"), key("b"))].manual = True
    plan.dependencies.edges[(key("a"), key("b"))].confidence = 0.4
    merged, _ = merge_import(plan, _inv("c1", ["a", "b", "c", "x-d"], {"a": {"B": "b:80"}}))
    edge = merged.dependencies.edges[(key("a"), key("b"))]
    assert edge.manual and edge.confidence == 0.4
    assert {e.detail for e in edge.evidence} >= {"env B in Deployment a"}


def test_add_edges_accumulates_evidence_and_keeps_manual_confidence() -> None:
    deps = Dependencies()
    deps.add(Edge("a", "b", [Evidence("env", "x")], 0.9))
    deps.add(Edge("a", "c", [Evidence("manual", "m")], 0.3, manual=True))
    added, updated = add_edges(
        deps,
        [
            Edge("a", "b", [Evidence("prometheus", "p")], 0.99, requests_per_second=3.0),
            Edge("a", "c", [Evidence("kiali", "k")], 0.99),
            Edge("b", "c", [Evidence("csv", "row 2")], 1.0, manual=True),
        ],
    )
    assert (added, updated) == (1, 2)
    ab = deps.edges[("a", "b")]
    assert ab.confidence == 0.99 and ab.requests_per_second == 3.0 and len(ab.evidence) == 2
    assert deps.edges[("a", "c")].confidence == 0.3
