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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from workbench.ops.graph_layout import GraphLayout, GraphNode

Point = tuple[float, float]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
MAX_BOXES = 40
MAX_INNER = 60  # workloads in a namespace box beyond which edges inside it go straight
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
    if (a[0] <= x0 and b[0] <= x0) or (a[0] >= x1 and b[0] >= x1):
        return False  # wholly left or right of the box: the common case, decided at once
    if (a[1] <= y0 and b[1] <= y0) or (a[1] >= y1 and b[1] >= y1):
        return False
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


def cross_matrix(starts: FloatArray, ends: FloatArray, boxes: FloatArray) -> BoolArray:
    """:func:`crosses` for many segments (rows of ``starts``/``ends``, x and y) against
    many boxes (rows of x0, y0, x1, y1) at once: a (segments x boxes) table."""
    ax, ay = starts[:, 0:1], starts[:, 1:2]
    bx, by = ends[:, 0:1], ends[:, 1:2]
    x0, y0 = boxes[:, 0] + _EPS, boxes[:, 1] + _EPS
    x1, y1 = boxes[:, 2] - _EPS, boxes[:, 3] - _EPS
    dx, dy = bx - ax, by - ay
    low = np.zeros((starts.shape[0], boxes.shape[0]))
    high = np.ones_like(low)
    outside = np.zeros(low.shape, dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        for p, q in ((-dx, ax - x0), (dx, x1 - ax), (-dy, ay - y0), (dy, y1 - ay)):
            p = np.broadcast_to(p, low.shape)
            q = np.broadcast_to(q, low.shape)
            flat = p == 0
            outside |= flat & (q < 0)
            r = q / np.where(flat, 1.0, p)
            low = np.where(~flat & (p < 0), np.maximum(low, r), low)
            high = np.where(~flat & (p > 0), np.minimum(high, r), high)
    result: BoolArray = ~outside & (low <= high)
    return result


class EdgeRouter:
    """Routes edges around boxes; one router per layout."""

    def __init__(self, boxes: Mapping[str, Box], limit: int = MAX_BOXES) -> None:
        self.boxes = dict(boxes)
        self.enabled = 1 < len(self.boxes) <= limit
        self.corners: list[Point] = []
        self.links: list[list[tuple[int, float]]] = []
        self._built = False  # the corner graph is built when an edge first needs it
        self._seen: dict[tuple[Point, frozenset[str]], list[tuple[int, float]]] = {}
        self._table: FloatArray = np.zeros((0, 4))
        self._keys: list[str] = []

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
        self._table = np.array([(b.x0, b.y0, b.x1, b.y1) for b in boxes], dtype=float)
        self._keys = list(self.boxes)
        points = np.array(self.corners, dtype=float).reshape(-1, 2)
        first, second = np.triu_indices(len(self.corners), k=1)
        if not len(first):
            return
        free = ~cross_matrix(points[first], points[second], self._table).any(axis=1)
        for i, j in zip(first[free].tolist(), second[free].tolist(), strict=True):
            d = math.dist(self.corners[i], self.corners[j])
            self.links[i].append((j, d))
            self.links[j].append((i, d))

    def blocked(self, a: Point, b: Point, skip: Iterable[str]) -> bool:
        skipped = set(skip)
        return any(crosses(a, b, box) for k, box in self.boxes.items() if k not in skipped)

    def _visible(self, point: Point, skipped: frozenset[str]) -> list[tuple[int, float]]:
        """The corners seen from ``point`` past every box not skipped (cached: a node's
        edges all start from its centre)."""
        key = (point, skipped)
        seen = self._seen.get(key)
        if seen is None:
            keep = [i for i, k in enumerate(self._keys) if k not in skipped]
            corners = np.array(self.corners, dtype=float).reshape(-1, 2)
            starts = np.broadcast_to(np.array(point, dtype=float), corners.shape)
            hit = cross_matrix(starts, corners, self._table[keep]).any(axis=1)
            seen = [(j, math.dist(point, self.corners[j])) for j in np.flatnonzero(~hit).tolist()]
            self._seen[key] = seen
        return seen

    def route(self, start: Point, end: Point, skip: Iterable[str] = ()) -> list[Point]:
        """The points from ``start`` to ``end``, bending around every box not in ``skip``."""
        skipped = frozenset(k for k in skip if k in self.boxes)
        if not self.enabled or not self.blocked(start, end, skipped):
            return [start, end]
        if not self._built:
            self._build()
            self._built = True
        n = len(self.corners)
        ends = {n: self._visible(start, skipped), n + 1: self._visible(end, skipped)}
        best = {n: 0.0}
        previous: dict[int, int] = {}
        heap = [
            (math.dist(start, end), 0.0, n)
        ]  # A*: the straight distance left never overestimates
        target_links = {j: d for j, d in ends[n + 1]}
        while heap:
            _, cost, node = heapq.heappop(heap)
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
                    point = end if nxt == n + 1 else self.corners[nxt]
                    heapq.heappush(heap, (total + math.dist(point, end), total, nxt))
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
            },
            MAX_INNER,
        )
        for ns, rects in sorted(inside.items())
        if 2 < len(rects) <= MAX_INNER
    }


