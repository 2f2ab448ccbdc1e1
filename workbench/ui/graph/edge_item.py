"""An edge of the dependency graph: an arrow from caller to callee, styled by its evidence.

A short edge is a gentle curve; an edge that would cross another namespace's box follows
the route :class:`~workbench.ops.graph_routes.EdgeRouter` found around the boxes, drawn
with rounded bends. Hovering an edge highlights its two ends (see the scene).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainter, QPainterPath, QPainterPathStroker
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsSceneHoverEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from workbench.ops.graph_layout import GraphEdge
from workbench.ui.graph.style import EdgeState, GraphStyle

ARROW = 8.0
BEND = 0.1  # sideways bend of a straight edge, as a share of its length
CORNER = 14.0  # radius of a routed edge's bends
CROWDED = 600  # edges in a scene from which an overview is drawn without antialiasing
OVERVIEW_ZOOM = 0.6

Point = tuple[float, float]


class EdgeItem(QGraphicsPathItem):
    """A curved arrow from caller to callee, styled by its evidence."""

    def __init__(
        self,
        edge: GraphEdge,
        source: QRectF,
        target: QRectF,
        style: GraphStyle,
        via: Sequence[Point] = (),
        bend: float = BEND,
    ):
        super().__init__()
        self.via = tuple(via)  # bends of a routed edge, between the two boxes
        self.edge = edge
        self.graph_style = style
        self.state = EdgeState.NORMAL
        self.selected = False  # drawn as selected (kept in step by the scene)
        self.crowded = False  # one of very many edges (set by the scene)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setPath(
            routed_path(source, target, self.via) if self.via else edge_path(source, target, bend)
        )
        self.setAcceptHoverEvents(True)
        self.setPen(style.edge_pen(edge.style, edge.width, self.state))
        self.setToolTip(_edge_tip(edge))
        self._shape: QPainterPath | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.edge.source, self.edge.target)

    def restyle(self, edge: GraphEdge) -> None:
        self.edge = edge
        self.setToolTip(_edge_tip(edge))
        self._apply()

    def set_state(self, state: EdgeState) -> None:
        if state is not self.state:
            self.state = state
            self.setZValue(5 if state in (EdgeState.INCOMING, EdgeState.OUTGOING) else 0)
            self._apply()

    def _apply(self) -> None:
        state = EdgeState.SELECTED if self.selected else self.state
        self.setPen(self.graph_style.edge_pen(self.edge.style, self.edge.width, state))

    def set_selected_look(self, selected: bool) -> None:
        if selected != self.selected:
            self.selected = selected
            self._apply()

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        """Drawn without antialiasing and in opaque colours in a crowded overview (a
        texture of many edges), which makes the first paint of a large graph several times
        faster."""
        crowded = self.crowded and option.levelOfDetailFromTransform(painter.worldTransform())
        if crowded and crowded < OVERVIEW_ZOOM:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            painter.setPen(self.graph_style.overview_pen(self.pen()))
            painter.drawPath(self.path())
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            return
        super().paint(painter, option, widget)

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        scene = self.scene()
        hover = getattr(scene, "hover_edge", None)
        if hover is not None:
            hover(self.key)
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        scene = self.scene()
        hover = getattr(scene, "hover_edge", None)
        if hover is not None:
            hover(None)
        super().hoverLeaveEvent(event)

    def shape(self) -> QPainterPath:
        if self._shape is None:
            stroker = QPainterPathStroker()
            stroker.setWidth(max(8.0, self.edge.width + 6))
            self._shape = stroker.createStroke(self.path())
        return self._shape


def bend_point(a: Point, b: Point, bend: float = BEND) -> Point:
    """The control point of the curve between two centres."""
    (ax, ay), (bx, by) = a, b
    return ((ax + bx) / 2 - (by - ay) * bend, (ay + by) / 2 + (bx - ax) * bend)


def edge_path(source: QRectF, target: QRectF, bend: float = BEND) -> QPainterPath:
    """A gentle curve between the two boxes' borders with an arrow head at the target."""
    ax, ay = source.x() + source.width() / 2, source.y() + source.height() / 2
    bx, by = target.x() + target.width() / 2, target.y() + target.height() / 2
    cx, cy = bend_point((ax, ay), (bx, by), bend)
    sx, sy = _border_point(ax, ay, source.width() / 2, source.height() / 2, cx, cy)
    ex, ey = _border_point(bx, by, target.width() / 2, target.height() / 2, cx, cy)
    path = QPainterPath(QPointF(sx, sy))
    path.quadTo(cx, cy, ex, ey)
    _arrow_head(path, (cx, cy), (ex, ey))
    return path


def _arrow_head(path: QPainterPath, before: Point, tip: Point) -> None:
    """Two short strokes at ``tip``, pointing along the line from ``before``."""
    (px, py), (ex, ey) = before, tip
    ux, uy = ex - px, ey - py
    norm = math.hypot(ux, uy) or 1.0
    ux, uy = ux / norm * ARROW, uy / norm * ARROW
    path.moveTo(ex - ux + uy * 0.5, ey - uy - ux * 0.5)
    path.lineTo(ex, ey)
    path.lineTo(ex - ux - uy * 0.5, ey - uy + ux * 0.5)


def _border_point(
    cx: float, cy: float, half_w: float, half_h: float, tx: float, ty: float
) -> tuple[float, float]:
    """Where the line from a box's centre toward (tx, ty) leaves the box."""
    dx, dy = tx - cx, ty - cy
    if dx == 0 and dy == 0:
        return cx, cy
    t = min(half_w / abs(dx) if dx else math.inf, half_h / abs(dy) if dy else math.inf, 1.0)
    return cx + dx * t, cy + dy * t


def routed_path(source: QRectF, target: QRectF, via: Sequence[Point]) -> QPainterPath:
    """Straight runs through ``via`` with rounded bends, from border to border."""
    first, last = via[0], via[-1]
    sx, sy = _border_point(
        source.center().x(), source.center().y(), source.width() / 2, source.height() / 2, *first
    )
    ex, ey = _border_point(
        target.center().x(), target.center().y(), target.width() / 2, target.height() / 2, *last
    )
    points = [(sx, sy), *via, (ex, ey)]
    path = QPainterPath(QPointF(sx, sy))
    for i in range(1, len(points) - 1):
        (px, py), (cx, cy), (nx, ny) = points[i - 1], points[i], points[i + 1]
        r_in = min(CORNER, math.dist((px, py), (cx, cy)) / 2)
        r_out = min(CORNER, math.dist((cx, cy), (nx, ny)) / 2)
        a = _towards((cx, cy), (px, py), r_in)
        b = _towards((cx, cy), (nx, ny), r_out)
        path.lineTo(*a)
        path.quadTo(cx, cy, *b)
    path.lineTo(ex, ey)
    _arrow_head(path, points[-2], (ex, ey))
    return path


def _towards(origin: Point, toward: Point, distance: float) -> tuple[float, float]:
    dx, dy = toward[0] - origin[0], toward[1] - origin[1]
    norm = math.hypot(dx, dy) or 1.0
    return origin[0] + dx / norm * distance, origin[1] + dy / norm * distance


def _edge_tip(edge: GraphEdge) -> str:
    lines = [f"{edge.source}\n  -> {edge.target}"]
    if edge.count > 1:
        lines.append(f"{edge.count} calls")
    if edge.kinds:
        lines.append("evidence: " + ", ".join(edge.kinds))
    if edge.requests_per_second is not None:
        lines.append(f"{edge.requests_per_second:.1f} req/s")
    if edge.manual:
        lines.append("added by hand")
    return "\n".join(lines)
