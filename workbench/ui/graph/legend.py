"""The key to the graph's edge styles and highlight colours, on screen and in exports.

One row of samples: a line per edge style (the namespace style only while namespaces are
collapsed) and a swatch each for the callers and callees of the selected node.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QFontMetricsF, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from workbench.ops.graph_layout import EDGE_STYLES
from workbench.ui.graph.style import EDGE_LABELS, EdgeState, GraphStyle, NodeState

_SAMPLE = 22.0
_GAP = 6.0
_SPACING = 12.0
_HEIGHT = 22.0
_SAMPLE_WIDTHS = {"traffic": 3.0, "aggregate": 3.0, "manual": 2.8}
_SWATCHES = ((NodeState.CALLER, "caller"), (NodeState.CALLEE, "callee"))
_UNKNOWN = "unknown-callers"  # the outline of a node whose callers nobody has seen


LEGEND_TIP = (
    "Where each dependency comes from:\n"
    "runtime: observed at runtime (e.g. Kiali / Prometheus)\n"
    "env / ConfigMap, NetworkPolicy: found in the manifests\n"
    "CSV: imported from a file · by hand: added in this view\n"
    "caller / callee: of the selected node\n"
    "callers unknown: nothing has observed or confirmed who calls it"
)


def legend_rows(collapsed: bool) -> list[str]:
    """Edge styles to explain; the namespace style only when namespaces are collapsed."""
    return [s for s in EDGE_STYLES if s != "aggregate" or collapsed]


def _entries(rows: list[str]) -> list[tuple[str, str]]:
    return (
        [(row, EDGE_LABELS[row]) for row in rows]
        + [("", text) for _, text in _SWATCHES]
        + [(_UNKNOWN, "callers unknown")]
    )


def legend_size(style: GraphStyle, rows: list[str]) -> QSize:
    """The size of the legend on one line."""
    metrics = QFontMetricsF(style.small_font)
    width = sum(_SAMPLE + _GAP + metrics.horizontalAdvance(t) for _, t in _entries(rows))
    width += _SPACING * (len(_entries(rows)) - 1) + 2 * _GAP
    return QSize(int(width) + 1, int(_HEIGHT))


def legend_lines(style: GraphStyle, rows: list[str], width: float | None) -> list[list[int]]:
    """The entries on each line when the legend has ``width`` (None: one line)."""
    metrics = QFontMetricsF(style.small_font)
    lines: list[list[int]] = [[]]
    x = _GAP
    for i, (_, text) in enumerate(_entries(rows)):
        advance = _SAMPLE + _GAP + metrics.horizontalAdvance(text)
        if width is not None and lines[-1] and x + advance + _GAP > width:
            lines.append([])
            x = _GAP
        lines[-1].append(i)
        x += advance + _SPACING
    return lines


def paint_legend(
    painter: QPainter,
    top_left: QPointF,
    style: GraphStyle,
    rows: list[str],
    width: float | None = None,
) -> None:
    """Draw the legend from ``top_left``, wrapping onto more lines past ``width``."""
    metrics = QFontMetricsF(style.small_font)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setFont(style.small_font)
    swatches = iter(_SWATCHES)
    entries = _entries(rows)
    line_of = {i: n for n, line in enumerate(legend_lines(style, rows, width)) for i in line}
    x = top_left.x() + _GAP
    for i, (row, text) in enumerate(entries):
        if i and line_of[i] != line_of[i - 1]:
            x = top_left.x() + _GAP
        y = top_left.y() + _HEIGHT / 2 + _HEIGHT * line_of[i]
        if row == _UNKNOWN:
            painter.setPen(style.unknown_pen)
            painter.setBrush(style.node_tools(NodeState.NORMAL, False)[0])
            painter.drawRoundedRect(QRectF(x + 3, y - 6, _SAMPLE - 6, 12), 3, 3)
        elif row:
            pen = style.edge_pen(row, _SAMPLE_WIDTHS.get(row, 1.3), EdgeState.NORMAL)
            painter.setPen(pen)
            painter.drawLine(QPointF(x, y), QPointF(x + _SAMPLE, y))
            # the arrow head shows the direction: caller -> callee
            painter.drawLine(QPointF(x + _SAMPLE, y), QPointF(x + _SAMPLE - 6, y - 3.5))
            painter.drawLine(QPointF(x + _SAMPLE, y), QPointF(x + _SAMPLE - 6, y + 3.5))
        else:
            state, _ = next(swatches)
            brush, pen = style.node_tools(state, False)
            painter.setPen(pen)
            painter.setBrush(brush)
            painter.drawRoundedRect(QRectF(x + 3, y - 6, _SAMPLE - 6, 12), 3, 3)
        painter.setPen(style.text_pens["muted"])
        advance = metrics.horizontalAdvance(text)
        painter.drawText(
            QRectF(x + _SAMPLE + _GAP, y - _HEIGHT / 2, advance + 2, _HEIGHT),
            Qt.AlignmentFlag.AlignVCenter,
            text,
        )
        x += _SAMPLE + _GAP + advance + _SPACING
    painter.restore()


class LegendStrip(QWidget):
    """The legend as a line under the graph; a narrow window wraps it, never clips it."""

    def __init__(self, style: GraphStyle, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.graph_style = style
        self.rows = legend_rows(False)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setToolTip(LEGEND_TIP)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return int(_HEIGHT) * len(legend_lines(self.graph_style, self.rows, width))

    def lines(self) -> int:
        """How many lines the legend takes at its current width."""
        return len(legend_lines(self.graph_style, self.rows, self.width()))

    def set_collapsed(self, collapsed: bool) -> None:
        self.rows = legend_rows(collapsed)
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return legend_size(self.graph_style, self.rows)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, self.heightForWidth(self.width()))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        paint_legend(painter, QPointF(0, 0), self.graph_style, self.rows, self.width())
        painter.end()
