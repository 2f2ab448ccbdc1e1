"""The remediation backlog's lanes on the Gantt chart: a hatched band per namespace.

Workloads in the backlog have no dates: a readiness cause keeps them out of every wave
until it is fixed or muted. Each lane spans the chart, says how many workloads wait and
on which rules, and its tooltip gives the fix.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from workbench.domain.planning.backlog_lanes import BacklogLane
from workbench.ui.gantt import palette
from workbench.ui.gantt.items import BoxItem, font_of

LANE_COLOUR = QColor("#c92a2a")
LANE_BRUSH = QBrush(QColor(201, 42, 42, 40), Qt.BrushStyle.BDiagPattern)
LANE_FILL = QBrush(QColor(201, 42, 42, 14))
LANE_PEN = QPen(QColor(201, 42, 42, 110), 1, Qt.PenStyle.DashLine)
SHOWN_KEYS = 8  # workloads named in a lane's tooltip; the rest are counted


class BacklogBar(BoxItem):
    """One namespace's backlog: no dates, so it spans the chart."""

    def __init__(self, lane: BacklogLane) -> None:
        super().__init__()
        self.lane = lane
        self.setToolTip(tooltip(lane))

    def paint(self, p: QPainter, o: QStyleOptionGraphicsItem, w: QWidget | None = None) -> None:
        p.setPen(LANE_PEN)
        p.setBrush(LANE_FILL)
        p.drawRect(self._rect)
        p.setBrush(LANE_BRUSH)
        p.drawRect(self._rect)
        p.setFont(font_of(8.0))
        p.setPen(palette.TEXT_PEN)
        n = len(self.lane.keys)
        text = (
            f"{n} workload{'s' if n != 1 else ''} kept out by {self.lane.summary}"
            f"  ·  fix: {self.lane.fix}"
        )
        p.drawText(self._rect.adjusted(8, 0, -8, 0), Qt.AlignmentFlag.AlignVCenter, text)


def tooltip(lane: BacklogLane) -> str:
    names = [html.escape(k.split("/", 2)[-1]) for k in lane.keys[:SHOWN_KEYS]]
    more = len(lane.keys) - len(names)
    if more > 0:
        names.append(f"and {more} more")
    return (
        f"<b>{html.escape(lane.namespace)}</b>: kept out of the waves by "
        f"{html.escape(lane.summary)}<br>{'<br>'.join(names)}<br><i>Fix:</i> "
        f"{html.escape(lane.fix)}<br>Fixing or muting the cause returns them to planning."
    )


def lane_rect(x0: float, x1: float, top: float, height: float) -> QRectF:
    return QRectF(x0, top + 3, max(x1 - x0, 2.0), height - 6)
