"""The questions File › Share… and File › Merge reviewed copy… ask, behind one object
tests can replace: where and how to share, which copies to merge, how to settle conflicts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.sharing.merge3 import Conflict
from workbench.ui.dialogs import PLAN_FILTER, ok_cancel_buttons


@dataclass(frozen=True, slots=True)
class ShareChoice:
    path: str
    hide_names: bool
    key_file: str | None = None  # None: the user's own key


@dataclass(frozen=True, slots=True)
class MergeChoice:
    base: str  # the plan as it was sent
    theirs: str  # the copy that came back
    key_file: str | None = None


def _file_row(parent: QWidget, edit: QLineEdit, pick: str, save: bool = False) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    button = QPushButton("Browse…", parent)

    def browse() -> None:
        if save:
            path, _ = QFileDialog.getSaveFileName(parent, pick, edit.text(), PLAN_FILTER)
        else:
            path, _ = QFileDialog.getOpenFileName(parent, pick, edit.text(), "All files (*)")
        if path:
            edit.setText(path)

    button.clicked.connect(browse)
    row.addWidget(button)
    return row


class ShareDialog(QDialog):
    """Where to write the copy, and whether to hide the names of the estate."""

    def __init__(self, parent: QWidget | None, suggestion: str, key_path: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("Share a copy of the plan")
        self.path = QLineEdit(suggestion, self)
        self.hide_box = QCheckBox("Hide the names of the estate (keyed hashes)", self)
        self.hide_box.setChecked(True)
        self.key = QLineEdit(self)
        self.key.setPlaceholderText(f"your key: {key_path}")
        note = QLabel(
            "Hidden names keep counts, graph, findings, schedule and economics identical. "
            "The key never enters the copy; keep it to merge the reviewed copy back.",
            self,
        )
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Copy", _file_row(self, self.path, "Share as", save=True))
        form.addRow("", self.hide_box)
        form.addRow("Key file", _file_row(self, self.key, "Key file"))
        self.hide_box.toggled.connect(self.key.setEnabled)
        buttons = ok_cancel_buttons(self)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def choice(self) -> ShareChoice | None:
        path = self.path.text().strip()
        if not path:
            return None
        return ShareChoice(path, self.hide_box.isChecked(), self.key.text().strip() or None)


class MergeDialog(QDialog):
    """The copy as sent (BASE) and the copy that came back (THEIRS)."""

    def __init__(self, parent: QWidget | None, directory: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("Merge a reviewed copy")
        self.base = QLineEdit(self)
        self.base.setPlaceholderText(f"{directory}/… the plan as you sent it")
        self.theirs = QLineEdit(self)
        self.theirs.setPlaceholderText("the reviewed copy that came back")
        self.key = QLineEdit(self)
        self.key.setPlaceholderText("your key (needed when names were hidden)")
        form = QFormLayout()
        form.addRow("As sent", _file_row(self, self.base, "The plan as sent"))
        form.addRow("Reviewed copy", _file_row(self, self.theirs, "The reviewed copy"))
        form.addRow("Key file", _file_row(self, self.key, "Key file"))
        buttons = ok_cancel_buttons(self)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def choice(self) -> MergeChoice | None:
        base, theirs = self.base.text().strip(), self.theirs.text().strip()
        if not base or not theirs:
            return None
        return MergeChoice(base, theirs, self.key.text().strip() or None)


class ConflictsDialog(QDialog):
    """The conflicting edits, one per line with both values; keep mine or take theirs."""

    def __init__(self, parent: QWidget | None, conflicts: Sequence[Conflict]) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{len(conflicts)} conflicting edit(s)")
        self.answer: str | None = None
        label = QLabel(
            "Both you and the reviewer changed these, differently. Settle them all one way; "
            "Undo takes the merge back.",
            self,
        )
        label.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.addItems([c.line() for c in conflicts])
        buttons = QDialogButtonBox(self)
        mine = buttons.addButton("Keep mine", QDialogButtonBox.ButtonRole.AcceptRole)
        theirs = buttons.addButton("Take theirs", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        mine.clicked.connect(lambda: self._answer("mine"))
        theirs.clicked.connect(lambda: self._answer("theirs"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(760, 360)

    def _answer(self, answer: str) -> None:
        self.answer = answer
        self.accept()


class SharingDialogs:
    """Modal dialogs of sharing and merging; replace methods in tests."""

    def ask_share(self, parent: QWidget, suggestion: str, key_path: str) -> ShareChoice | None:
        dialog = ShareDialog(parent, suggestion, key_path)
        return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def ask_merge(self, parent: QWidget, directory: str) -> MergeChoice | None:
        dialog = MergeDialog(parent, directory)
        return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def ask_conflicts(self, parent: QWidget, conflicts: Sequence[Conflict]) -> str | None:
        dialog = ConflictsDialog(parent, conflicts)
        dialog.exec()
        return dialog.answer

    def warn(self, parent: QWidget, title: str, message: str) -> None:
        QMessageBox.warning(parent, title, message)
