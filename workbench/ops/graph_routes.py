"""Edge routes of the dependency graph that go around the namespace boxes, not under them.

An edge between two namespaces that would cross a third namespace's box (or a collapsed
namespace) bends around it: the shortest path through the corners of the boxes, each
box grown by a margin, found on the visibility graph of those corners (Dijkstra). The
boxes of the edge's own two namespaces do not block it. Straight edges stay straight.

Inside a namespace box, an edge between two of its workloads goes around the workloads
between them in the same way (:func:`inner_routers`), so no edge passes under a node.

The corner graph is built once per layout; a layout with more than :data:`MAX_BOXES`
boxes or :data:`MAX_EDGES` edges (a large estate) keeps straight edges, so routing never
stalls the view.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from workbench.ops.graph_layout import GraphLayout

Point = tuple[float, float]
MAX_BOXES = 40
MAX_EDGES = 1000  # beyond this many edges the picture is a texture: routes keep it no clearer
MARGIN = 9.0
NODE_MARGIN = 5.0  # stacked workloads (8 apart) stay one obstacle: no squeezing between
_EPS = 0.5


@dataclass(frozen=True, slots=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def corners(self) -> tuple[Point, Point, Point, Point]:
        return ((self.x0, self.y0), (self.x1, self.y0), (self.x1, self.y1), (self.x0, self.y1))

    def contains(self, p: Point) -> bool:
        return self.x0 + _EPS < p[0] < self.x1 - _EPS and self.y0 + _EPS < p[1] < self.y1 - _EPS


def crosses(a: Point, b: Point, box: Box) -> bool:
    """Whether the segment a-b passes through the inside of ``box`` (Liang-Barsky)."""
    x0, y0, x1, y1 = box.x0 + _EPS, box.y0 + _EPS, box.x1 - _EPS, box.y1 - _EPS
    dx, dy = b[0] - a[0], b[1] - a[1]
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, a[0] - x0), (dx, x1 - a[0]), (-dy, a[1] - y0), (dy, y1 - a[1])):
        if p == 0:
            if q < 0:
                return False
            continue
        r = q / p
        if p < 0:
            t0 = max(t0, r)
        else:
            t1 = min(t1, r)
        if t0 > t1:
            return False
    return True


class EdgeRouter:
    """Routes edges around boxes; one router per layout."""

    def __init__(self, boxes: Mapping[str, Box]) -> None:
        self.boxes = dict(boxes)
        self.enabled = 1 < len(self.boxes) <= MAX_BOXES
        self.corners: list[Point] = []
        self.links: list[list[tuple[int, float]]] = []
        if self.enabled:
            self._build()

    @classmethod
    def for_layout(cls, layout: GraphLayout, margin: float = MARGIN) -> EdgeRouter:
        """Boxes: every expanded namespace's box and every collapsed namespace node."""
        if len(layout.edges) > MAX_EDGES:
            return cls({})
        rects = [(g.id, g.x, g.y, g.width, g.height) for g in layout.groups.values()]
        rects += [
            (n.id, n.x, n.y, n.width, n.height)
            for n in layout.nodes.values()
            if n.kind == "namespace"
        ]
        return cls(
            {
                key: Box(x - margin, y - margin, x + w + margin, y + h + margin)
                for key, x, y, w, h in rects
            }
        )

    def _build(self) -> None:
        boxes = list(self.boxes.values())
        self.corners = [
            c for box in boxes for c in box.corners() if not any(o.contains(c) for o in boxes)
        ]
        self.links = [[] for _ in self.corners]
        for i, a in enumerate(self.corners):
            for j in range(i + 1, len(self.corners)):
                b = self.corners[j]
                if not any(crosses(a, b, box) for box in boxes):
                    d = math.dist(a, b)
                    self.links[i].append((j, d))
                    self.links[j].append((i, d))

    def blocked(self, a: Point, b: Point, skip: Iterable[str]) -> bool:
        skipped = set(skip)
        return any(crosses(a, b, box) for k, box in self.boxes.items() if k not in skipped)

    def route(self, start: Point, end: Point, skip: Iterable[str] = ()) -> list[Point]:
        """The points from ``start`` to ``end``, bending around every box not in ``skip``."""
        skipped = frozenset(skip)
        if not self.enabled or not self.blocked(start, end, skipped):
            return [start, end]
        others = [box for k, box in self.boxes.items() if k not in skipped]
        n = len(self.corners)
        ends: dict[int, list[tuple[int, float]]] = {n: [], n + 1: []}
        for index, point in ((n, start), (n + 1, end)):
            for j, corner in enumerate(self.corners):
                if not any(crosses(point, corner, box) for box in others):
                    ends[index].append((j, math.dist(point, corner)))
        best = {n: 0.0}
        previous: dict[int, int] = {}
        heap = [(0.0, n)]
        target_links = {j: d for j, d in ends[n + 1]}
        while heap:
            cost, node = heapq.heappop(heap)
            if node == n + 1:
                break
            if cost > best.get(node, math.inf):
                continue
            links = ends[n] if node == n else self.links[node]
            steps = list(links)
            if node in target_links:
                steps.append((n + 1, target_links[node]))
            for nxt, d in steps:
                total = cost + d
                if total < best.get(nxt, math.inf):
                    best[nxt] = total
                    previous[nxt] = node
                    heapq.heappush(heap, (total, nxt))
        if n + 1 not in previous:
            return [start, end]  # boxed in: a straight line is the honest fallback
        path = [end]
        node = previous[n + 1]
        while node != n:
            path.append(self.corners[node])
            node = previous[node]
        path.append(start)
        return path[::-1]


def inner_routers(layout: GraphLayout, margin: float = NODE_MARGIN) -> dict[str, EdgeRouter]:
    """One router per namespace box, around its workloads (small boxes only)."""
    inside: dict[str, list[tuple[str, float, float, float, float]]] = {}
    if len(layout.edges) > MAX_EDGES:
        return {}
    for n in layout.nodes.values():
        if n.kind == "workload" and n.namespace in layout.groups:
            inside.setdefault(n.namespace, []).append((n.id, n.x, n.y, n.width, n.height))
    return {
        ns: EdgeRouter(
            {
                key: Box(x - margin, y - margin, x + w + margin, y + h + margin)
                for key, x, y, w, h in rects
            }
        )
        for ns, rects in sorted(inside.items())
        if 2 < len(rects) <= MAX_BOXES
    }
