"""Edit > Preferences: theme, autosave delay and where recovery copies go."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from workbench.ui.dialogs import ok_cancel_buttons
from workbench.ui.settings import AUTOSAVE_SECONDS, Preferences


def _seconds_text(seconds: int) -> str:
    if seconds == 0:
        return "off"
    return f"{seconds} s" if seconds < 60 else f"{seconds // 60} min"


class PreferencesDialog(QDialog):
    """Shows ``prefs``; :meth:`preferences` gives the edited copy after Accept."""

    def __init__(self, prefs: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.theme_combo = QComboBox(self)
        self.theme_combo.addItem("Light", "light")
        self.theme_combo.addItem("Dark", "dark")
        self.theme_combo.setCurrentIndex(max(0, self.theme_combo.findData(prefs.theme)))
        self.autosave_combo = QComboBox(self)
        choices = sorted(set(AUTOSAVE_SECONDS) | {prefs.autosave_seconds})
        for seconds in choices:
            self.autosave_combo.addItem(_seconds_text(seconds), seconds)
        self.autosave_combo.setCurrentIndex(self.autosave_combo.findData(prefs.autosave_seconds))
        self.recovery_edit = QLineEdit(prefs.recovery_dir, self)
        self.recovery_edit.setPlaceholderText("the application data folder")
        browse = QPushButton("Browse…", self)
        browse.clicked.connect(self._browse)
        recovery_row = QHBoxLayout()
        recovery_row.addWidget(self.recovery_edit, 1)
        recovery_row.addWidget(browse)
        form = QFormLayout(self)
        form.addRow("Theme", self.theme_combo)
        form.addRow("Autosave a recovery copy after", self.autosave_combo)
        form.addRow("Recovery folder", recovery_row)
        buttons = ok_cancel_buttons(self)
        form.addRow(buttons)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "Recovery folder", self.recovery_edit.text()
        )
        if folder:
            self.recovery_edit.setText(folder)

    def preferences(self) -> Preferences:
        return Preferences(
            theme=str(self.theme_combo.currentData()),
            autosave_seconds=int(self.autosave_combo.currentData()),
            recovery_dir=self.recovery_edit.text().strip(),
        )
