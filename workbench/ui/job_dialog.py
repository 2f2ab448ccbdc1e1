"""A dialog that runs one background job: progress bar, current stage, Cancel and Close.

Escape (or Close) while the job runs cancels it first; the dialog closes only when it is
idle. Subclasses build their own form and say which buttons a running job disables.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtWidgets import QDialog, QPushButton, QWidget

from workbench.ui.dialogs import Dialogs
from workbench.ui.document import PlanDocument
from workbench.ui.job_progress import STEPS, failure_text, progress_widgets, show_progress
from workbench.ui.workers import JobFunction, JobHandle


class JobDialog(QDialog):
    def __init__(
        self,
        document: PlanDocument,
        dialogs: Dialogs,
        title: str,
        parent: QWidget | None = None,
        stage: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.document = document
        self.dialogs = dialogs
        self.job: JobHandle | None = None
        self.error = ""
        self.progress_bar, self.stage_label = progress_widgets(self, stage)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button = QPushButton("Close", self)
        self.close_button.clicked.connect(self.reject)

    @property
    def running(self) -> bool:
        return self.job is not None

    def _set_running(self, running: bool) -> None:
        self.cancel_button.setEnabled(running)
        self.close_button.setEnabled(not running)

    def run_job(self, title: str, fn: JobFunction, finished: Callable[[Any], None]) -> None:
        """Start ``fn`` on a background thread; ``finished`` gets its result."""
        self._attach(self.document.jobs.start(title, fn), finished)

    def run_worker_job(
        self,
        title: str,
        function: str,
        options: Mapping[str, Any],
        finished: Callable[[Any], None],
        *,
        with_plan: bool = True,
        plan_argument: str = "plan",
    ) -> None:
        """Run the use case ``function`` in a worker process (see
        :meth:`workbench.ui.workers.JobRunner.run_in_worker`), given the open plan as
        ``plan_argument`` when ``with_plan``; ``finished`` gets its result."""
        job = self.document.jobs.run_in_worker(
            title,
            function,
            options,
            document=self.document if with_plan else None,
            plan_argument=plan_argument,
        )
        self._attach(job, finished)

    def _attach(self, job: JobHandle, finished: Callable[[Any], None]) -> None:
        self.error = ""
        self.progress_bar.setValue(0)
        self.job = job
        self.job.progress.connect(self._on_progress)
        self.job.finished.connect(finished)
        self.job.failed.connect(self._on_failed)
        self._set_running(True)

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.stage_label.setText("Cancelling…")
            self.cancel_button.setEnabled(False)

    def _on_progress(self, fraction: float, message: str) -> None:
        show_progress(self.progress_bar, self.stage_label, fraction, message)

    def job_done(self) -> None:
        """The job ended well: the dialog is idle again and the bar full."""
        self.job = None
        self._set_running(False)
        self.progress_bar.setValue(STEPS)

    def job_failed(self, error: object, action: str, cancelled: str) -> None:
        """The job failed or was cancelled: say so in the stage line (and ``error``)."""
        self.job = None
        self._set_running(False)
        self.progress_bar.setValue(0)
        self.error = failure_text(error, action, cancelled)
        self.stage_label.setText(self.error)

    def _on_failed(self, error: object) -> None:
        self.job_failed(error, "The job", "Cancelled.")

    def reject(self) -> None:
        if self.running:  # Escape while the job runs cancels first
            self.cancel()
            return
        super().reject()
