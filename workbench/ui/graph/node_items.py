"""The boxes of the dependency graph: a workload or collapsed namespace, and the box of
an expanded namespace around its workloads. Double-clicking one asks the scene to expand
or collapse its namespace (the scene's ``expand_requested`` / ``collapse_requested``).
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPainter
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from workbench.ops.graph_layout import GraphGroup, GraphNode
from workbench.ui.graph.style import GraphStyle, NodeState

_TEXT_LOD = 0.3  # below this zoom, labels are not drawn


class NodeItem(QGraphicsItem):
    """A workload, or a collapsed namespace (double-click expands it)."""

    def __init__(self, node: GraphNode, style: GraphStyle) -> None:
        super().__init__()
        self.node = node
        self.graph_style = style
        self.state = NodeState.NORMAL
        self.matched = False
        self.callers_unknown = False
        self._rect = QRectF(0, 0, node.width, node.height)
        self.setPos(node.x, node.y)
        self.setZValue(10)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setToolTip(_node_tip(node))
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        namespace = node.kind == "namespace"
        label_font = style.bold_font if namespace else style.font
        room = node.width - 12
        self.label = QFontMetricsF(label_font).elidedText(
            node.label, Qt.TextElideMode.ElideMiddle, room
        )
        self.sublabel = QFontMetricsF(style.small_font).elidedText(
            node.sublabel, Qt.TextElideMode.ElideRight, room
        )

    @property
    def is_namespace(self) -> bool:
        return self.node.kind == "namespace"

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-2, -2, 2, 2)

    def set_state(self, state: NodeState) -> None:
        if state is not self.state:
            self.state = state
            self.update()

    def set_callers_unknown(self, unknown: bool) -> None:
        if unknown != self.callers_unknown:
            self.callers_unknown = unknown
            tip = _node_tip(self.node)
            self.setToolTip(
                tip + "\ncallers unknown: nothing observed or confirmed" if unknown else tip
            )
            self.update()

    def set_matched(self, matched: bool) -> None:
        if matched != self.matched:
            self.matched = matched
            self.update()

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        style = self.graph_style
        brush, pen = style.node_tools(self.state, self.is_namespace)
        if self.isSelected():
            pen = style.selected_pen
        elif self.matched:
            pen = style.match_pen
        elif self.callers_unknown:
            pen = style.unknown_pen
        painter.setBrush(brush)
        painter.setPen(pen)
        painter.drawRoundedRect(self._rect, 5, 5)
        if option.levelOfDetailFromTransform(painter.worldTransform()) < _TEXT_LOD:
            return
        dimmed = self.state is NodeState.DIMMED and not self.isSelected()
        painter.setPen(style.text_pens["dim" if dimmed else "text"])
        if self.is_namespace:
            top = self._rect.adjusted(6, 3, -6, -self._rect.height() / 2)
            painter.setFont(style.bold_font)
            painter.drawText(top, Qt.AlignmentFlag.AlignCenter, self.label)
            painter.setPen(style.text_pens["dim" if dimmed else "muted"])
            painter.setFont(style.small_font)
            bottom = self._rect.adjusted(6, self._rect.height() / 2, -6, -3)
            painter.drawText(bottom, Qt.AlignmentFlag.AlignCenter, self.sublabel)
        else:
            painter.setFont(style.font)
            text = self._rect.adjusted(7, 0, -5, 0)
            flags = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
            painter.drawText(text, flags, self.label)

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        requested = getattr(self.scene(), "expand_requested", None)  # the graph's scene
        if self.is_namespace and requested is not None:
            requested.emit(self.node.id)
        super().mouseDoubleClickEvent(event)


class GroupItem(QGraphicsItem):
    """The box of an expanded namespace; double-click its title to collapse it again."""

    def __init__(self, group: GraphGroup, style: GraphStyle) -> None:
        super().__init__()
        self.graph_group = group
        self.graph_style = style
        self.highlighted = False
        self._rect = QRectF(0, 0, group.width, group.height)
        self.setPos(group.x, group.y)
        self.setZValue(-10)
        self.setToolTip(f"{group.id}\n{group.members} workloads\nDouble-click to collapse")
        self.title = QFontMetricsF(style.title_font).elidedText(
            group.label, Qt.TextElideMode.ElideRight, group.width - 16
        )

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-1, -1, 1, 1)

    def set_highlighted(self, on: bool) -> None:
        if on != self.highlighted:
            self.highlighted = on
            self.update()

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        painter.setBrush(self.graph_style.group_brush)
        painter.setPen(
            self.graph_style.group_focus_pen if self.highlighted else self.graph_style.group_pen
        )
        painter.drawRoundedRect(self._rect, 8, 8)
        if option.levelOfDetailFromTransform(painter.worldTransform()) < _TEXT_LOD:
            return
        painter.setFont(self.graph_style.title_font)
        painter.setPen(self.graph_style.text_pens["muted"])
        title = QRectF(9, 3, self._rect.width() - 16, 20)
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(title, flags, self.title)

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        requested = getattr(self.scene(), "collapse_requested", None)  # the graph's scene
        if requested is not None and event.pos().y() <= 26:
            requested.emit(self.graph_group.id)
        super().mouseDoubleClickEvent(event)


def _node_tip(node: GraphNode) -> str:
    if node.kind == "namespace":
        return f"{node.id}\n{node.members} workloads\nDouble-click to expand"
    return f"{node.sublabel} {node.label}\n{node.id}"
