"""Call-graph analysis: cycles, layers, heights, fan-in/out, entry points, chains."""

from __future__ import annotations

from tests.domain.planning_plans import full, make_plan
from workbench.domain.inventory import Ingress, Service
from workbench.domain.planning.graph import CallGraph


def _graph() -> CallGraph:
    # web -> api -> db ; api <-> cache (a cycle) ; batch -> db ; vanished is ignored
    plan = make_plan(
        ["web", "api", "cache", "db", "batch", "gone"],
        [
            ("web", "api"),
            ("api", "db"),
            ("api", "cache"),
            ("cache", "api"),
            ("batch", "db"),
            ("gone", "db"),
        ],
    )
    plan.inventory.workloads[full("gone")].vanished = True
    return CallGraph(plan)


def test_components_and_cycles() -> None:
    g = _graph()
    assert g.cycles() == [(full("api"), full("cache"))]
    assert g.component(full("cache")) == (full("api"), full("cache"))
    assert full("gone") not in g.component_of


def test_layers_from_entry_side_and_heights_from_leaves() -> None:
    g = _graph()
    assert g.layer_of(full("web")) == 0 and g.layer_of(full("batch")) == 0
    assert g.layer_of(full("api")) == 1 and g.layer_of(full("db")) == 2
    assert g.height_of(full("db")) == 0 and g.height_of(full("cache")) == 1
    assert g.height_of(full("web")) == 2
    assert g.layers()[0] == [full("batch"), full("web")]


def test_fan_in_and_fan_out() -> None:
    g = _graph()
    assert g.fan_in(full("db")) == 2  # the vanished caller does not count
    assert g.fan_out(full("api")) == 2
    assert g.fan_in(full("web")) == 0


def test_entry_points_and_exposure() -> None:
    plan = make_plan(["web", "api", "admin", "lb"], [("web", "api"), ("admin", "api")])
    inv = plan.inventory
    inv.add_service(Service("c1", "shop", "api", selector={"app": "api"}))
    inv.add_service(Service("c1", "shop", "lb", type="LoadBalancer", selector={"app": "lb"}))
    inv.ingresses.append(Ingress("c1", "shop", "ing", ingress_class="nginx", backends=["api"]))
    g = CallGraph(plan)
    assert g.exposed == {full("api"), full("lb")}
    assert g.entry_points == {full("web"), full("admin"), full("api"), full("lb")}
    inv.ingresses[0].ingress_class = "istio"  # the Istio gateway is in the mesh
    assert CallGraph(plan).exposed == {full("lb")}


def test_longest_chains_from_entry_points() -> None:
    g = _graph()
    chains = g.longest_chains()
    assert chains[0].entry == full("web")
    assert chains[0].keys == (full("web"), full("api"), full("db"))
    assert chains[0].length == 2
    assert [c.entry for c in chains] == [full("web"), full("batch")]


def test_cross_cluster_peers() -> None:
    plan = make_plan(["a", "c2/shop/b", "c"], [("a", "c2/shop/b"), ("c", "a")])
    g = CallGraph(plan)
    assert g.cross_cluster_peers(full("a")) == [full("c2/shop/b")]
    assert g.cross_cluster_peers(full("c")) == []
