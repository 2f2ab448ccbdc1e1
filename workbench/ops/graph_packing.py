"""Strictly layered placement of boxes of known size, left to right, optionally grouped.

Sugiyama-style:

1. Cycle breaking: the strongly connected components in topological order, so every edge
   outside a cycle points forward; inside a component the greedy order of Eades, Lin and
   Smyth keeps as much edge weight forward as it can (:mod:`graph_order`).
2. Layer assignment: longest path over the forward edges (squeezed inside a large cycle);
   a node nobody calls moves next to its nearest callee; a node without edges joins the
   emptiest layer of its group.
3. Crossing reduction: barycentre sweeps over the layers, then again inside each group
   once the groups have their places.
4. Coordinates: layer *i* owns a vertical slab strictly right of slab *i - 1*, so a
   forward edge always runs left to right. A group (a namespace box) spans the slabs of
   its members; groups whose slabs overlap stack in tracks, top down. A fat layer splits
   into cells side by side inside its own slab; how many is chosen to fit the page's
   aspect ratio.

Deterministic: every choice breaks ties by the nodes' ids.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from workbench.ops.graph_order import (
    acyclic_order,
    assign_layers,
    feedback_order,
    order_within,
    sweep_orders,
)

__all__ = ["Placement", "Size", "Spacing", "feedback_order", "layered_layout"]

Point = tuple[float, float]
Rect = tuple[float, float, float, float]  # x, y, width, height
Step = Callable[[float, str], None]

_ROW_CANDIDATES = 14
_MAX_TITLE = 260.0  # a namespace title longer than this is elided, not given room


class Size(NamedTuple):
    width: float
    height: float


class Placement(NamedTuple):
    spots: dict[str, Point]  # top-left corner of every node
    page: Size  # the whole arrangement
    slots: dict[str, float]  # the width of the column each node stands in
    boxes: dict[str, Rect]  # every group's box
    layer: dict[str, int]  # every node's layer, 0 leftmost


@dataclass(frozen=True, slots=True)
class Spacing:
    gap_y: float = 8.0  # between nodes stacked in a cell
    gap_track: float = 30.0  # between tracks of groups
    corridor: float = 44.0  # free room between two slabs, for the edges
    cell_corridor: float = 28.0  # free room between two cells of one slab
    header: float = 24.0  # a group box's title
    pad: float = 10.0  # inside a group box, around its members


@dataclass(slots=True)
class _Block:
    id: str
    members: list[str]
    boxed: bool
    lo: int = 0
    hi: int = 0
    key: float = 0.0  # mean position of the members, for the vertical order
    floating: bool = False  # no edges at all: may stand in any layer
    track: int = 0
    cell: int = -1  # the cell of a one-member block; -1: every cell of its layers

    @property
    def whole(self) -> bool:
        return len(self.members) > 1


class _Track:  # a horizontal band of groups whose layers do not overlap
    def __init__(self, layers: int) -> None:
        self.used = [0] * layers  # cells taken in each layer
        self.height = 0.0


def layered_layout(
    sizes: Mapping[str, Size],
    edges: Mapping[tuple[str, str], float],
    groups: Mapping[str, str] | None = None,
    *,
    titles: Mapping[str, float] | None = None,
    aspect: float = 1.6,
    spacing: Spacing = Spacing(),
    step: Step | None = None,
) -> Placement:
    """Where every node goes; ``groups`` maps a node to the box it sits in (if any)."""
    report: Step = step or (lambda _f, _m: None)
    if not sizes:
        return Placement({}, Size(0.0, 0.0), {}, {}, {})
    ids = sorted(sizes)
    known = {(a, b): w for (a, b), w in edges.items() if a in sizes and b in sizes and a != b}
    report(0.0, "Breaking cycles")
    order, component = acyclic_order(ids, known)
    rank = {v: i for i, v in enumerate(order)}
    forward = sorted((a, b) for a, b in known if rank[a] < rank[b])
    blocks = _blocks(ids, groups or {})
    report(0.25, "Assigning layers")
    linked = {v for e in known for v in e}
    boxed = [b.members for b in blocks if b.boxed]
    layer = assign_layers(order, forward, component, linked, boxed)
    for block in blocks:
        block.floating = not any(v in linked for v in block.members)
    count = max(layer.values()) + 1
    report(0.4, "Reducing crossings")
    position = sweep_orders(layer, count, forward)
    for block in blocks:
        block.lo = min(layer[v] for v in block.members)
        block.hi = max(layer[v] for v in block.members)
        block.key = sum(position[v] for v in block.members) / len(block.members)
    report(0.6, "Placing groups")
    grid = _Grid(sizes, blocks, layer, count, spacing, titles or {}, position)
    best: tuple[float, list[int]] | None = None
    for cells in grid.candidates():
        page = grid.arrange(cells)
        scale = min(aspect / max(page.width, 1.0), 1.0 / max(page.height, 1.0))
        if best is None or scale > best[0] * 1.000001:
            best = (scale, cells)
    assert best is not None
    grid.arrange(best[1])
    report(0.85, "Ordering inside groups")
    return grid.placement(forward)


def _blocks(ids: list[str], groups: Mapping[str, str]) -> list[_Block]:
    boxed: dict[str, list[str]] = {}
    blocks: list[_Block] = []
    for v in ids:
        group = groups.get(v)
        if group is None:
            blocks.append(_Block(v, [v], False))
        else:
            boxed.setdefault(group, []).append(v)
    blocks += [_Block(g, members, True) for g, members in sorted(boxed.items())]
    return blocks


class _Grid:
    """Slabs, cells and tracks for one choice of cells per layer."""

    def __init__(
        self,
        sizes: Mapping[str, Size],
        blocks: list[_Block],
        layer: dict[str, int],
        count: int,
        spacing: Spacing,
        titles: Mapping[str, float],
        position: Mapping[str, float],
    ) -> None:
        self.sizes = sizes
        self.blocks = blocks
        self.layer = layer
        self.count = count
        self.spacing = spacing
        self.titles = titles
        self.pad = spacing.pad if any(b.boxed for b in blocks) else 0.0
        self.position = position
        self.members_at: dict[tuple[str, int], list[str]] = {}
        for block in blocks:
            block.members.sort(key=lambda v: (position[v], v))
            for v in block.members:
                self.members_at.setdefault((block.id, layer[v]), []).append(v)
        self.cells: list[int] = [1] * count
        self.tracks: list[_Track] = []
        self.rows: dict[str, int] = {}

    def candidates(self) -> list[list[int]]:
        """Cells per layer for a range of row limits, from one cell per layer upward."""
        tallest = [1] * self.count
        singles = [0] * self.count
        for block in self.blocks:
            if block.floating and self.count > 1:
                continue  # fills gaps wherever they are
            if block.whole:
                for n in range(block.lo, block.hi + 1):
                    here = len(self.members_at.get((block.id, n), ()))
                    tallest[n] = max(tallest[n], here)
            else:
                singles[block.lo] += 1
        high = max(max(tallest), max(singles), 1)
        limits = sorted(
            {max(1, round(high ** (i / (_ROW_CANDIDATES - 1)))) for i in range(_ROW_CANDIDATES)}
        )
        options: list[list[int]] = []
        for rows in reversed(limits):
            cells = [
                max(1, math.ceil(t / rows), math.ceil(s / rows))
                for t, s in zip(tallest, singles, strict=True)
            ]
            if cells not in options:
                options.append(cells)
        return options

    def arrange(self, cells: list[int]) -> Size:
        """Put every block in a track for ``cells``; returns the page size."""
        self.cells = cells
        self.tracks = []
        self.rows = {}
        for block in self.blocks:
            self._count_rows(block)
        anchored = sorted((b for b in self.blocks if not b.floating), key=lambda b: (b.key, b.id))
        for block in anchored:
            self._seat(block, self._first_fit(block))
        floating = sorted(
            (b for b in self.blocks if b.floating), key=lambda b: (-len(b.members), b.id)
        )
        for block in floating:
            track, spot = self._best_gap(block)
            self._move(block, spot)
            self._seat(block, track)
        self._columns()
        height = sum(t.height for t in self.tracks) + self.spacing.gap_track * (
            len(self.tracks) - 1
        )
        return Size(round(self.width, 1), round(height, 1))

    def _count_rows(self, block: _Block) -> None:
        self.rows[block.id] = max(
            math.ceil(len(self.members_at.get((block.id, n), ())) / self.cells[n])
            for n in range(block.lo, block.hi + 1)
        )

    def _move(self, block: _Block, n: int) -> None:
        """Stand an edge-free block in layer ``n``."""
        for old in range(block.lo, block.hi + 1):
            self.members_at.pop((block.id, old), None)
        self.members_at[(block.id, n)] = list(block.members)
        for v in block.members:
            self.layer[v] = n
        block.lo = block.hi = n
        self._count_rows(block)

    def _height(self, block: _Block) -> float:
        rows = self.rows[block.id]
        tallest = max(self.sizes[v].height for v in block.members)
        inner = rows * tallest + (rows - 1) * self.spacing.gap_y
        return inner + self.spacing.header + 2 * self.spacing.pad if block.boxed else inner

    def _fits(self, track: _Track, block: _Block) -> bool:
        if block.whole:
            return all(track.used[n] == 0 for n in range(block.lo, block.hi + 1))
        return track.used[block.lo] < self.cells[block.lo]

    def _first_fit(self, block: _Block) -> int:
        for index, track in enumerate(self.tracks):
            if self._fits(track, block):
                return index
        return len(self.tracks)

    def _best_gap(self, block: _Block) -> tuple[int, int]:
        """The track and layer where an edge-free block adds the least height."""
        best: tuple[float, int, int] | None = None
        for n in range(self.count):
            self._move(block, n)
            height = self._height(block)
            for index, track in enumerate(self.tracks):
                if self._fits(track, block):
                    cost = max(0.0, height - track.height)
                    if best is None or cost < best[0]:
                        best = (cost, index, n)
        self._move(block, 0)
        if best is None or best[0] >= self._height(block) + self.spacing.gap_track:
            return len(self.tracks), 0
        return best[1], best[2]

    def _seat(self, block: _Block, index: int) -> None:
        if index == len(self.tracks):
            self.tracks.append(_Track(self.count))
        track = self.tracks[index]
        block.track = index
        if block.whole:
            block.cell = -1
            for n in range(block.lo, block.hi + 1):
                track.used[n] = self.cells[n]
        else:
            block.cell = track.used[block.lo]
            track.used[block.lo] += 1
        track.height = max(track.height, self._height(block))

    def _columns(self) -> None:
        """Cell widths per layer (widened for group titles) and every slab's left edge."""
        sp = self.spacing
        gap_cell = 2 * self.pad + sp.cell_corridor
        self.width_of = [0.0] * self.count
        for v, n in self.layer.items():
            self.width_of[n] = max(self.width_of[n], self.sizes[v].width)
        for block in self.blocks:
            title = min(self.titles.get(block.id, 0.0), _MAX_TITLE)
            if not block.boxed or title <= 0:
                continue
            if block.whole:
                span = sum(self._slab(n, gap_cell) for n in range(block.lo, block.hi + 1))
                span += (block.hi - block.lo) * (2 * self.pad + sp.corridor) + 2 * self.pad
                missing = title - span
                if missing > 0:
                    self.width_of[block.hi] += missing / self.cells[block.hi]
            else:
                self.width_of[block.lo] = max(self.width_of[block.lo], title - 2 * self.pad)
        self.gap_cell = gap_cell
        self.left = []
        x = self.pad
        for n in range(self.count):
            self.left.append(x)
            x += self._slab(n, gap_cell) + 2 * self.pad + sp.corridor
        self.width = x - sp.corridor - self.pad

    def _slab(self, n: int, gap_cell: float) -> float:
        return self.cells[n] * self.width_of[n] + (self.cells[n] - 1) * gap_cell

    def placement(self, forward: list[tuple[str, str]]) -> Placement:
        sp = self.spacing
        tops: list[float] = []
        y = 0.0
        for track in self.tracks:
            tops.append(y)
            y += track.height + sp.gap_track
        boxes: dict[str, Rect] = {}
        slots_of: dict[str, list[Point]] = {}  # the free spots of each block, per layer
        spots: dict[str, Point] = {}
        for block in self.blocks:
            top = tops[block.track]
            inner_top = top + (sp.header + sp.pad if block.boxed else 0.0)
            height = self._height(block)
            if block.boxed:
                x0 = self.left[block.lo] - self.pad
                if block.whole:
                    x1 = self.left[block.hi] + self._slab(block.hi, self.gap_cell) + self.pad
                else:
                    x1 = x0 + self.width_of[block.lo] + 2 * self.pad
                    x0 += block.cell * (self.width_of[block.lo] + self.gap_cell)
                    x1 += block.cell * (self.width_of[block.lo] + self.gap_cell)
                boxes[block.id] = (round(x0, 1), round(top, 1), round(x1 - x0, 1), round(height, 1))
            inner = height - (sp.header + 2 * sp.pad if block.boxed else 0.0)
            for n in range(block.lo, block.hi + 1):
                members = self.members_at.get((block.id, n), [])
                if not members:
                    continue
                cells = self.cells[n] if block.whole else 1
                rows = math.ceil(len(members) / cells)
                step_y = max(self.sizes[v].height for v in members) + sp.gap_y
                stack = rows * step_y - sp.gap_y
                first = inner_top + (inner - stack) / 2
                column = 0 if block.whole else block.cell
                points = []
                for i in range(len(members)):
                    cx = self.left[n] + (column + i // rows) * (self.width_of[n] + self.gap_cell)
                    points.append((round(cx, 1), round(first + (i % rows) * step_y, 1)))
                slots_of[f"{block.id}\0{n}"] = points
                for v, p in zip(members, points, strict=True):
                    spots[v] = p
        heights = {v: size.height for v, size in self.sizes.items()}
        spots = order_within(self.members_at, slots_of, spots, forward, heights)
        slots = {v: self.width_of[self.layer[v]] for v in self.layer}
        height = (tops[-1] + self.tracks[-1].height) if self.tracks else 0.0
        page = Size(round(self.width, 1), round(height, 1))
        return Placement(spots, page, slots, boxes, dict(self.layer))
