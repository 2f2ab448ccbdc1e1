"""Markers on the Gantt where the rollout check finds a step that breaks a call.

A red octagon beside a wave's bar: at its start when the wave's mesh step breaks a
call, after its end when its lockdown does; steps of no wave (the foundation, the
mesh-wide step, the entry cut-over) mark the milestone row at the last wave's end.
The tooltip lists the broken calls and why. Markers follow the rollout check of the
document (:mod:`workbench.ui.rollout_check`) and vanish while it is stale.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QObject, QPointF, QRectF
from PySide6.QtGui import QBrush, QColor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from workbench.domain.simulation import StepResult
from workbench.ui.document import PlanDocument
from workbench.ui.gantt.items import BoxItem
from workbench.ui.gantt.scene import GanttScene
from workbench.ui.rollout_check import rollout_checker

SIZE = 14.0
FILL = QBrush(QColor("#c92a2a"))
OUTLINE = QPen(QColor("#ffffff"), 1.5)
LISTED = 8


class BreakMarker(BoxItem):
    def __init__(self, wave_id: str, results: list[StepResult]) -> None:
        super().__init__()
        self.wave_id = wave_id
        self.results = results
        self.setZValue(12)
        lines = []
        for r in results:
            lines.append(f"<b>{html.escape(r.step.id)}</b>: {len(r.broken)} call(s) break")
            for v in r.new_broken[:LISTED] or r.broken[:LISTED]:
                lines.append(f"&nbsp;&nbsp;{html.escape(v.call.label())}: {html.escape(v.reason)}")
        self.setToolTip("<br>".join(lines))

    def paint(self, p: QPainter, o: QStyleOptionGraphicsItem, w: QWidget | None = None) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = self._rect
        c, h = r.center(), r.width() / 2
        k = h * 0.414
        points = [
            (-k, -h), (k, -h), (h, -k), (h, k), (k, h), (-k, h), (-h, k), (-h, -k),
        ]  # fmt: skip
        p.setPen(OUTLINE)
        p.setBrush(FILL)
        p.drawPolygon(QPolygonF([QPointF(c.x() + x, c.y() + y) for x, y in points]))
        p.drawLine(QPointF(c.x(), c.y() - h * 0.5), QPointF(c.x(), c.y() + h * 0.15))
        p.drawPoint(QPointF(c.x(), c.y() + h * 0.45))


class RolloutMarkers(QObject):
    """Keeps the scene's break markers in step with the document's rollout check."""

    def __init__(self, scene: GanttScene, document: PlanDocument) -> None:
        super().__init__(scene)
        self.scene = scene
        self.checker = rollout_checker(document)
        self.items: list[BreakMarker] = []
        self.checker.updated.connect(self.place)
        scene.cleared.connect(self._forget)  # a rebuild deleted the markers with the bars
        scene.layout_changed.connect(self.place)  # and places them again beside the new bars

    def _forget(self) -> None:
        self.items = []

    def place(self) -> None:
        for item in self.items:
            if item.scene() is self.scene:
                self.scene.removeItem(item)
        self.items = []
        check = self.checker.current
        if check is None:
            return
        bars = self.scene.bars
        ends = [b.rect().right() for b in bars.values()]
        for wave_id, results in sorted(check.wave_breaks().items()):
            bar = bars.get(wave_id)
            if bar is not None:
                rect = bar.rect()
                mesh = [r for r in results if r.step.kind != "lockdown"]
                lock = [r for r in results if r.step.kind == "lockdown"]
                if mesh:
                    self._add(wave_id, mesh, QPointF(rect.left() - SIZE / 2 - 3, rect.center().y()))
                if lock:
                    self._add(wave_id, lock, QPointF(rect.right() + 24, rect.center().y()))
            elif self.scene.layout.rows:
                row = self.scene.layout.rows[0]
                x = max(ends, default=self.scene.axis.x_of(self.scene.today)) + SIZE
                self._add(wave_id, results, QPointF(x, row.centre))

    def _add(self, wave_id: str, results: list[StepResult], centre: QPointF) -> None:
        item = BreakMarker(wave_id, results)
        item.set_rect(QRectF(centre.x() - SIZE / 2, centre.y() - SIZE / 2, SIZE, SIZE))
        self.scene.addItem(item)
        self.items.append(item)
