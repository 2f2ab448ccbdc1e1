"""The status bar's progress of a plan file opening in the background, with Cancel."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from workbench.ui.job_progress import STEPS
from workbench.ui.workers import JobHandle


class OpeningProgress(QWidget):
    """Shows one opening job's stage and progress; Cancel stops it (the plan shown stays)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("opening-progress")
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, STEPS)
        self.bar.setMaximumWidth(160)
        self.bar.setMaximumHeight(14)
        self.bar.setTextVisible(False)
        self.cancel_button = QToolButton(self)
        self.cancel_button.setText("Cancel")
        self.cancel_button.setToolTip("Stop opening this plan; the plan shown stays open")
        self.cancel_button.clicked.connect(self.cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.handle: JobHandle | None = None
        self.hide()

    def track(self, handle: JobHandle) -> None:
        self.handle = handle
        self.label.setText(handle.title + "…")
        self.bar.setValue(0)
        handle.progress.connect(self._progress)
        handle.done.connect(lambda: self._done(handle))
        self.show()

    def cancel(self) -> None:
        if self.handle is not None:
            self.handle.cancel()
            self.label.setText("Cancelling…")

    def _progress(self, fraction: float, message: str) -> None:
        self.bar.setValue(round(max(0.0, min(1.0, fraction)) * STEPS))
        if message:
            self.label.setText(message)

    def _done(self, handle: JobHandle) -> None:
        if handle is self.handle:
            self.handle = None
            self.hide()
