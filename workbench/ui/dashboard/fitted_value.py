"""A figure in the largest type that fits the room it is given.

Seven headline figures share the width of a 1400 px window beside the details dock;
rather than widen the window or cut a figure, the tiles agree on the largest type size
at which every figure fits (see :meth:`KpiTiles.fit_values`).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

VALUE_PT = 17.0  # the type size when there is room
MIN_VALUE_PT = 9.0
MIN_WIDTH = 48  # px: the label never asks for more than this
STEP_PT = 0.5
_PAD = 4


class FittedValue(QLabel):
    """A bold figure whose type size is set from outside (:meth:`use_points`); its width
    comes from the layout, never from the text."""

    resized = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("-", parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(MIN_WIDTH)
        self.use_points(VALUE_PT)

    def _font(self, points: float) -> QFont:
        f = QFont(self.font())
        f.setPointSizeF(points)
        f.setBold(True)
        return f

    def sizeHint(self) -> QSize:
        metrics = QFontMetrics(self._font(VALUE_PT))
        return QSize(metrics.horizontalAdvance(self.text()) + _PAD, metrics.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(MIN_WIDTH, QFontMetrics(self._font(VALUE_PT)).height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.resized.emit()

    def fitting_points(self) -> float:
        """The largest type size (down to MIN_VALUE_PT) at which the text fits the width."""
        points = VALUE_PT
        room = self.width() - _PAD
        while points > MIN_VALUE_PT and (
            QFontMetrics(self._font(points)).horizontalAdvance(self.text()) > room
        ):
            points -= STEP_PT
        return points

    def use_points(self, points: float) -> None:
        if self.font().pointSizeF() != points or not self.font().bold():
            self.setFont(self._font(points))
