"""The chart's fixed margins: the time header above and the row labels on the left.

Both paint from the scene's axis and layout and follow the view's scroll position,
so the dates and the row names stay in sight while the chart scrolls.
"""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QDrag, QMouseEvent, QPainter, QPaintEvent, QPolygonF
from PySide6.QtWidgets import QApplication, QGraphicsView, QWidget

from workbench.ui.gantt import palette
from workbench.ui.gantt.items import font_of
from workbench.ui.gantt.layout import Row
from workbench.ui.gantt.scene import GanttScene
from workbench.ui.mime import workloads_mime

LABEL_WIDTH = 300
HEADER_HEIGHT = 46


def scene_of(view: QGraphicsView) -> GanttScene:
    scene = view.scene()
    assert isinstance(scene, GanttScene)
    return scene


def scroll_origin(view: QGraphicsView) -> QPointF:
    """The scene point at the viewport's top-left corner."""
    return view.mapToScene(0, 0)


class TimeHeader(QWidget):
    """Years or months above, weeks, months or quarters below; today marked in red."""

    def __init__(self, view: QGraphicsView) -> None:
        super().__init__(view)
        self.view = view

    def paintEvent(self, event: QPaintEvent) -> None:
        scene = scene_of(self.view)
        axis = scene.axis
        p = QPainter(self)
        p.fillRect(self.rect(), palette.HEADER_BG)
        x0 = scroll_origin(self.view).x()
        width = self.width()
        first = axis.date_at(x0) - timedelta(days=400)
        last = axis.date_at(x0 + width) + timedelta(days=1)
        half = HEADER_HEIGHT / 2
        p.setClipRect(QRectF(0, 0, width, HEADER_HEIGHT))
        majors = axis.major_ticks(first, last)
        p.setFont(font_of(9.0, True))
        for i, tick in enumerate(majors):
            left = tick.x - x0
            right = (majors[i + 1].x - x0) if i + 1 < len(majors) else width + 400
            p.setPen(palette.GRID_MAJOR_PEN)
            p.drawLine(QPointF(left, 0), QPointF(left, HEADER_HEIGHT))
            p.setPen(palette.TEXT_PEN)
            label_x = max(left, 0) + 6
            if label_x < right - 20:
                p.drawText(
                    QRectF(label_x, 0, right - label_x, half),
                    Qt.AlignmentFlag.AlignVCenter,
                    tick.label,
                )
        p.setFont(font_of(8.0))
        minors = axis.minor_ticks(first, last)
        for i, tick in enumerate(minors):
            left = tick.x - x0
            right = (minors[i + 1].x - x0) if i + 1 < len(minors) else left + 60
            p.setPen(palette.GRID_PEN)
            p.drawLine(QPointF(left, half), QPointF(left, HEADER_HEIGHT))
            p.setPen(palette.TEXT_MUTED_PEN)
            if right - left > 18:
                p.drawText(
                    QRectF(left, half, right - left, half), Qt.AlignmentFlag.AlignCenter, tick.label
                )
        if scene.first <= scene.today <= scene.last:
            x = axis.x_of(scene.today) - x0
            p.setPen(palette.NO_PEN)
            p.setBrush(palette.TODAY_BRUSH)
            h = float(HEADER_HEIGHT)
            p.drawPolygon(QPolygonF([QPointF(x - 5, h - 8), QPointF(x + 5, h - 8), QPointF(x, h)]))
        p.setPen(palette.GRID_MAJOR_PEN)
        p.drawLine(0, HEADER_HEIGHT - 1, width, HEADER_HEIGHT - 1)
        p.end()


