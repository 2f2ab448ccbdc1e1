"""What the import and export dialogs share while a background job runs: a progress bar
with the current stage, and one sentence for how a job ended badly."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QProgressBar, QWidget

from workbench.domain.errors import WorkbenchError
from workbench.domain.jobs import JobCancelled

STEPS = 1000


def progress_widgets(parent: QWidget, stage: str = "") -> tuple[QProgressBar, QLabel]:
    bar = QProgressBar(parent)
    bar.setRange(0, STEPS)
    bar.setValue(0)
    label = QLabel(stage, parent)
    label.setWordWrap(True)
    return bar, label


def show_progress(bar: QProgressBar, label: QLabel, fraction: float, message: str) -> None:
    bar.setValue(round(max(0.0, min(1.0, fraction)) * STEPS))
    label.setText(message)


def failure_text(error: object, action: str, cancelled: str) -> str:
    """``cancelled`` for a cancelled job, else "<action> failed: <what went wrong>"."""
    if isinstance(error, JobCancelled):
        return cancelled
    if isinstance(error, WorkbenchError | OSError):
        return f"{action} failed: {error}"
    return f"{action} failed unexpectedly: {type(error).__name__}: {error}"
