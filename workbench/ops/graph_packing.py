"""Layered placement of boxes of known size: callers left of callees, wrapped to fit a page.

1. Order the boxes so that as many edges (by weight) as possible point forward: the greedy
   heuristic of Eades, Lin and Smyth (sinks to the back, sources to the front, otherwise
   the box with the most outgoing minus incoming weight), with a heap so it stays
   O((V + E) log V).
2. Layer by longest path over the forward edges; backward edges (the cycles) are ignored.
3. Order each layer by the mean position of its callers (barycentre), names breaking ties.
4. Stack each layer in columns; a layer taller than the wrap height continues in a new
   column. The wrap height is chosen among candidates to give the largest zoom-to-fit
   scale on a page of the requested aspect ratio.

Deterministic: every choice breaks ties by the boxes' ids.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from typing import NamedTuple

Point = tuple[float, float]


class Size(NamedTuple):
    width: float
    height: float


_HEIGHT_CANDIDATES = 16
_MAX_ROWS = 12


class Packing(NamedTuple):
    spots: dict[str, Point]  # top-left corner of every box
    page: Size  # the whole arrangement
    slots: dict[str, float]  # the width of the column each box stands in


class _Column(NamedTuple):
    layer: int
    members: list[str]
    width: float
    height: float


def layered_pack(
    sizes: Mapping[str, Size],
    edges: Mapping[tuple[str, str], float],
    *,
    aspect: float = 1.6,
    gap_y: float = 8.0,
    gap_col: float = 24.0,
    gap_layer: float = 56.0,
) -> Packing:
    """Where every box goes, the size of the whole, and each box's column width."""
    if not sizes:
        return Packing({}, Size(0.0, 0.0), {})
    ids = sorted(sizes)
    known = [(a, b, w) for (a, b), w in sorted(edges.items()) if a in sizes and b in sizes]
    order = feedback_order(ids, [(a, b, w) for a, b, w in known if a != b])
    layers = _layers(order, known)
    heights = [sum(sizes[v].height for v in layer) + gap_y * (len(layer) - 1) for layer in layers]
    low = max(s.height for s in sizes.values())
    gaps = _Gaps(gap_y, gap_col, gap_layer)
    best: tuple[float, list[_Column], float] | None = None
    for limit in _limits(low, max(heights)):
        columns = _columns(layers, sizes, limit, gap_y)
        widest = max(c.width for c in columns)
        total = sum(c.width for c in columns) + gap_layer * len(columns)
        for rows in range(1, min(len(columns), _MAX_ROWS) + 1):
            row_limit = max(widest, total / rows)
            page = _fold(columns, sizes, row_limit, gaps, None)
            scale = min(aspect / max(page.width, 1.0), 1.0 / max(page.height, 1.0))
            if best is None or scale > best[0] * 1.000001:
                best = (scale, columns, row_limit)
    assert best is not None
    spots: dict[str, Point] = {}
    page = _fold(best[1], sizes, best[2], gaps, spots)
    slots = {v: column.width for column in best[1] for v in column.members}
    return Packing(spots, page, slots)


def feedback_order(ids: list[str], edges: list[tuple[str, str, float]]) -> list[str]:
    """An order of ``ids`` in which heavy edges mostly point forward (Eades-Lin-Smyth)."""
    out: dict[str, dict[str, float]] = {v: {} for v in ids}
    inc: dict[str, dict[str, float]] = {v: {} for v in ids}
    for a, b, w in edges:
        out[a][b] = out[a].get(b, 0.0) + w
        inc[b][a] = inc[b].get(a, 0.0) + w
    out_w = {v: sum(out[v].values()) for v in ids}
    in_w = {v: sum(inc[v].values()) for v in ids}
    out_n = {v: len(out[v]) for v in ids}
    in_n = {v: len(inc[v]) for v in ids}
    remaining = set(ids)
    front: list[str] = []
    back: list[str] = []
    sinks = [v for v in ids if out_n[v] == 0]
    sources = [v for v in ids if in_n[v] == 0 and out_n[v] > 0]
    heapq.heapify(sinks)
    heapq.heapify(sources)
    delta = [(-(out_w[v] - in_w[v]), v) for v in ids]
    heapq.heapify(delta)

    def remove(v: str) -> None:
        remaining.discard(v)
        for u, w in out[v].items():
            if u in remaining:
                in_w[u] -= w
                in_n[u] -= 1
                heapq.heappush(delta, (-(out_w[u] - in_w[u]), u))
                if in_n[u] == 0:
                    heapq.heappush(sources, u)
        for u, w in inc[v].items():
            if u in remaining:
                out_w[u] -= w
                out_n[u] -= 1
                heapq.heappush(delta, (-(out_w[u] - in_w[u]), u))
                if out_n[u] == 0:
                    heapq.heappush(sinks, u)

    while remaining:
        if sinks:
            v = heapq.heappop(sinks)
            if v in remaining and out_n[v] == 0:
                back.append(v)
                remove(v)
            continue
        if sources:
            v = heapq.heappop(sources)
            if v in remaining and in_n[v] == 0:
                front.append(v)
                remove(v)
            continue
        score, v = heapq.heappop(delta)
        if v in remaining and -score == out_w[v] - in_w[v]:
            front.append(v)
            remove(v)
    return front + back[::-1]


