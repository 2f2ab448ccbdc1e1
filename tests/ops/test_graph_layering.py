"""Callers left of callees on every estate we have, boxes or not, and routes that keep out
of every box and workload they do not start or end in."""

from __future__ import annotations

import itertools
from pathlib import Path

import networkx as nx
import pytest

from tests.conftest import require
from tests.ops.graph_estates import (
    BOUTIQUE_CALLS,
    CORPORA,
    assert_tidy,
    boutique_key,
    corpus_plan,
    online_boutique,
    synthetic,
)
from workbench.domain.plan import Plan
from workbench.io.plan_file import load_plan
from workbench.ops.generate import generate_plan
from workbench.ops.graph_layout import (
    GraphLayout,
    LayoutOptions,
    call_graph,
    compute_layout,
    graph_input,
    namespace_counts,
)
from workbench.ops.graph_routes import Box, LayoutRoutes, crosses


def assert_layered(layout: GraphLayout) -> int:
    """Every edge outside a cycle runs from its caller's right side to the callee's left;
    nodes and boxes never overlap and each workload sits inside its namespace's box.
    Returns how many edges were checked."""
    graph = call_graph(layout)
    component = {v: i for i, c in enumerate(nx.strongly_connected_components(graph)) for v in c}
    checked = 0
    for e in layout.edges:
        if component[e.source] == component[e.target]:
            continue  # inside a cycle: one of its edges has to point back
        a, b = layout.nodes[e.source], layout.nodes[e.target]
        assert a.x + a.width < b.x, f"{e.source} is not left of its callee {e.target}"
        checked += 1
    assert_tidy(layout)
    return checked


def assert_routed(layout: GraphLayout) -> int:
    """No route crosses a namespace box (or collapsed namespace) other than its own two,
    nor any workload other than its own two. Returns how many routes bend."""
    routes = LayoutRoutes(layout)
    assert routes.outer.enabled or len(routes.outer.boxes) <= 1
    boxes = {g.id: Box(g.x, g.y, g.x + g.width, g.y + g.height) for g in layout.groups.values()}
    boxes |= {n.id: Box(n.x, n.y, n.x + n.width, n.y + n.height) for n in layout.nodes.values()}
    bent = 0
    for e in layout.edges:
        a, b = layout.nodes[e.source], layout.nodes[e.target]
        own = {a.id, b.id, a.namespace, b.namespace}
        route = routes.route(a, b)
        assert route[0] == a.centre and route[-1] == b.centre
        bent += len(route) > 2
        for key, box in boxes.items():
            if key not in own:
                for p, q in itertools.pairwise(route):
                    assert not crosses(p, q, box), f"{e.source} -> {e.target} runs under {key}"
    return bent


@pytest.fixture(scope="module")
def sample(sample_plan_path: Path) -> Plan:
    return load_plan(sample_plan_path)


def test_the_sample_plan_reads_left_to_right(sample: Plan) -> None:
    layout = compute_layout(graph_input(sample))
    assert not layout.collapsed and len(layout.groups) == 12
    assert assert_layered(layout) > 150
    assert assert_routed(layout) > 0  # some edges had to go around a box


@pytest.mark.parametrize("name", CORPORA)
def test_every_corpus_reads_left_to_right(shared_dir: Path, name: str) -> None:
    require((shared_dir / "corpora" / name).is_dir(), f"the {name} corpus")
    plan = corpus_plan(shared_dir, name)
    layout = compute_layout(graph_input(plan))
    assert set(layout.nodes) == set(plan.inventory.workloads)
    checked = assert_layered(layout)
    assert_routed(layout)
    if name in ("bookinfo", "sock-shop", "kiali-graph"):
        assert checked >= 5


def test_online_boutique_reads_left_to_right_and_around_its_workloads() -> None:
    layout = compute_layout(graph_input(online_boutique()))
    assert assert_layered(layout) == sum(len(c) for c in BOUTIQUE_CALLS.values())
    assert_routed(layout)
    x = {name: layout.nodes[boutique_key(name)].x for name in ("loadgenerator", "frontend")}
    assert x["loadgenerator"] < x["frontend"] < layout.nodes[boutique_key("cartservice")].x
    assert layout.nodes[boutique_key("cartservice")].x < layout.nodes[boutique_key("redis-cart")].x


@pytest.mark.parametrize(("shape", "least"), [("expanded", 200), ("collapsed", 5), ("one", 20)])
def test_a_synthetic_estate_reads_left_to_right(shape: str, least: int) -> None:
    graph = graph_input(synthetic())
    spaces = namespace_counts(graph)
    biggest = frozenset({max(spaces, key=lambda k: spaces[k])})
    options = {
        "expanded": LayoutOptions(),
        "collapsed": LayoutOptions(collapse=True),
        "one": LayoutOptions(collapse=True, expanded=biggest),
    }[shape]
    layout = compute_layout(graph, options)
    assert layout.workload_count == len(graph.workloads)
    assert bool(layout.groups) == (shape != "collapsed")
    assert assert_layered(layout) >= least
    assert_routed(layout)


def test_five_thousand_workloads_collapsed_read_left_to_right() -> None:
    layout = compute_layout(graph_input(generate_plan(5000, 3, seed=0)))
    assert layout.collapsed and not layout.groups
    assert assert_layered(layout) > 100
