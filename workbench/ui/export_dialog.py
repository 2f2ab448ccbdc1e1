"""File > Export: the Excel workbook, Istio manifests, the PDF report or PNG charts.

One format is chosen with its target; ticking "Also write" adds others in the same run,
each written beside the first target under its usual name.

The target Istio version and injection mode apply to this export only (the plan keeps
its own). The export runs in the background with progress and Cancel; when it is done,
"Open folder" shows the result.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.plan import INJECTION_MODES
from workbench.ops.background.usecases import plan_for_export as plan_for_export
from workbench.ops.background.window_usecases import EXPORT_FILES
from workbench.ui.dialogs import Dialogs
from workbench.ui.document import PlanDocument
from workbench.ui.job_dialog import JobDialog

ISTIO_VERSIONS = ("1.22", "1.23", "1.24", "1.25", "1.26", "1.27", "1.28", "1.29", "1.30")


@dataclass(frozen=True, slots=True)
class ExportKind:
    id: str
    title: str
    module: str
    function: str
    folder: bool  # the target is a folder (else a file)
    suffix: str = ""
    file_filter: str = ""


KINDS: tuple[ExportKind, ...] = (
    ExportKind(
        "excel",
        "Excel workbook",
        "workbench.ops.export_excel",
        "export_excel",
        False,
        ".xlsx",
        "Excel workbooks (*.xlsx)",
    ),
    ExportKind(
        "manifests", "Istio manifests", "workbench.ops.export_manifests", "export_manifests", True
    ),
    ExportKind(
        "pdf",
        "PDF report",
        "workbench.ops.export_report",
        "export_pdf",
        False,
        ".pdf",
        "PDF files (*.pdf)",
    ),
    ExportKind("png", "PNG charts", "workbench.ops.export_report", "export_png", True),
)


def exporter(kind: ExportKind) -> Callable[..., Any] | None:
    """The export function of ``kind``, or None when this build does not have it."""
    try:
        if importlib.util.find_spec(kind.module) is None:
            return None
        module = importlib.import_module(kind.module)
    except ImportError:
        return None
    fn = getattr(module, kind.function, None)
    return fn if callable(fn) else None


def available(kind: ExportKind) -> bool:
    """Whether this build has the export; not imported here: exports run in a worker."""
    try:
        return importlib.util.find_spec(kind.module) is not None
    except ImportError:
        return False


def available_kinds() -> list[ExportKind]:
    return [k for k in KINDS if available(k)]


class ExportDialog(JobDialog):
    def __init__(
        self, document: PlanDocument, dialogs: Dialogs, parent: QWidget | None = None
    ) -> None:
        super().__init__(document, dialogs, "Export", parent)
        self.setMinimumWidth(600)
        self.result_path: Path | None = None
        self.written: list[tuple[ExportKind, Path]] = []
        plan = document.plan
        self.kind_combo = QComboBox(self)
        for kind in available_kinds():
            self.kind_combo.addItem(kind.title, kind.id)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.path_edit = QLineEdit(self)
        browse = QPushButton("Browse…", self)
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        self.version_combo = QComboBox(self)
        self.version_combo.setEditable(True)
        self.version_combo.addItems(sorted(set(ISTIO_VERSIONS) | {plan.mesh.istio_version}))
        self.version_combo.setCurrentText(plan.mesh.istio_version)
        self.injection_combo = QComboBox(self)
        self.injection_combo.addItems(list(INJECTION_MODES))
        self.injection_combo.setCurrentText(plan.mesh.injection)
        self.scenario_combo = QComboBox(self)
        self.scenario_combo.addItem("Plan assumptions", None)
        for s in plan.scenarios:
            self.scenario_combo.addItem(s.name, s.name)
        active = self.scenario_combo.findData(plan.active_scenario)
        self.scenario_combo.setCurrentIndex(max(0, active))
        self.also_checks: dict[str, QCheckBox] = {}
        also_row = QHBoxLayout()
        for kind in available_kinds():
            check = QCheckBox(kind.title, self)
            check.setToolTip(f"Also write the {kind.title} beside the first target")
            check.toggled.connect(lambda _on: self._update_injection())
            self.also_checks[kind.id] = check
            also_row.addWidget(check)
        also_row.addStretch(1)
        form = QFormLayout()
        form.addRow("Export", self.kind_combo)
        form.addRow("To", path_row)
        form.addRow("Also write", also_row)
        form.addRow("Target Istio version", self.version_combo)
        form.addRow("Injection mode", self.injection_combo)
        form.addRow("Scenario", self.scenario_combo)
        if self.kind_combo.count() == 0:
            self.stage_label.setText("No exporter is available in this build.")
        self.export_button = QPushButton("Export", self)
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start)
        self.open_button = QPushButton("Open folder", self)
        self.open_button.clicked.connect(self.open_folder)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        for b in (self.export_button, self.cancel_button, self.close_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.stage_label)
        layout.addLayout(buttons)
        self._kind_changed()
        self._set_running(False)
        self.open_button.setEnabled(False)

    def kind(self) -> ExportKind | None:
        kind_id = self.kind_combo.currentData()
        return next((k for k in KINDS if k.id == kind_id), None)

    def set_kind(self, kind_id: str) -> bool:
        index = self.kind_combo.findData(kind_id)
        if index >= 0:
            self.kind_combo.setCurrentIndex(index)
        return index >= 0

    def _default_target(self, kind: ExportKind) -> str:
        doc = self.document
        folder = doc.path.parent if doc.path else Path.cwd()
        stem = doc.path.stem if doc.path else "plan"
        if kind.folder:
            return str(folder / f"{stem}-{kind.id}")
        return str(folder / f"{stem}{kind.suffix}")

    def _kind_changed(self) -> None:
        kind = self.kind()
        if kind is not None:
            self.path_edit.setText(self._default_target(kind))
        for kind_id, check in self.also_checks.items():
            check.setEnabled(kind is None or kind_id != kind.id)
        self._update_injection()

    def _update_injection(self) -> None:
        self.injection_combo.setEnabled("manifests" in {k.id for k, _ in self._chosen()})

    def _chosen(self) -> list[tuple[ExportKind, Path]]:
        """Every format to write, the chosen one first, with its target."""
        kind = self.kind()
        target = self.path_edit.text().strip()
        if kind is None or not target:
            return []
        main = Path(target)
        folder = main.parent
        stem = main.stem if not kind.folder else (self.document.path or Path("plan")).stem
        chosen = [(kind, main)]
        for other in KINDS:
            check = self.also_checks.get(other.id)
            if other.id == kind.id or check is None or not check.isChecked():
                continue
            name = f"{stem}-{other.id}" if other.folder else f"{stem}{other.suffix}"
            chosen.append((other, folder / name))
        return chosen

    def _browse(self) -> None:
        kind = self.kind()
        if kind is None:
            return
        current = self.path_edit.text()
        if kind.folder:
            chosen = self.dialogs.choose_folder(self, f"Export {kind.title} to", current)
        else:
            chosen = self.dialogs.save_export_path(
                self, f"Export {kind.title}", current, kind.file_filter
            )
        if chosen:
            self.path_edit.setText(chosen)

    def _set_running(self, running: bool) -> None:
        super()._set_running(running)
        self.export_button.setEnabled(not running and self.kind_combo.count() > 0)

    def start(self) -> bool:
        chosen = self._chosen()
        if not chosen or not all(available(k) for k, _ in chosen):
            self.stage_label.setText("Choose what to export and where.")
            return False
        kind, path = chosen[0]
        options = {
            "exports": [(k.title, f"{k.module}:{k.function}", str(p)) for k, p in chosen],
            "istio_version": self.version_combo.currentText().strip()
            or self.document.plan.mesh.istio_version,
            "injection": self.injection_combo.currentText(),
            "scenario": self.scenario_combo.currentData(),
        }
        self.result_path = None
        self.written = list(chosen)
        self.open_button.setEnabled(False)
        titles = ", ".join(k.title for k, _ in chosen)
        self.run_worker_job(
            f"Exporting {titles}",
            EXPORT_FILES,
            options,
            lambda _written: self._on_finished(path, kind),
        )
        return True

    def _on_finished(self, path: Path, kind: ExportKind) -> None:
        self.job_done()
        self.result_path = path
        extra = len(self.written) - 1
        more = f" (and {extra} more beside it)" if extra > 0 else ""
        self.stage_label.setText(f"{kind.title} written to {path}{more}")
        self.open_button.setEnabled(True)

    def _on_failed(self, error: object) -> None:
        self.job_failed(error, "Export", "Export cancelled.")

    def folder_to_open(self) -> Path | None:
        if self.result_path is None:
            return None
        return self.result_path if self.result_path.is_dir() else self.result_path.parent

    def open_folder(self) -> bool:
        folder = self.folder_to_open()
        return folder is not None and self.dialogs.open_folder(folder)
