"""The progress of a long graph layout, over the canvas, with a Cancel button (or Esc).

Shown only when a layout runs longer than :data:`SHOW_AFTER_MS`, so a small graph never
flickers; the layout itself runs on a worker thread (:mod:`layout_job`).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QWidget,
)

from workbench.ui.graph.layout_job import LayoutRunner

SHOW_AFTER_MS = 300


class LayoutProgress(QFrame):
    """A small panel at the top of ``host`` while ``runner`` works."""

    def __init__(self, runner: LayoutRunner, host: QWidget) -> None:
        super().__init__(host)
        self.runner = runner
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.label = QLabel("Laying out…", self)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 100)
        self.bar.setFixedWidth(160)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setToolTip("Stop this layout and keep the graph shown before (Esc)")
        self.cancel_button.clicked.connect(runner.cancel)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 10, 6)
        row.addWidget(self.label)
        row.addWidget(self.bar)
        row.addWidget(self.cancel_button)
        self._delay = QTimer(self)
        self._delay.setSingleShot(True)
        self._delay.setInterval(SHOW_AFTER_MS)
        self._delay.timeout.connect(self._appear)
        runner.running_changed.connect(self._on_running)
        runner.progress.connect(self._on_progress)
        host.installEventFilter(self)
        self.hide()

    def _on_running(self, running: bool) -> None:
        if running:
            self.bar.setValue(0)
            if self._delay.interval() == 0:
                self._appear()  # no delay asked for: at once, not after a turn of the loop
            else:
                self._delay.start()
        else:
            self._delay.stop()
            self.hide()

    def _on_progress(self, fraction: float, message: str) -> None:
        self.bar.setValue(round(fraction * 100))
        self.label.setText(message)

    def _appear(self) -> None:
        if self.runner.running:
            self._place()
            self.show()
            self.raise_()

    def _place(self) -> None:
        host = self.parentWidget()
        if host is None:
            return
        self.adjustSize()
        self.move(max(0, (host.width() - self.width()) // 2), 12)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        return False

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.key() == Qt.Key.Key_Escape:
            self.runner.cancel()
            return
        super().keyPressEvent(event)