class RowHeader(QWidget):
    """Row names; click a wave's row to expand or collapse its workloads, drag a
    workload's row to move it to another wave."""

    toggled = Signal(str)  # wave id
    row_clicked = Signal(str, str)  # kind, key

    def __init__(self, view: QGraphicsView) -> None:
        super().__init__(view)
        self.view = view
        self._press: tuple[QPointF, Row] | None = None

    def _row_at(self, y: float) -> Row | None:
        return scene_of(self.view).layout.row_at(y + scroll_origin(self.view).y())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        row = self._row_at(event.position().y())
        if row is None or event.button() != Qt.MouseButton.LeftButton:
            return
        self._press = (event.position(), row)
        if row.kind == "wave":
            self.toggled.emit(row.key)
        self.row_clicked.emit(row.kind, row.key)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is None or self._press[1].kind != "member":
            return
        start, row = self._press
        if (event.position() - start).manhattanLength() < QApplication.startDragDistance():
            return
        self._press = None
        drag = QDrag(self)
        drag.setMimeData(workloads_mime([row.key]))
        drag.exec(Qt.DropAction.MoveAction)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._press = None

    def paintEvent(self, event: QPaintEvent) -> None:
        scene = scene_of(self.view)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), palette.BACKGROUND)
        y0 = scroll_origin(self.view).y()
        height = self.height()
        selected = {bar.wave_id for bar in scene.bars.values() if bar.isSelected()}
        for row in scene.layout.rows:
            top = row.top - y0
            if top + row.height < 0 or top > height:
                continue
            self._paint_row(p, row, QRectF(0, top, LABEL_WIDTH, row.height), row.key in selected)
        p.setPen(palette.GRID_MAJOR_PEN)
        p.drawLine(LABEL_WIDTH - 1, 0, LABEL_WIDTH - 1, height)
        p.end()

    def _paint_row(self, p: QPainter, row: Row, r: QRectF, selected: bool) -> None:
        scene = scene_of(self.view)
        if row.phase_index >= 0:
            p.fillRect(QRectF(0, r.top(), 4, r.height()), palette.phase_colour(row.phase_index))
        if row.kind == "phase":
            p.fillRect(r.adjusted(4, 0, 0, 0), palette.band_brush(row.phase_index))
        if selected:
            p.fillRect(r.adjusted(4, 0, 0, 0), palette.SELECTED.lighter(185))
        align = Qt.AlignmentFlag.AlignVCenter
        if row.kind in ("phase", "milestones", "backlog"):
            p.setFont(font_of(9.5, True))
            p.setPen(palette.TEXT_PEN)
            p.drawText(r.adjusted(12, 0, -8, 0), align, row.label)
            p.setFont(font_of(8.0))
            p.setPen(palette.TEXT_MUTED_PEN)
            p.drawText(r.adjusted(12, 0, -8, 0), align | Qt.AlignmentFlag.AlignRight, row.detail)
        elif row.kind == "activity":
            p.setFont(font_of(8.5))
            p.setPen(palette.TEXT_MUTED_PEN)
            p.drawText(r.adjusted(28, 0, -8, 0), align, _elide(p, row.label, r.width() - 36))
        elif row.kind == "wave":
            open_ = row.key in scene.expanded
            cx, cy = 18.0, r.center().y()
            p.setPen(palette.NO_PEN)
            p.setBrush(palette.PHASE_BAR_BRUSH)
            arrow = (
                [QPointF(cx - 4, cy - 2), QPointF(cx + 4, cy - 2), QPointF(cx, cy + 3)]
                if open_
                else [QPointF(cx - 2, cy - 4), QPointF(cx + 3, cy), QPointF(cx - 2, cy + 4)]
            )
            p.drawPolygon(QPolygonF(arrow))
            p.setFont(font_of(9.0, True))
            p.setPen(palette.TEXT_PEN)
            upper = QRectF(r.left() + 28, r.top() + 2, r.width() - 36, r.height() / 2 - 1)
            p.drawText(upper, Qt.AlignmentFlag.AlignBottom, _elide(p, row.label, upper.width()))
            p.setFont(font_of(8.0))
            p.setPen(palette.TEXT_MUTED_PEN)
            lower = QRectF(r.left() + 28, r.center().y() + 1, r.width() - 36, r.height() / 2 - 3)
            p.drawText(lower, Qt.AlignmentFlag.AlignTop, row.detail)
        else:
            p.setFont(font_of(8.0))
            p.setPen(palette.TEXT_PEN)
            p.drawText(r.adjusted(40, 0, -8, 0), align, _elide(p, row.label, 120))
            p.setPen(palette.TEXT_MUTED_PEN)
            p.drawText(r.adjusted(168, 0, -8, 0), align, _elide(p, row.detail, r.width() - 176))


def _elide(p: QPainter, text: str, width: float) -> str:
    return p.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, int(width))
