"""The dependency graph layout: complete, overlap-free, layered, collapsible, cancellable."""

from __future__ import annotations

import itertools
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.ops.graph_estates import assert_tidy, overlap
from workbench.domain.dependencies import Edge, Evidence
from workbench.domain.jobs import CancelToken, JobCancelled
from workbench.domain.plan import Plan
from workbench.io.plan_file import load_plan
from workbench.ops.generate import generate_plan
from workbench.ops.graph_layout import (
    COLLAPSE_THRESHOLD,
    EdgeRef,
    GraphInput,
    GraphLayout,
    LayoutOptions,
    call_graph,
    compute_layout,
    edge_style,
    edge_width,
    graph_input,
    namespace_counts,
    visible_edges,
)
from workbench.ops.graph_packing import Size, feedback_order, layered_layout


def _ns(key: str) -> str:
    return "/".join(key.split("/")[:2])


@pytest.fixture(scope="module")
def sample(sample_plan_path: Path) -> Plan:
    return load_plan(sample_plan_path)


@pytest.fixture(scope="module")
def large() -> Plan:
    return generate_plan(1200, 2, seed=3)


def test_sample_plan_is_laid_out_whole_and_tidy(sample: Plan) -> None:
    layout = compute_layout(graph_input(sample))
    assert not layout.collapsed
    assert set(layout.nodes) == set(sample.inventory.workloads)
    assert set(layout.groups) == {w.namespace_key for w in sample.inventory.workloads.values()}
    assert {(e.source, e.target) for e in layout.edges} == set(sample.dependencies.edges)
    assert_tidy(layout)
    assert 0.8 < layout.width / layout.height < 3.0  # fills a wide page, not a ribbon


def test_layout_is_deterministic(sample: Plan) -> None:
    first = compute_layout(graph_input(sample))
    second = compute_layout(graph_input(sample))
    assert first == second


def test_callers_sit_left_of_callees_in_a_chain() -> None:
    sizes = {k: Size(80, 20) for k in "abcd"}
    edges = {("a", "b"): 1.0, ("b", "c"): 1.0, ("c", "d"): 1.0}
    spots, page, _, _, layer = layered_layout(sizes, edges, aspect=8.0)
    xs = [spots[k][0] for k in "abcd"]
    assert xs == sorted(xs) and len(set(xs)) == 4
    assert [layer[k] for k in "abcd"] == [0, 1, 2, 3]
    assert page.width == pytest.approx(xs[-1] + 80)


def test_a_fat_layer_splits_into_cells_inside_its_own_slab() -> None:
    sizes = {f"n{i:02d}": Size(100, 20) for i in range(40)}
    sizes["caller"] = Size(100, 20)
    edges = {("caller", f"n{i:02d}"): 1.0 for i in range(40)}
    spots, page, slots, _, _ = layered_layout(sizes, edges, aspect=1.6)
    assert set(slots.values()) == {100.0}
    callees = [spots[f"n{i:02d}"][0] for i in range(40)]
    assert len(set(callees)) > 1  # several cells side by side
    assert min(callees) > spots["caller"][0] + 100  # all of them right of the caller
    assert 0.5 < page.width / page.height < 4
    rects = [(x, y, 100.0, 20.0) for x, y in spots.values()]
    assert not any(overlap(a, b) for a, b in itertools.combinations(rects, 2))


def test_groups_are_boxes_around_their_members_and_neveroverlap() -> None:
    sizes = {f"{g}{i}": Size(90, 22) for g in "abc" for i in range(4)}
    groups = {k: k[0] for k in sizes}
    edges = {("a0", "b0"): 1.0, ("b0", "c0"): 1.0, ("c1", "a1"): 1.0, ("a2", "a3"): 1.0}
    spots, _, _, boxes, _ = layered_layout(sizes, edges, groups, titles={"a": 300.0})
    assert set(boxes) == {"a", "b", "c"}
    for key, (x, y) in spots.items():
        bx, by, bw, bh = boxes[groups[key]]
        assert bx < x and x + 90 < bx + bw and by < y and y + 22 < by + bh, key
    for a, b in itertools.combinations(boxes.values(), 2):
        assert not overlap(a, b)
    assert boxes["a"][2] >= 300  # room for the title
    for a, b in edges:
        assert spots[a][0] + 90 < spots[b][0], (a, b)


