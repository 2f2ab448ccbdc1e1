"""Edge routes go around the boxes they would otherwise cross, and stay short."""

from __future__ import annotations

import itertools
import math
import random

import numpy as np

from workbench.ops.graph_layout import EdgeRef, GraphInput, WorkloadRef, compute_layout
from workbench.ops.graph_routes import MAX_BOXES, Box, EdgeRouter, cross_matrix, crosses


def _length(points: list[tuple[float, float]]) -> float:
    return sum(math.dist(a, b) for a, b in itertools.pairwise(points))


def test_crossing_is_the_inside_of_a_box_only() -> None:
    box = Box(0, 0, 10, 10)
    assert crosses((-5, 5), (15, 5), box)
    assert crosses((5, 5), (5, 50), box)  # starts inside
    assert not crosses((-5, -1), (15, -1), box)  # passes above
    assert not crosses((0, 0), (10, 0), box)  # slides along the border
    assert not crosses((-5, 30), (30, 30), box)


def test_a_blocked_edge_bends_around_the_box_and_a_free_one_stays_straight() -> None:
    router = EdgeRouter(
        {"a": Box(0, 0, 10, 10), "mid": Box(40, -20, 60, 30), "b": Box(90, 0, 100, 10)}
    )
    route = router.route((5, 5), (95, 5), skip={"a", "b"})
    assert route[0] == (5, 5) and route[-1] == (95, 5) and len(route) > 2
    for p, q in itertools.pairwise(route):
        assert not crosses(p, q, router.boxes["mid"])
    # around the short side (the top, 25 up), not the long one (30 down)
    assert all(y <= 5 for _, y in route)
    assert _length(route) < 90 + 2 * 26 + 1
    assert router.route((5, 40), (95, 40), skip={"a", "b"}) == [(5, 40), (95, 40)]


def test_the_edges_own_boxes_do_not_block_it() -> None:
    router = EdgeRouter({"a": Box(0, 0, 50, 50), "b": Box(100, 0, 150, 50)})
    assert router.route((10, 10), (140, 40), skip={"a", "b"}) == [(10, 10), (140, 40)]


def test_large_layouts_keep_straight_edges() -> None:
    boxes = {str(i): Box(i * 20, 0, i * 20 + 10, 10) for i in range(MAX_BOXES + 1)}
    router = EdgeRouter(boxes)
    assert not router.enabled
    assert router.route((-5, 5), (2000, 5)) == [(-5, 5), (2000, 5)]


def test_routes_on_a_laid_out_graph_avoid_every_third_namespace() -> None:
    workloads = [
        WorkloadRef(f"c/ns{n}/Deployment/w{n}{i}", f"c/ns{n}", f"w{n}{i}", "Deployment")
        for n in range(6)
        for i in range(4)
    ]
    edges = [
        EdgeRef(workloads[a].key, workloads[b].key, ("env",), False, None)
        for a, b in ((0, 23), (1, 17), (5, 22), (9, 2), (13, 20), (3, 11), (21, 6))
    ]
    layout = compute_layout(GraphInput(tuple(workloads), tuple(edges)))
    router = EdgeRouter.for_layout(layout)
    assert router.enabled
    for edge in edges:
        a, b = layout.nodes[edge.caller], layout.nodes[edge.callee]
        skip = {a.namespace, b.namespace}
        route = router.route(a.centre, b.centre, skip)
        for key, box in router.boxes.items():
            if key in skip:
                continue
            for p, q in itertools.pairwise(route):
                assert not crosses(p, q, box), (edge, key)


def test_the_table_of_crossings_agrees_with_one_at_a_time() -> None:
    rng = random.Random(5)
    boxes = [
        Box(x, y, x + rng.uniform(5, 60), y + rng.uniform(5, 60))
        for x, y in ((rng.uniform(0, 200), rng.uniform(0, 200)) for _ in range(15))
    ]
    segments = [
        (
            (rng.uniform(-20, 260), rng.uniform(-20, 260)),
            (rng.uniform(-20, 260), rng.uniform(-20, 260)),
        )
        for _ in range(300)
    ]
    segments += [((10.0, 10.0), (10.0, 90.0)), ((0.0, 50.0), (250.0, 50.0))]  # flat ones
    table = cross_matrix(
        np.array([a for a, _ in segments]),
        np.array([b for _, b in segments]),
        np.array([(b.x0, b.y0, b.x1, b.y1) for b in boxes]),
    )
    expected = [[crosses(a, b, box) for box in boxes] for a, b in segments]
    assert table.tolist() == expected
    assert table.any() and not table.all()
