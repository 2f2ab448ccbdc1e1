"""Colours, pens, brushes and fonts of the dependency graph, made once and shared.

Items never build their own pens: every pen and brush comes from one :class:`GraphStyle`
cache, keyed by what it draws, so a repaint or a highlight change allocates nothing.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPen

from workbench.ops.graph_layout import GraphInput, namespace_counts


class NodeState(Enum):
    NORMAL = "normal"
    FOCUS = "focus"  # the workload whose neighbours are shown
    CALLER = "caller"  # calls the focus
    CALLEE = "callee"  # called by the focus
    BOTH = "both"  # calls and is called by the focus
    DIMMED = "dimmed"


class EdgeState(Enum):
    NORMAL = "normal"
    INCOMING = "incoming"  # caller -> focus
    OUTGOING = "outgoing"  # focus -> callee
    DIMMED = "dimmed"
    SELECTED = "selected"


BACKGROUND = QColor("#fbfcfd")
TEXT = QColor("#1d2733")
MUTED_TEXT = QColor("#5f6b7a")
DIM_TEXT = QColor("#b3bbc6")
CALLER_COLOUR = QColor("#c77700")
CALLEE_COLOUR = QColor("#23884a")
FOCUS_COLOUR = QColor("#1f6feb")
MATCH_COLOUR = QColor("#d73a49")

# fill, border per node state; namespace nodes have their own normal look
_NODE_COLOURS = {
    NodeState.NORMAL: ("#ffffff", "#8a99ad"),
    NodeState.FOCUS: ("#dbe9ff", "#1f6feb"),
    NodeState.CALLER: ("#fff0d4", "#c77700"),
    NodeState.CALLEE: ("#dcf3e3", "#23884a"),
    NodeState.BOTH: ("#efe3ff", "#8250df"),
    NodeState.DIMMED: ("#f6f7f9", "#dde2e8"),
}
_NAMESPACE_NORMAL = ("#e6edf8", "#5b7bb2")

# colour, alpha, dash pattern per edge style
EDGE_LOOKS: dict[str, tuple[str, int, Qt.PenStyle]] = {
    "static": ("#66788f", 170, Qt.PenStyle.SolidLine),
    "policy": ("#66788f", 190, Qt.PenStyle.DashLine),
    "traffic": ("#1b998b", 190, Qt.PenStyle.SolidLine),
    "listed": ("#66788f", 200, Qt.PenStyle.DotLine),
    "manual": ("#d9480f", 230, Qt.PenStyle.SolidLine),
    "aggregate": ("#5b7bb2", 95, Qt.PenStyle.SolidLine),
}
EDGE_LABELS = {
    "static": "env / ConfigMap",
    "policy": "NetworkPolicy",
    "traffic": "runtime",  # observed at runtime; short so the legend fits at 1400x900
    "listed": "CSV",
    "manual": "by hand",
    "aggregate": "namespace calls (count)",
}
_STATE_COLOURS = {
    EdgeState.INCOMING: CALLER_COLOUR,
    EdgeState.OUTGOING: CALLEE_COLOUR,
    EdgeState.SELECTED: FOCUS_COLOUR,
}


class GraphStyle:
    """The shared drawing tools; pens are cached per (style, width, state)."""

    def __init__(self, base_font: QFont | None = None) -> None:
        font = QFont(base_font) if base_font is not None else QFont()
        font.setPointSizeF(9.0)
        self.font = font
        self.bold_font = QFont(font)
        self.bold_font.setBold(True)
        self.small_font = QFont(font)
        self.small_font.setPointSizeF(7.5)
        self.title_font = QFont(self.bold_font)
        self.title_font.setPointSizeF(9.5)
        self.background = QBrush(BACKGROUND)
        self.group_brush = QBrush(QColor("#eef2f7"))
        self.group_pen = QPen(QColor("#c3ccd8"), 1.0)
        self.group_focus_pen = QPen(FOCUS_COLOUR, 2.0)
        self.text_pens = {
            "text": QPen(TEXT),
            "muted": QPen(MUTED_TEXT),
            "dim": QPen(DIM_TEXT),
            "match": QPen(MATCH_COLOUR),
        }
        self.match_pen = QPen(MATCH_COLOUR, 2.5)
        self.selected_pen = QPen(FOCUS_COLOUR, 2.5)
        # a workload (or collapsed namespace holding one) whose callers nobody has seen
        self.unknown_pen = QPen(QColor("#e8590c"), 1.8, Qt.PenStyle.DashLine)
        self._node: dict[tuple[NodeState, bool], tuple[QBrush, QPen]] = {}
        for state, (fill, border) in _NODE_COLOURS.items():
            for namespace in (False, True):
                if namespace and state is NodeState.NORMAL:
                    fill, border = _NAMESPACE_NORMAL
                width = 1.8 if state in (NodeState.FOCUS, NodeState.CALLER, NodeState.CALLEE) else 1
                self._node[(state, namespace)] = (QBrush(QColor(fill)), QPen(QColor(border), width))
        self._edge_pens: dict[tuple[str, float, EdgeState], QPen] = {}

    def node_tools(self, state: NodeState, namespace: bool) -> tuple[QBrush, QPen]:
        return self._node[(state, namespace)]

    def edge_pen(self, style: str, width: float, state: EdgeState) -> QPen:
        width = round(width * 2) / 2
        key = (style, width, state)
        pen = self._edge_pens.get(key)
        if pen is None:
            colour_name, alpha, dash = EDGE_LOOKS.get(style, EDGE_LOOKS["static"])
            colour = QColor(_STATE_COLOURS.get(state, QColor(colour_name)))
            if state is EdgeState.DIMMED:
                colour = QColor("#cfd6de")
                alpha, width = 90, min(width, 1.0)
            elif state is not EdgeState.NORMAL:
                alpha, width = 255, max(width, 1.8)
            colour.setAlpha(alpha)
            pen = QPen(colour, width, dash, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
            pen.setCosmetic(False)
            self._edge_pens[key] = pen
        return pen


def measure_labels(style: GraphStyle, graph: GraphInput) -> dict[str, float]:
    """Label widths in scene units for the layout: workload names plain, namespace names bold."""
    plain = QFontMetricsF(style.font)
    bold = QFontMetricsF(style.bold_font)
    widths = {w.name: plain.horizontalAdvance(w.name) for w in graph.workloads}
    for ns in namespace_counts(graph):
        name = ns.partition("/")[2]
        widths[name] = max(widths.get(name, 0.0), bold.horizontalAdvance(name))
    return widths
