"""The frame every import dialog shares: its source widgets on top, then whether to
merge into the open plan or open a new one, the progress with Cancel, and the report.

The import runs in a worker process (see :mod:`workbench.ui.workers`); the open plan is
never touched by the job: the dialog hands the imported plan to the window.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from workbench.ui.dialogs import Dialogs
from workbench.ui.document import PlanDocument
from workbench.ui.job_dialog import JobDialog


class ImportDialog(JobDialog):
    """Shared frame: source widgets on top, then target, progress and report."""

    imported = Signal(object, bool)  # the imported plan, merge into the open plan?

    def __init__(
        self, document: PlanDocument, dialogs: Dialogs, title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(document, dialogs, title, parent, "Ready")
        self.setMinimumWidth(640)
        self.outcome: Any = None
        self.source = QFormLayout()
        self.merge_radio = QRadioButton("Merge into the open plan (assignments are kept)", self)
        self.new_radio = QRadioButton("Start a new plan", self)
        can_merge = bool(document.plan.inventory.workloads)
        self.merge_radio.setEnabled(can_merge)
        self.new_radio.setChecked(True)
        self.report = QPlainTextEdit(self)
        self.report.setReadOnly(True)
        self.report.setPlaceholderText("What was imported, and anything that failed, shows here.")
        self.report.setMaximumHeight(160)
        self.import_button = QPushButton("Import", self)
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.start)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.import_button, self.cancel_button, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(self.source)
        layout.addWidget(self.merge_radio)
        layout.addWidget(self.new_radio)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.stage_label)
        layout.addWidget(self.report)
        layout.addLayout(buttons)
        self._set_running(False)

    # -- to be provided ----------------------------------------------------------------
    def job_spec(self) -> tuple[str, dict[str, Any]]:
        """The use-case function that imports (see :mod:`workbench.ops.background.usecases`)
        and its options; it takes the plan to merge into as ``into``."""
        raise NotImplementedError

    def validate(self) -> str:
        """Why the import cannot start yet ("" when it can)."""
        return ""

    def summary_of(self, outcome: Any) -> str:
        text = str(outcome.summary())
        warnings = list(getattr(outcome, "warnings", []))
        if warnings:
            shown = "\n".join(f"• {w}" for w in warnings[:50])
            more = f"\n… and {len(warnings) - 50} more" if len(warnings) > 50 else ""
            text += f"\n\nNot imported or worth a look ({len(warnings)}):\n{shown}{more}"
        return text

    # -- running -------------------------------------------------------------------------
    def _set_running(self, running: bool) -> None:
        super()._set_running(running)
        self.import_button.setEnabled(not running)

    def start(self) -> bool:
        problem = self.validate()
        if problem:
            self.stage_label.setText(problem)
            return False
        merge = self.merge_radio.isChecked()
        function, options = self.job_spec()
        if not merge:
            options["into"] = None
        self.outcome = None
        self.report.clear()
        self.stage_label.setText("Starting…")
        self.run_worker_job(
            self.windowTitle(),
            function,
            options,
            lambda outcome: self._on_finished(outcome, merge),
            with_plan=merge,
            plan_argument="into",
        )
        return True

    def _on_finished(self, outcome: Any, merge: bool) -> None:
        self.job_done()
        self.outcome = outcome
        self.stage_label.setText("Imported into the open plan." if merge else "Imported.")
        self.report.setPlainText(self.summary_of(outcome))
        self.imported.emit(outcome.plan, merge)

    def _on_failed(self, error: object) -> None:
        self.job_failed(
            error, "Import", "Cancelled: nothing was imported and the plan is unchanged."
        )
        self.report.setPlainText(self.error)
