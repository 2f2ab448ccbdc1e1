"""Auto-plan from the chart: options, a preview of the proposed waves, then apply.

The proposal is computed in the background (with progress and Cancel) and shown
without touching the plan; Apply executes it as one command, so one undo takes it back.
The preview's table lists every wave the proposal fills, new ones and existing ones that
workloads join, so its counts add up to what Apply assigns.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.jobs import JobCancelled
from workbench.domain.planning.autoplan import AutoPlanOptions, Proposal
from workbench.domain.schedule import DATAPLANE_MODES
from workbench.ops.background.usecases import AUTO_PLAN
from workbench.ui.document import PlanDocument
from workbench.ui.workers import JobHandle, JobRunner

PREVIEW_COLUMNS = ("Wave", "Phase", "Start", "End", "Workloads", "Pods", "Mode")
NAMESPACES_CHOICES = ("When injection is by namespace label", "Always", "Never")


class AutoPlanDialog(QDialog):
    def __init__(
        self, document: PlanDocument, runner: JobRunner | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Auto-plan waves")
        self.resize(760, 560)
        self.document = document
        self.runner = runner or JobRunner(self)
        self.proposal: Proposal | None = None
        self._job: JobHandle | None = None
        document.changed.connect(self._on_plan_changed)

        self.max_workloads = self._spin(0, 10_000, 50, "No limit")
        self.max_pods = self._spin(0, 1_000_000, 0, "No limit")
        self.wave_days = self._spin(1, 365, 14)
        self.pilot_size = self._spin(0, 1_000, 10, "No pilot")
        self.parallel = self._spin(1, 100, max(1, document.plan.schedule.max_concurrent_waves))
        self.freezes = QLineEdit(self)
        self.freezes.setPlaceholderText("e.g. 2027-12-15:2028-01-05, 2028-06-01:2028-06-07")
        self.freezes.setToolTip("Date ranges (inclusive) in which no wave runs, comma-separated")
        self.freezes.textChanged.connect(self._check_inputs)
        self.teams = QLineEdit(self)
        owners = sorted({i.owner for i in document.plan.business.values() if i.owner})
        self.teams.setPlaceholderText(
            f"e.g. {owners[0]}=1" if owners else "needs owner teams from Import metadata"
        )
        self.teams.setToolTip(
            "Waves holding an owner team's workloads that may run at once, as TEAM=N, "
            "comma-separated" + (f"; teams: {', '.join(owners[:12])}" if owners else "")
        )
        self.teams.textChanged.connect(self._check_inputs)
        self.start = QDateEdit(self)
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat("yyyy-MM-dd")
        self.use_start = QCheckBox("Not before", self)
        self.use_start.toggled.connect(self.start.setEnabled)
        self.start.setEnabled(False)
        self.start.setDate(QDate.currentDate())
        self.namespaces = QComboBox(self)
        self.namespaces.addItems(NAMESPACES_CHOICES)
        self.mode = QComboBox(self)
        self.mode.addItems(DATAPLANE_MODES)
        self.keep = QCheckBox("Keep the waves and assignments made so far", self)
        self.keep.setChecked(True)

        form = QFormLayout()
        form.addRow("Workloads per wave", self.max_workloads)
        form.addRow("Pods per wave", self.max_pods)
        form.addRow("Wave length (days)", self.wave_days)
        form.addRow("Pilot size (workloads)", self.pilot_size)
        form.addRow("Waves in parallel", self.parallel)
        form.addRow("Freeze windows", self.freezes)
        form.addRow("Team throughput", self.teams)
        start_row = QHBoxLayout()
        start_row.addWidget(self.use_start)
        start_row.addWidget(self.start, 1)
        form.addRow("First wave", start_row)
        form.addRow("Keep namespaces whole", self.namespaces)
        form.addRow("Data-plane mode", self.mode)
        form.addRow("", self.keep)

        self.preview_button = QPushButton("Preview", self)
        self.preview_button.clicked.connect(self.preview)
        self.cancel_button = QPushButton("Cancel preview", self)
        self.cancel_button.clicked.connect(self.cancel_preview)
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.stage = QLabel(self)
        actions = QHBoxLayout()
        actions.addWidget(self.preview_button)
        actions.addWidget(self.cancel_button)
        actions.addWidget(self.progress, 1)

        self.table = QTableWidget(0, len(PREVIEW_COLUMNS), self)
        self.table.setHorizontalHeaderLabels(PREVIEW_COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel("Press Preview to see the waves auto-plan proposes.", self)
        self.summary.setWordWrap(True)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.summary.setMinimumHeight(self.fontMetrics().lineSpacing() * 7)

        self.buttons = QDialogButtonBox(self)
        self.apply_button = self.buttons.addButton("Apply", QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setEnabled(False)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(actions)
        layout.addWidget(self.stage)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)

    def _spin(self, low: int, high: int, value: int, special: str = "") -> QSpinBox:
        spin = QSpinBox(self)
        spin.setRange(low, high)
        spin.setValue(value)
        if special:
            spin.setSpecialValueText(special)
        return spin

    def freeze_windows(self) -> tuple[tuple[date, date], ...]:
        """The freeze windows typed in; raises ValueError naming the first bad one."""
        windows = []
        for part in self.freezes.text().replace(";", ",").split(","):
            text = part.strip()
            if not text:
                continue
            first, sep, last = text.partition(":")
            try:
                start, end = date.fromisoformat(first.strip()), date.fromisoformat(last.strip())
            except ValueError:
                raise ValueError(f"not a freeze window FROM:TO (YYYY-MM-DD): {text!r}") from None
            if not sep or end < start:
                raise ValueError(f"freeze window {text!r} ends before it starts")
            windows.append((start, end))
        return tuple(windows)

    def team_limits(self) -> tuple[tuple[str, int], ...]:
        """The per-team throughput typed in; raises ValueError naming the first bad one."""
        owners = {i.owner for i in self.document.plan.business.values() if i.owner}
        limits = []
        for part in self.teams.text().replace(";", ",").split(","):
            text = part.strip()
            if not text:
                continue
            team, sep, number = (t.strip() for t in text.rpartition("="))
            if not sep or not team or not number.isdigit() or int(number) < 1:
                raise ValueError(f"not a team throughput TEAM=N (N at least 1): {text!r}")
            if team not in owners:
                raise ValueError(
                    f"no workload is owned by team {team!r}: import the business metadata "
                    "that names it first"
                )
            limits.append((team, int(number)))
        return tuple(limits)

    def _check_inputs(self) -> None:
        try:
            self.freeze_windows()
            self.team_limits()
        except ValueError as exc:
            self.stage.setText(str(exc))
            self.preview_button.setEnabled(False)
            return
        self.stage.setText("")
        self.preview_button.setEnabled(self._job is None)

    def options(self) -> AutoPlanOptions:
        keep_ns = {0: None, 1: True, 2: False}[self.namespaces.currentIndex()]
        return AutoPlanOptions(
            max_workloads=self.max_workloads.value() or None,
            max_pods=self.max_pods.value() or None,
            wave_length_days=self.wave_days.value(),
            start=self.start.date().toPython() if self.use_start.isChecked() else None,  # type: ignore[arg-type]
            keep_namespaces_whole=keep_ns,
            pilot_size=self.pilot_size.value(),
            target_mode=self.mode.currentText(),
            keep_assignments=self.keep.isChecked(),
            parallel=self.parallel.value(),
            freezes=self.freeze_windows(),
            team_parallel=self.team_limits(),
        )

    # -- preview ------------------------------------------------------------------------------
    def preview(self) -> None:
        """Compute a proposal in the background; the plan is not changed."""
        self.cancel_preview()
        self.proposal = None
        self.apply_button.setEnabled(False)
        self.table.setRowCount(0)
        options = {"options": self.options()}
        handle = self.runner.run_in_worker(
            "Auto-plan preview", AUTO_PLAN, options, document=self.document
        )
        handle.progress.connect(self._on_progress)  # a replaced run's outcome is dropped:
        handle.finished.connect(lambda p, h=handle: self._settle(h, self._on_proposal, p))
        handle.failed.connect(lambda e, h=handle: self._settle(h, self._on_failed, e))
        self._job = handle
        self._set_busy(True)

    def _settle(self, handle: JobHandle, show: Callable[[Any], object], outcome: object) -> None:
        """The current run ended: show its outcome and make the dialog idle again (the
        handle's own ``done`` may reach a handle the runner has already released)."""
        if handle is self._job:
            show(outcome)
            self._set_busy(False)

    def _on_plan_changed(self, _change: object) -> None:
        """A preview of the plan as it was is stale: preview the edited plan instead."""
        if self._job is not None and self._job.running:
            self.preview()

    def cancel_preview(self) -> None:
        if self._job is not None and self._job.running:
            self._job.cancel()

    def _set_busy(self, busy: bool) -> None:
        self.preview_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
        if not busy:
            self._job = None

    def _on_progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(int(fraction * 100))
        self.stage.setText(message)

    def _on_failed(self, error: object) -> None:
        if isinstance(error, JobCancelled):
            self.stage.setText("Preview cancelled.")
        else:
            self.stage.setText(f"Auto-plan failed: {error}")

    def _on_proposal(self, proposal: object) -> None:
        assert isinstance(proposal, Proposal)
        self.proposal = proposal
        plan = self.document.plan
        phases = {p.id: p.name for p in [*plan.schedule.phases, *proposal.phases]}
        pods = plan.inventory.workloads
        existing = {w.id: w for w in plan.schedule.waves}
        rows = [(w, list(w.members), "") for w in proposal.waves]
        rows += [(existing[wid], keys, " (joins)") for wid, keys in sorted(proposal.joins.items())]
        self.table.setRowCount(len(rows))
        for row, (wave, members, suffix) in enumerate(rows):
            values = (
                f"{wave.id}  {wave.name}{suffix}",
                phases.get(wave.phase, wave.phase),
                wave.start.isoformat(),
                wave.end.isoformat(),
                str(len(members)),
                str(sum(pods[k].pods for k in members if k in pods)),
                wave.mode,
            )
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if col >= 4:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, col, item)
        joined = sum(map(len, proposal.joins.values()))
        fresh = sum(len(w.members) for w in proposal.waves)
        parts = [
            f"{proposal.assigned_count()} workload(s) planned: {fresh} in "
            f"{len(proposal.waves)} new wave(s)",
        ]
        if joined:
            parts.append(f"{joined} join existing waves")
        if proposal.left_out:
            parts.append(f"{len(proposal.left_out)} go to the remediation backlog")
        if proposal.removed_waves:
            parts.append(f"{len(proposal.removed_waves)} existing wave(s) replaced")
        notes = "".join(f"\n• {note}" for note in proposal.notes)
        self.summary.setText("; ".join(parts) + "." + notes)
        self.apply_button.setEnabled(True)

    # -- apply ------------------------------------------------------------------------------
    def apply(self) -> None:
        """Apply the previewed proposal as one undoable step."""
        if self.proposal is None:
            return
        self.document.execute(self.proposal.command())
        self.accept()

    def reject(self) -> None:
        self.cancel_preview()
        super().reject()
