"""Colours, pens, brushes and fonts of the dependency graph, made once and shared.

Items never build their own pens: every pen and brush comes from one :class:`GraphStyle`
cache, keyed by what it draws, so a repaint or a highlight change allocates nothing.
"""

from __future__ import annotations

from collections.abc import Generator
from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPalette, QPen

from workbench.ops.graph_layout import GraphInput, namespace_counts, run_to_end


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


BACKGROUND = QColor("#fbfcfd")  # the light canvas (the palette's base colour is used)
CALLER_COLOUR = QColor("#c77700")
CALLEE_COLOUR = QColor("#23884a")
FOCUS_COLOUR = QColor("#1f6feb")
MATCH_COLOUR = QColor("#d73a49")
NAMESPACE_COLOUR = QColor("#5b7bb2")

# the colour a node state mixes into the canvas for its fill, and draws its border with
_STATE_TINTS = {
    NodeState.FOCUS: (FOCUS_COLOUR, 0.18),
    NodeState.CALLER: (CALLER_COLOUR, 0.2),
    NodeState.CALLEE: (CALLEE_COLOUR, 0.18),
    NodeState.BOTH: (QColor("#8250df"), 0.16),
}

# colour, alpha, dash pattern per edge style
EDGE_LOOKS: dict[str, tuple[str, int, Qt.PenStyle]] = {
    "static": ("", 170, Qt.PenStyle.SolidLine),  # "": the palette's text, faded
    "policy": ("", 190, Qt.PenStyle.DashLine),
    "traffic": ("#1b998b", 190, Qt.PenStyle.SolidLine),
    "listed": ("", 200, Qt.PenStyle.DotLine),
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


def mix(a: QColor, b: QColor, share: float) -> QColor:
    """``a`` with ``share`` of ``b`` mixed in (0: a, 1: b)."""
    keep = 1.0 - share
    return QColor.fromRgbF(
        a.redF() * keep + b.redF() * share,
        a.greenF() * keep + b.greenF() * share,
        a.blueF() * keep + b.blueF() * share,
    )


class GraphStyle:
    """The shared drawing tools, coloured from a palette; pens are cached per
    (style, width, state). :meth:`set_palette` recolours everything for another theme."""

    def __init__(self, base_font: QFont | None = None, palette: QPalette | None = None) -> None:
        font = QFont(base_font) if base_font is not None else QFont()
        font.setPointSizeF(9.0)
        self.font = font
        self.bold_font = QFont(font)
        self.bold_font.setBold(True)
        self.small_font = QFont(font)
        self.small_font.setPointSizeF(7.5)
        self.title_font = QFont(self.bold_font)
        self.title_font.setPointSizeF(9.5)
        self.set_palette(palette if palette is not None else QPalette())

    def set_palette(self, palette: QPalette) -> None:
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        self.dark = base.lightnessF() < 0.5
        self.base = base
        self.background = QBrush(mix(base, text, 0.015))
        self.group_brush = QBrush(mix(base, text, 0.07))
        self.group_pen = QPen(mix(base, text, 0.22), 1.0)
        self.group_focus_pen = QPen(FOCUS_COLOUR, 2.0)
        self.line = mix(base, text, 0.55)  # edges of manifest evidence
        self.dim_line = mix(base, text, 0.16)
        self.text_pens = {
            "text": QPen(text),
            "muted": QPen(mix(text, base, 0.35)),
            "dim": QPen(mix(text, base, 0.68)),
            "match": QPen(MATCH_COLOUR),
        }
        self.match_pen = QPen(MATCH_COLOUR, 2.5)
        self.selected_pen = QPen(FOCUS_COLOUR, 2.5)
        # a workload (or collapsed namespace holding one) whose callers nobody has seen
        self.unknown_pen = QPen(QColor("#e8590c"), 1.8, Qt.PenStyle.DashLine)
        self.swatches = {
            state: QBrush(mix(base, colour, share))
            for state, (colour, share) in _STATE_TINTS.items()
        }
        self._node: dict[tuple[NodeState, bool], tuple[QBrush, QPen]] = {}
        self._overview_pens: dict[tuple[int, int, float], QPen] = {}
        for state in NodeState:
            for namespace in (False, True):
                self._node[(state, namespace)] = self._node_look(state, namespace, base, text)
        self._edge_pens: dict[tuple[str, float, EdgeState], QPen] = {}

    def _node_look(
        self, state: NodeState, namespace: bool, base: QColor, text: QColor
    ) -> tuple[QBrush, QPen]:
        if state in _STATE_TINTS:
            colour, share = _STATE_TINTS[state]
            return QBrush(mix(base, colour, share)), QPen(colour, 1.8)
        if state is NodeState.DIMMED:
            return QBrush(mix(base, text, 0.03)), QPen(mix(base, text, 0.14), 1.0)
        if namespace:
            return QBrush(mix(base, NAMESPACE_COLOUR, 0.2)), QPen(NAMESPACE_COLOUR, 1.0)
        return QBrush(base), QPen(mix(base, text, 0.45), 1.0)

    def node_tools(self, state: NodeState, namespace: bool) -> tuple[QBrush, QPen]:
        return self._node[(state, namespace)]

    def overview_pen(self, pen: QPen) -> QPen:
        """``pen`` with its colour laid over the background beforehand, opaque: how a
        crowded overview draws its edges (the painter blends a translucent line into the
        picture several times slower; where edges cross, the overview loses only the
        darker crossing)."""
        colour = pen.color()
        key = (colour.rgba(), pen.style().value, pen.widthF())
        opaque = self._overview_pens.get(key)
        if opaque is None:
            opaque = QPen(pen)
            solid = QColor(colour)
            solid.setAlpha(255)
            opaque.setColor(mix(self.background.color(), solid, colour.alphaF()))
            self._overview_pens[key] = opaque
        return opaque

    def edge_pen(self, style: str, width: float, state: EdgeState) -> QPen:
        width = round(width * 2) / 2
        key = (style, width, state)
        pen = self._edge_pens.get(key)
        if pen is None:
            colour_name, alpha, dash = EDGE_LOOKS.get(style, EDGE_LOOKS["static"])
            colour = QColor(colour_name) if colour_name else QColor(self.line)
            colour = QColor(_STATE_COLOURS.get(state, colour))
            if state is EdgeState.DIMMED:
                colour = QColor(self.dim_line)
                alpha, width = 200, min(width, 1.0)
            elif state is not EdgeState.NORMAL:
                alpha, width = 255, max(width, 1.8)
            colour.setAlpha(alpha)
            pen = QPen(colour, width, dash, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
            pen.setCosmetic(False)
            self._edge_pens[key] = pen
        return pen


def measure_labels(style: GraphStyle, graph: GraphInput) -> dict[str, float]:
    """Label widths in scene units for the layout: workload names plain, namespace names bold."""
    return run_to_end(label_widths(style, graph, {}))


def label_widths(
    style: GraphStyle, graph: GraphInput, plain_widths: dict[str, float], chunk: int = 250
) -> Generator[None, None, dict[str, float]]:
    """:func:`measure_labels` ``chunk`` names at a time, pausing (yielding) between
    chunks. ``plain_widths`` keeps the names measured in the plain font, so a graph
    read again measures only its new names."""
    plain = QFontMetricsF(style.font)
    bold = QFontMetricsF(style.bold_font)
    widths: dict[str, float] = {}
    for i, w in enumerate(graph.workloads):
        if i % chunk == 0:
            yield
        if w.name not in widths:
            found = plain_widths.get(w.name)
            if found is None:
                found = plain_widths[w.name] = plain.horizontalAdvance(w.name)
            widths[w.name] = found
    for ns in namespace_counts(graph):
        name = ns.partition("/")[2]
        widths[name] = max(widths.get(name, 0.0), bold.horizontalAdvance(name))
    return widths
