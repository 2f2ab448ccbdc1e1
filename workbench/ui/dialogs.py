"""The window's questions and messages, behind one object so tests can answer them."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from workbench.ui.autosave import Recovery

PLAN_FILTER = "Mesh plans (*.meshplan);;All files (*)"
MANIFEST_FILTER = "Kubernetes objects (*.yaml *.yml *.json);;All files (*)"


def ok_cancel_buttons(dialog: QDialog) -> QDialogButtonBox:
    """OK and Cancel for a form dialog, wired to accept and reject it."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class UnsavedChoice(Enum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


class Dialogs:
    """Modal dialogs used by the main window and its views; replace methods in tests."""

    def open_plan_path(self, parent: QWidget, directory: str) -> str | None:
        path, _ = QFileDialog.getOpenFileName(parent, "Open plan", directory, PLAN_FILTER)
        return path or None

    def save_plan_path(self, parent: QWidget, suggestion: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(parent, "Save plan as", suggestion, PLAN_FILTER)
        if path and not path.endswith(".meshplan") and "." not in path.rsplit("/", 1)[-1]:
            path += ".meshplan"
        return path or None

    def choose_files(self, parent: QWidget, directory: str) -> list[str]:
        paths, _ = QFileDialog.getOpenFileNames(
            parent, "Add Kubernetes object files", directory, MANIFEST_FILTER
        )
        return list(paths)

    def choose_folder(self, parent: QWidget, title: str, directory: str) -> str | None:
        return QFileDialog.getExistingDirectory(parent, title, directory) or None

    def choose_kubeconfig(self, parent: QWidget, directory: str) -> str | None:
        path, _ = QFileDialog.getOpenFileName(parent, "Choose a kubeconfig", directory)
        return path or None

    def save_export_path(
        self, parent: QWidget, title: str, suggestion: str, file_filter: str
    ) -> str | None:
        path, _ = QFileDialog.getSaveFileName(parent, title, suggestion, file_filter)
        return path or None

    def ask_text(self, parent: QWidget, title: str, label: str) -> str | None:
        text, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal)
        return text if ok else None

    def ask_name(self, parent: QWidget, title: str, label: str, current: str) -> str | None:
        """A name, pre-filled with ``current``; None when cancelled."""
        text, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, current)
        return text if ok else None

    def error(self, parent: QWidget, title: str, message: str) -> None:
        QMessageBox.critical(parent, title, message)

    def info(self, parent: QWidget, title: str, message: str) -> None:
        QMessageBox.information(parent, title, message)

    def open_folder(self, path: Path) -> bool:
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def ask_restore(self, parent: QWidget, recoveries: Sequence[Recovery]) -> Recovery | None:
        """Offer the newest recovery copy a crash left; None declines (the copies go)."""
        newest = recoveries[0]
        more = (
            f"\n\n{len(recoveries) - 1} older copy(ies) will be discarded."
            if len(recoveries) > 1
            else ""
        )
        answer = QMessageBox.question(
            parent,
            "Restore unsaved work?",
            "The workbench did not close properly last time. A recovery copy of "
            f"{newest.describe()} was kept.\n\nRestore it?{more}",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        return newest if answer == QMessageBox.StandardButton.Yes else None

    def ask_unsaved(self, parent: QWidget, name: str) -> UnsavedChoice:
        buttons = (
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel
        )
        answer = QMessageBox.warning(
            parent,
            "Unsaved changes",
            f"'{name}' has unsaved changes. Save them first?",
            buttons,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return UnsavedChoice.SAVE
        if answer == QMessageBox.StandardButton.Discard:
            return UnsavedChoice.DISCARD
        return UnsavedChoice.CANCEL