def test_feedback_order_is_topological_for_a_dag_and_breaks_cycles_cheaply() -> None:
    dag = [("a", "b", 1.0), ("a", "c", 1.0), ("b", "d", 1.0), ("c", "d", 1.0), ("d", "e", 1.0)]
    order = feedback_order(list("edcba"), dag)
    rank = {v: i for i, v in enumerate(order)}
    assert all(rank[a] < rank[b] for a, b, _ in dag)
    # a heavy cycle a->b->c and a light edge back c->a: only the light edge points back
    cycle = [("a", "b", 5.0), ("b", "c", 5.0), ("c", "a", 1.0)]
    order = feedback_order(["a", "b", "c"], cycle)
    rank = {v: i for i, v in enumerate(order)}
    backward = [(a, b) for a, b, _ in cycle if rank[a] > rank[b]]
    assert backward == [("c", "a")]


def test_large_graph_collapses_to_namespaces_with_call_counts(large: Plan) -> None:
    graph = graph_input(large)
    assert len(graph.workloads) > COLLAPSE_THRESHOLD
    layout = compute_layout(graph)
    spaces = set(namespace_counts(graph))
    assert layout.collapsed == spaces and set(layout.nodes) == spaces and not layout.groups
    assert sum(n.members for n in layout.nodes.values()) == len(large.inventory.workloads)
    expected = Counter((_ns(a), _ns(b)) for a, b in large.dependencies.edges if _ns(a) != _ns(b))
    assert {(e.source, e.target): e.count for e in layout.edges} == dict(expected)
    assert all(e.style == "aggregate" for e in layout.edges)
    heavy = max(layout.edges, key=lambda e: e.count)
    light = min(layout.edges, key=lambda e: e.count)
    assert heavy.width > light.width
    assert call_graph(layout).number_of_edges() == len(expected)


def test_expanding_one_namespace_shows_its_workloads(large: Plan) -> None:
    graph = graph_input(large)
    counts = namespace_counts(graph)
    target = max(counts, key=lambda k: counts[k])
    layout = compute_layout(graph, LayoutOptions(expanded=frozenset({target})))
    assert target in layout.groups and target not in layout.collapsed
    members = {w.key for w in graph.workloads if w.namespace == target}
    assert members <= set(layout.nodes)
    assert all(layout.node_of[k] == k for k in members)
    # a call from an expanded workload into a collapsed namespace lands on that namespace
    for e in layout.edges:
        assert e.source in layout.nodes and e.target in layout.nodes
    # and folding it again while the rest is expanded works the other way round
    folded = compute_layout(graph, LayoutOptions(collapse=False, folded=frozenset({target})))
    assert folded.collapsed == {target} and len(folded.groups) == len(counts) - 1


def test_namespace_filter_hides_the_rest(sample: Plan) -> None:
    graph = graph_input(sample)
    keep = frozenset(sorted(namespace_counts(graph))[:3])
    layout = compute_layout(graph, LayoutOptions(namespaces=keep))
    assert set(layout.groups) == keep
    assert {n.namespace for n in layout.nodes.values()} == keep
    inside = {(a, b) for a, b in sample.dependencies.edges if _ns(a) in keep and _ns(b) in keep}
    assert {(e.source, e.target) for e in layout.edges} == inside


def test_edge_style_follows_the_strongest_evidence() -> None:
    assert edge_style(("env",), False) == "static"
    assert edge_style(("configmap",), False) == "static"
    assert edge_style(("networkpolicy",), False) == "policy"
    assert edge_style(("csv",), False) == "listed"
    assert edge_style(("env", "prometheus"), False) == "traffic"
    assert edge_style(("kiali", "networkpolicy"), False) == "traffic"
    assert edge_style(("env",), True) == "manual"
    assert edge_style(("manual",), False) == "manual"
    assert (
        edge_width("traffic", 1, 1000.0)
        > edge_width("traffic", 1, 10.0)
        > edge_width("traffic", 1, None)
    )
    assert edge_width("aggregate", 50) > edge_width("aggregate", 2) > edge_width("aggregate", 1)
    assert edge_width("manual") > edge_width("static") == edge_width("policy")


