"""The window's questions and messages, behind one object so tests can answer them."""

from __future__ import annotations

from enum import Enum

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

PLAN_FILTER = "Mesh plans (*.meshplan);;All files (*)"


class UnsavedChoice(Enum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


class Dialogs:
    """Modal dialogs used by the main window; replace methods in tests."""

    def open_plan_path(self, parent: QWidget, directory: str) -> str | None:
        path, _ = QFileDialog.getOpenFileName(parent, "Open plan", directory, PLAN_FILTER)
        return path or None

    def save_plan_path(self, parent: QWidget, suggestion: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(parent, "Save plan as", suggestion, PLAN_FILTER)
        if path and not path.endswith(".meshplan") and "." not in path.rsplit("/", 1)[-1]:
            path += ".meshplan"
        return path or None

    def error(self, parent: QWidget, title: str, message: str) -> None:
        QMessageBox.critical(parent, title, message)

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