def _layers(order: list[str], edges: list[tuple[str, str, float]]) -> list[list[str]]:
    rank = {v: i for i, v in enumerate(order)}
    succ: dict[str, list[str]] = {}
    pred: dict[str, list[str]] = {}
    for a, b, _ in edges:
        if rank[a] < rank[b]:
            succ.setdefault(a, []).append(b)
            pred.setdefault(b, []).append(a)
    layer = dict.fromkeys(order, 0)
    for v in order:
        for u in succ.get(v, ()):
            layer[u] = max(layer[u], layer[v] + 1)
    layers: list[list[str]] = [[] for _ in range(max(layer.values()) + 1)]
    for v in sorted(order):
        layers[layer[v]].append(v)
    position: dict[str, float] = {}
    for i, members in enumerate(layers):
        if i > 0:
            members.sort(key=lambda v: (_barycentre(pred.get(v, []), position), v))
        for j, v in enumerate(members):
            position[v] = j / max(len(members), 1)
    return layers


def _barycentre(callers: list[str], position: Mapping[str, float]) -> float:
    placed = [position[c] for c in callers if c in position]
    return sum(placed) / len(placed) if placed else 2.0


def _limits(low: float, high: float) -> list[float]:
    if high <= low:
        return [high]
    ratio = (high / low) ** (1.0 / (_HEIGHT_CANDIDATES - 1))
    return [low * ratio**i for i in range(_HEIGHT_CANDIDATES - 1)] + [high]


class _Gaps(NamedTuple):
    y: float  # between boxes of a column
    column: float  # between columns of one layer
    layer: float  # between layers, and between rows


def _columns(
    layers: list[list[str]], sizes: Mapping[str, Size], limit: float, gap_y: float
) -> list[_Column]:
    """Each layer stacked top-down, continuing in a new column past ``limit``."""
    columns: list[_Column] = []
    for n, members in enumerate(layers):
        column: list[str] = []
        height = 0.0
        for v in members:
            h = sizes[v].height
            if column and height + gap_y + h > limit + 1e-6:
                columns.append(_Column(n, column, max(sizes[c].width for c in column), height))
                column, height = [], 0.0
            height += (gap_y if column else 0.0) + h
            column.append(v)
        columns.append(_Column(n, column, max(sizes[c].width for c in column), height))
    return columns


def _fold(
    columns: list[_Column],
    sizes: Mapping[str, Size],
    row_limit: float,
    gaps: _Gaps,
    spots: dict[str, Point] | None,
) -> Size:
    """Columns left to right, starting a new row past ``row_limit``; fills ``spots``."""
    rows: list[list[tuple[float, _Column]]] = [[]]
    x = 0.0
    width = 0.0
    previous: _Column | None = None
    for column in columns:
        gap = 0.0
        if previous is not None:
            gap = gaps.column if previous.layer == column.layer else gaps.layer
        if rows[-1] and x + gap + column.width > row_limit + 1e-6:
            rows.append([])
            x, gap = 0.0, 0.0
        rows[-1].append((x + gap, column))
        x += gap + column.width
        width = max(width, x)
        previous = column
    y = 0.0
    for n, row in enumerate(rows):
        height = max(c.height for _, c in row)
        if spots is not None:
            for cx, column in row:
                cy = y + (height - column.height) / 2
                for v in column.members:
                    spots[v] = (round(cx, 1), round(cy, 1))
                    cy += sizes[v].height + gaps.y
        y += height + (gaps.layer if n < len(rows) - 1 else 0.0)
    return Size(round(width, 1), round(y, 1))
