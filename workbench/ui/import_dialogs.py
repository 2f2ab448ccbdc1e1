"""Import dialogs: from live clusters (kubeconfig contexts) and from files and folders
(Kubernetes objects, and runtime captures of who calls whom).

The import runs in the background (see :mod:`workbench.ui.workers`) with a progress
bar, the current stage and a Cancel button that stops it. The open plan is never
touched by the job: the dialog hands the imported plan to the window, which merges it
in as one undoable edit or opens it as a new plan. Failures say what failed; parts
that could be read (other contexts, other files) are kept and the failures listed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.errors import WorkbenchError
from workbench.domain.inventory import SYSTEM_NAMESPACES
from workbench.ops.background.usecases import CLUSTER_IMPORT, FILES_IMPORT
from workbench.ops.cluster_namespaces import list_namespaces
from workbench.ui.dialogs import Dialogs
from workbench.ui.document import PlanDocument
from workbench.ui.import_dialog_base import ImportDialog
from workbench.ui.workers import JobHandle

__all__ = ["ClusterImportDialog", "FilesImportDialog", "ImportDialog"]


class ClusterImportDialog(ImportDialog):
    """Kubeconfig, contexts and namespaces to read."""

    def __init__(
        self, document: PlanDocument, dialogs: Dialogs, parent: QWidget | None = None
    ) -> None:
        super().__init__(document, dialogs, "Import from a cluster", parent)
        self.kubeconfig_edit = QLineEdit(self)
        self.kubeconfig_edit.setPlaceholderText(
            os.environ.get("KUBECONFIG") or str(Path.home() / ".kube" / "config")
        )
        browse = QPushButton("Browse…", self)
        browse.clicked.connect(self._browse)
        self.load_button = QPushButton("Load contexts", self)
        self.load_button.clicked.connect(self.load_contexts)
        row = QHBoxLayout()
        row.addWidget(self.kubeconfig_edit, 1)
        row.addWidget(browse)
        row.addWidget(self.load_button)
        self.contexts_list = QListWidget(self)
        self.contexts_list.setMaximumHeight(110)
        self.namespaces_list = QListWidget(self)
        self.namespaces_list.setMaximumHeight(140)
        self.namespaces_button = QPushButton("List namespaces", self)
        self.namespaces_button.clicked.connect(self.load_namespaces)
        self.system_check = QCheckBox(
            "Include system namespaces (" + ", ".join(sorted(SYSTEM_NAMESPACES)) + ")", self
        )
        self.system_check.setChecked(False)
        self.system_check.toggled.connect(self._toggle_system)
        ns_box = QVBoxLayout()
        ns_box.addWidget(self.namespaces_list)
        ns_row = QHBoxLayout()
        ns_row.addWidget(self.namespaces_button)
        ns_row.addStretch(1)
        ns_box.addLayout(ns_row)
        ns_box.addWidget(self.system_check)
        self.source.addRow("Kubeconfig", row)
        self.source.addRow("Contexts", self.contexts_list)
        self.source.addRow("Namespaces", ns_box)
        self._ns_job: JobHandle | None = None
        self.load_contexts(quiet=True)

    def kubeconfig(self) -> str | None:
        return self.kubeconfig_edit.text().strip() or None

    def _browse(self) -> None:
        start = str(Path(self.kubeconfig() or Path.home() / ".kube").parent)
        path = self.dialogs.choose_kubeconfig(self, start)
        if path:
            self.kubeconfig_edit.setText(path)
            self.load_contexts()

    def load_contexts(self, quiet: bool = False) -> bool:
        from workbench.ops.import_cluster import available_contexts

        self.contexts_list.clear()
        self.namespaces_list.clear()
        try:
            contexts, current = available_contexts(self.kubeconfig())
        except WorkbenchError as exc:
            if not quiet:
                self.stage_label.setText(str(exc))
            return False
        for ctx in contexts:
            item = QListWidgetItem(f"{ctx.name}  —  {ctx.server}")
            item.setData(Qt.ItemDataRole.UserRole, ctx.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if ctx.name == current else Qt.CheckState.Unchecked
            )
            self.contexts_list.addItem(item)
        self.stage_label.setText(f"{len(contexts)} context(s) found")
        return True

    def set_contexts_checked(self, names: list[str]) -> None:
        for i in range(self.contexts_list.count()):
            item = self.contexts_list.item(i)
            on = item.data(Qt.ItemDataRole.UserRole) in names
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def chosen_contexts(self) -> list[str]:
        items = (self.contexts_list.item(i) for i in range(self.contexts_list.count()))
        return [
            str(item.data(Qt.ItemDataRole.UserRole))
            for item in items
            if item.checkState() == Qt.CheckState.Checked
        ]

    def load_namespaces(self) -> bool:
        contexts = self.chosen_contexts()
        if not contexts or self._ns_job is not None:
            return False
        kubeconfig = self.kubeconfig()
        self._ns_job = self.document.jobs.start(
            "Listing namespaces",
            lambda progress, cancel: list_namespaces(contexts, kubeconfig, progress, cancel),
        )
        self._ns_job.finished.connect(self._show_namespaces)
        self._ns_job.failed.connect(self._namespaces_failed)
        self.stage_label.setText("Listing namespaces…")
        return True

    def _show_namespaces(self, listed: dict[str, list[str]]) -> None:
        self._ns_job = None
        self.namespaces_list.clear()
        for name in sorted({n for names in listed.values() for n in names}):
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            system = name in SYSTEM_NAMESPACES
            on = not system or self.system_check.isChecked()
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            self.namespaces_list.addItem(item)
        self.stage_label.setText(f"{self.namespaces_list.count()} namespace(s)")

    def _namespaces_failed(self, error: object) -> None:
        self._ns_job = None
        self.stage_label.setText(f"Cannot list namespaces: {error}")

    def _toggle_system(self, on: bool) -> None:
        for i in range(self.namespaces_list.count()):
            item = self.namespaces_list.item(i)
            if item.text() in SYSTEM_NAMESPACES:
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def chosen_namespaces(self) -> list[str] | None:
        """The ticked namespaces, or None when the list was not loaded."""
        if self.namespaces_list.count() == 0:
            return None
        items = (self.namespaces_list.item(i) for i in range(self.namespaces_list.count()))
        return [i.text() for i in items if i.checkState() == Qt.CheckState.Checked]

    def validate(self) -> str:
        if not self.chosen_contexts():
            return "Choose at least one context (load them from the kubeconfig first)."
        if self.chosen_namespaces() == []:
            return "Tick at least one namespace."
        return ""

    def job_spec(self) -> tuple[str, dict[str, Any]]:
        return CLUSTER_IMPORT, {
            "contexts": self.chosen_contexts(),
            "kubeconfig": self.kubeconfig(),
            "namespaces": self.chosen_namespaces(),
            "include_system": self.system_check.isChecked(),
        }


class FilesImportDialog(ImportDialog):
    """Files and folders of Kubernetes objects (one cluster), and runtime captures
    (Hubble flows, traces, flow logs) whose calls are matched to the estate."""

    def __init__(
        self, document: PlanDocument, dialogs: Dialogs, parent: QWidget | None = None
    ) -> None:
        super().__init__(document, dialogs, "Import from files", parent)
        self.paths_list = QListWidget(self)
        self.paths_list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.paths_list.setMinimumHeight(120)
        add_files = QPushButton("Add files…", self)
        add_files.clicked.connect(self._add_files)
        add_folder = QPushButton("Add folder…", self)
        add_folder.clicked.connect(self._add_folder)
        remove = QPushButton("Remove", self)
        remove.clicked.connect(self._remove)
        buttons = QHBoxLayout()
        for b in (add_files, add_folder, remove):
            buttons.addWidget(b)
        buttons.addStretch(1)
        paths_box = QVBoxLayout()
        paths_box.addWidget(self.paths_list)
        paths_box.addLayout(buttons)
        self.cluster_edit = QLineEdit("cluster", self)
        self.namespace_edit = QLineEdit("default", self)
        self.source.addRow("Files and folders", paths_box)
        self.paths_list.setToolTip(
            "Manifests, kubectl output and folders; runtime captures (Hubble flows, OTLP, "
            "Jaeger or Zipkin traces, flow logs) are recognised by their content"
        )
        self.source.addRow("Cluster name", self.cluster_edit)
        self.source.addRow("Namespace for objects without one", self.namespace_edit)

    def add_paths(self, paths: list[str]) -> None:
        present = set(self.paths())
        for path in paths:
            if path and path not in present:
                self.paths_list.addItem(path)
                present.add(path)

    def paths(self) -> list[str]:
        return [self.paths_list.item(i).text() for i in range(self.paths_list.count())]

    def _start_dir(self) -> str:
        paths = self.paths()
        return str(Path(paths[-1]).parent) if paths else str(Path.cwd())

    def _add_files(self) -> None:
        self.add_paths(self.dialogs.choose_files(self, self._start_dir()))

    def _add_folder(self) -> None:
        folder = self.dialogs.choose_folder(self, "Add a folder of manifests", self._start_dir())
        if folder:
            self.add_paths([folder])

    def _remove(self) -> None:
        for item in self.paths_list.selectedItems():
            self.paths_list.takeItem(self.paths_list.row(item))

    def validate(self) -> str:
        if not self.paths():
            return "Add at least one file or folder."
        if not self.cluster_edit.text().strip() or "/" in self.cluster_edit.text():
            return "Give the cluster a name without '/'."
        return ""

    def job_spec(self) -> tuple[str, dict[str, Any]]:
        return FILES_IMPORT, {
            "paths": self.paths(),
            "cluster": self.cluster_edit.text().strip(),
            "namespace": self.namespace_edit.text().strip() or "default",
        }
