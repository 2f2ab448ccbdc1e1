"""The coverage strip under the chart: the share of workloads and pods meshed per month.

It uses the economics engine's convention (:func:`workbench.domain.planning.outputs.
monthly_coverage`: members count from their wave's end, averaged over each month), so
the curve is exactly what drives a coverage ramp of the business case.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QGraphicsView, QWidget

from workbench.domain.economics.coverage import month_grid
from workbench.domain.plan import Plan
from workbench.domain.planning.outputs import MonthCoverage, monthly_coverage
from workbench.ui.gantt import palette
from workbench.ui.gantt.items import font_of
from workbench.ui.gantt.rulers import LABEL_WIDTH, scene_of, scroll_origin

COVERAGE_HEIGHT = 92
_PODS_PEN = QPen(palette.COVERAGE_PODS, 1.5, Qt.PenStyle.DashLine)
_LINE_PEN = QPen(palette.COVERAGE_LINE, 2)
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class CoverageStrip(QWidget):
    """Spans the view's width; the chart part lines up with the Gantt's time axis."""

    def __init__(self, view: QGraphicsView) -> None:
        super().__init__(view)
        self.view = view
        self.months: list[MonthCoverage] = []
        self.boundaries: list[float] = []  # ordinal days of the month boundaries

    def refresh(self, plan: Plan) -> None:
        self.months = monthly_coverage(plan)
        grid = month_grid(plan.schedule, plan.assumptions.start, len(self.months))
        self.boundaries = [float(b) for b in grid.boundaries()] if grid.start else []
        self.update()

    def workloads_share(self) -> list[float]:
        return [m.workloads for m in self.months]

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), palette.HEADER_BG)
        p.setPen(palette.GRID_MAJOR_PEN)
        p.drawLine(0, 0, self.width(), 0)
        top, bottom = 10.0, float(self.height() - 14)
        self._legend(p, top, bottom)
        p.setClipRect(QRectF(LABEL_WIDTH, 1, self.width() - LABEL_WIDTH, self.height() - 1))
        p.setPen(palette.GRID_PEN)
        for share in (0.0, 0.5, 1.0):
            y = bottom - share * (bottom - top)
            p.drawLine(QPointF(LABEL_WIDTH, y), QPointF(self.width(), y))
        if len(self.boundaries) == len(self.months) + 1 and self.months:
            self._curves(p, top, bottom)
        p.end()

    def _legend(self, p: QPainter, top: float, bottom: float) -> None:
        p.setFont(font_of(9.0, True))
        p.setPen(palette.TEXT_PEN)
        p.drawText(QRectF(12, top - 4, 200, 18), Qt.AlignmentFlag.AlignLeft, "Mesh coverage")
        p.setFont(font_of(8.0))
        final = self.months[-1] if self.months else None
        text = f"end: {final.workloads:.0%} of workloads, {final.pods:.0%} of pods" if final else ""
        p.setPen(palette.TEXT_MUTED_PEN)
        p.drawText(QRectF(12, top + 14, LABEL_WIDTH - 20, 16), Qt.AlignmentFlag.AlignLeft, text)
        p.setPen(_LINE_PEN)
        p.drawLine(QPointF(14, bottom - 4), QPointF(34, bottom - 4))
        p.setPen(palette.TEXT_MUTED_PEN)
        p.drawText(QPointF(40, bottom), "workloads")
        p.setPen(_PODS_PEN)
        p.drawLine(QPointF(114, bottom - 4), QPointF(134, bottom - 4))
        p.setPen(palette.TEXT_MUTED_PEN)
        p.drawText(QPointF(140, bottom), "pods")
        for share in (0.0, 1.0):
            y = bottom - share * (bottom - top)
            box = QRectF(LABEL_WIDTH - 44, y - 8, 38, 16)
            p.drawText(box, _RIGHT, f"{share:.0%}")

    def _curves(self, p: QPainter, top: float, bottom: float) -> None:
        scene = scene_of(self.view)
        axis = scene.axis
        x0 = scroll_origin(self.view).x() - LABEL_WIDTH
        origin = axis.origin.toordinal()

        def x_of(ordinal: float) -> float:
            return (ordinal - origin) * axis.px_per_day - x0

        def y_of(share: float) -> float:
            return bottom - share * (bottom - top)

        mids = [(self.boundaries[i] + self.boundaries[i + 1]) / 2 for i in range(len(self.months))]
        area = QPainterPath(QPointF(x_of(self.boundaries[0]), y_of(0.0)))
        line = QPainterPath(QPointF(x_of(self.boundaries[0]), y_of(self.months[0].workloads)))
        pods = QPainterPath(QPointF(x_of(self.boundaries[0]), y_of(self.months[0].pods)))
        area.lineTo(x_of(self.boundaries[0]), y_of(self.months[0].workloads))
        for mid, m in zip(mids, self.months, strict=True):
            area.lineTo(x_of(mid), y_of(m.workloads))
            line.lineTo(x_of(mid), y_of(m.workloads))
            pods.lineTo(x_of(mid), y_of(m.pods))
        end = x_of(self.boundaries[-1])
        area.lineTo(end, y_of(self.months[-1].workloads))
        line.lineTo(end, y_of(self.months[-1].workloads))
        pods.lineTo(end, y_of(self.months[-1].pods))
        area.lineTo(end, y_of(0.0))
        area.closeSubpath()
        p.fillPath(area, palette.COVERAGE_FILL)
        p.strokePath(line, _LINE_PEN)
        p.strokePath(pods, _PODS_PEN)
