"""The graphics view of the dependency graph: wheel and keyboard zoom, drag to pan."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView, QWidget

MIN_SCALE = 0.03
MAX_SCALE = 4.0
FIT_MAX_SCALE = 1.25  # a small graph is not blown up past this when fitted
STEP = 1.25


class GraphCanvas(QGraphicsView):
    """Zoom with the wheel or + / - / 0 (fit); drag the background or use the scrollbars."""

    zoomed = Signal(float)
    delete_pressed = Signal()
    escape_pressed = Signal()

    def __init__(self, scene: QGraphicsScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.auto_fit = True  # keep the whole graph in view on resize until the user zooms

    @property
    def zoom(self) -> float:
        return float(self.transform().m11())

    def zoom_by(self, factor: float, *, at_mouse: bool = True) -> None:
        target = min(MAX_SCALE, max(MIN_SCALE, self.zoom * factor))
        if abs(target - self.zoom) < 1e-9:
            return
        if not at_mouse:
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        ratio = target / self.zoom
        self.auto_fit = False
        self.scale(ratio, ratio)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.zoomed.emit(self.zoom)

    def zoom_in(self) -> None:
        self.zoom_by(STEP, at_mouse=False)

    def zoom_out(self) -> None:
        self.zoom_by(1 / STEP, at_mouse=False)

    def fit(self, rect: QRectF | None = None, max_scale: float = FIT_MAX_SCALE) -> None:
        """Show ``rect`` (default: the whole graph) as large as fits, up to ``max_scale``."""
        scene = self.scene()
        self.auto_fit = rect is None
        area = rect if rect is not None else scene.sceneRect()
        if area.isEmpty():
            return
        if rect is not None:
            area = area.adjusted(-16, -16, 16, 16)
        self.fitInView(area, Qt.AspectRatioMode.KeepAspectRatio)
        if self.zoom > max_scale:
            self.resetTransform()
            self.scale(max_scale, max_scale)
            self.centerOn(area.center())
        self.zoomed.emit(self.zoom)

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom_by(1.15**steps)
            event.accept()
        else:
            super().wheelEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_in()
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom_out()
        elif key == Qt.Key.Key_0:
            self.fit()
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.delete_pressed.emit()
        elif key == Qt.Key.Key_Escape:
            self.escape_pressed.emit()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.auto_fit:
            self.fit()