def test_visible_edges_sum_what_a_collapsed_namespace_hides() -> None:
    refs = (
        EdgeRef("c/a/Deployment/x", "c/b/Deployment/y", ("env",), False, 10.0),
        EdgeRef("c/a/Deployment/z", "c/b/Deployment/w", ("kiali",), True, 5.0),
        EdgeRef("c/a/Deployment/x", "c/a/Deployment/z", ("env",)),  # inside a: not drawn
        EdgeRef("c/a/Deployment/x", "c/hidden/Deployment/q", ("env",)),  # filtered out
    )
    node_of = {
        "c/a/Deployment/x": "c/a/Deployment/x",
        "c/a/Deployment/z": "c/a/Deployment/z",
        "c/b/Deployment/y": "c/b",
        "c/b/Deployment/w": "c/b",
    }
    edges = {(e.source, e.target): e for e in visible_edges(refs, node_of)}
    assert set(edges) == {
        ("c/a/Deployment/x", "c/b"),
        ("c/a/Deployment/z", "c/b"),
        ("c/a/Deployment/x", "c/a/Deployment/z"),
    }
    both = visible_edges(refs[:2], {k: _ns(k) for k in node_of})
    assert len(both) == 1
    merged = both[0]
    assert (merged.count, merged.kinds, merged.manual) == (2, ("env", "kiali"), True)
    assert merged.requests_per_second == pytest.approx(15.0)


def test_snapshot_reflects_the_plan_and_edits(sample: Plan) -> None:
    plan = load_plan_copy(sample)
    graph = graph_input(plan)
    assert [w.key for w in graph.workloads] == sorted(plan.inventory.workloads)
    a, b = sorted(plan.inventory.workloads)[:2]
    plan.dependencies.add(Edge(a, b, [Evidence("manual", "by hand")], manual=True))
    again = graph_input(plan)
    added = [r for r in again.edges if (r.caller, r.callee) == (a, b)]
    assert added and added[0].manual and added[0].kinds == ("manual",)
    assert len(graph.edges) == len(again.edges) - (0 if (a, b) in sample.dependencies.edges else 1)


def load_plan_copy(plan: Plan) -> Plan:
    import copy

    return copy.deepcopy(plan)


def test_progress_rises_to_done_and_cancel_stops(large: Plan) -> None:
    graph = graph_input(large)
    seen: list[float] = []
    compute_layout(graph, LayoutOptions(), lambda f, _m: seen.append(f))
    assert seen == sorted(seen) and seen[0] == 0.0 and seen[-1] == 1.0
    token = CancelToken()
    token.cancel()
    with pytest.raises(JobCancelled):
        compute_layout(graph, LayoutOptions(), cancel=token)


def test_empty_plan_lays_out_to_nothing() -> None:
    layout = compute_layout(GraphInput((), ()))
    assert isinstance(layout, GraphLayout)
    assert not layout.nodes and not layout.edges and layout.width == 0


def test_five_thousand_workloads_collapse_quickly() -> None:
    graph = graph_input(generate_plan(5000, 3, seed=0))
    started = time.perf_counter()
    layout = compute_layout(graph)
    elapsed = time.perf_counter() - started
    assert layout.workload_count == 5000 and len(layout.nodes) == len(namespace_counts(graph))
    assert elapsed < 2.0, f"collapsed layout took {elapsed:.2f} s"


def test_a_long_cycle_is_squeezed_into_few_layers_not_a_ribbon() -> None:
    ring = [f"n{i:03d}" for i in range(100)]
    sizes = {k: Size(80, 20) for k in ring}
    edges = {(a, b): 1.0 for a, b in itertools.pairwise([*ring, ring[0]])}
    edges[("entry", ring[0])] = 1.0  # a caller outside the cycle stays left of it
    sizes["entry"] = Size(80, 20)
    spots, page, _, _, layer = layered_layout(sizes, edges, aspect=1.6)
    assert max(layer.values()) <= 11  # sqrt(100) layers for the cycle, one for its caller
    assert all(spots["entry"][0] + 80 < spots[k][0] for k in ring)
    assert page.width / page.height < 4