Rect = tuple[float, float, float, float]  # x0, y0, x1, y1


class LayoutRoutes:
    """Every edge's route for one layout: around the namespace boxes between namespaces,
    around the workloads inside one namespace, and, for an edge between two namespaces,
    around the workloads of its own two boxes on its way out of one and into the other."""

    def __init__(self, layout: GraphLayout) -> None:
        self.layout = layout
        self.outer = EdgeRouter.for_layout(layout)
        self.inner = inner_routers(layout)
        self._done: dict[tuple[str, str], list[Point]] = {}

    def precompute(self, check: Callable[[], None] = lambda: None) -> None:
        """Route every edge of the layout now (off the UI thread); ``check`` may cancel."""
        for i, e in enumerate(self.layout.edges):
            if i % 25 == 0:
                check()
            self.route(self.layout.nodes[e.source], self.layout.nodes[e.target])

    def route(self, a: GraphNode, b: GraphNode) -> list[Point]:
        """The points from ``a``'s centre to ``b``'s."""
        known = self._done.get((a.id, b.id))
        if known is not None:
            return known
        skip = {a.id, b.id, a.namespace, b.namespace}
        if a.namespace == b.namespace:
            path = self.inner.get(a.namespace, self.outer).route(a.centre, b.centre, skip)
        else:
            path = self.outer.route(a.centre, b.centre, skip)
            path = self._out_of_box(path, a)
            path = self._out_of_box(path[::-1], b)[::-1]
        self._done[(a.id, b.id)] = path
        return path

    def curve_clear(self, a: GraphNode, b: GraphNode, control: Point) -> bool:
        """Whether the bent line a-control-b keeps out of every box and other workload."""
        skip = {a.id, b.id, a.namespace, b.namespace}
        routers = [self.outer, *(self.inner.get(n.namespace) for n in (a, b))]
        return not any(
            r.enabled and (r.blocked(a.centre, control, skip) or r.blocked(control, b.centre, skip))
            for r in routers
            if r is not None
        )

    def _out_of_box(self, path: list[Point], node: GraphNode) -> list[Point]:
        """``path`` with its stretch inside ``node``'s namespace box routed around the
        other workloads there (unchanged when nothing is in the way)."""
        group = self.layout.groups.get(node.namespace)
        router = self.inner.get(node.namespace)
        if group is None or router is None:
            return path
        rect = (group.x, group.y, group.x + group.width, group.y + group.height)
        for i in range(1, len(path)):
            if not _within(path[i], rect):
                head = router.route(path[0], _exit(path[i - 1], path[i], rect), {node.id})
                return path if len(head) == 2 else head + path[i:]
        return path


def _within(p: Point, rect: Rect) -> bool:
    return rect[0] < p[0] < rect[2] and rect[1] < p[1] < rect[3]


def _exit(p: Point, q: Point, rect: Rect) -> Point:
    """Where the segment from ``p`` (inside ``rect``) to ``q`` (outside) leaves it."""
    dx, dy = q[0] - p[0], q[1] - p[1]
    tx = ((rect[2] if dx > 0 else rect[0]) - p[0]) / dx if dx else math.inf
    ty = ((rect[3] if dy > 0 else rect[1]) - p[1]) / dy if dy else math.inf
    t = min(tx, ty, 1.0)
    return (p[0] + dx * t, p[1] + dy * t)
