"""The real modal dialogs, answered by a timer that clicks their buttons."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from workbench.ui.dialogs import Dialogs, UnsavedChoice


def answer_message_box(button: QMessageBox.StandardButton, seen: list[str]) -> Callable[[], None]:
    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):  # not up yet
            QTimer.singleShot(10, click)
            return
        seen.append(box.text())
        box.button(button).click()

    return click


@pytest.mark.parametrize(
    ("button", "choice"),
    [
        (QMessageBox.StandardButton.Save, UnsavedChoice.SAVE),
        (QMessageBox.StandardButton.Discard, UnsavedChoice.DISCARD),
        (QMessageBox.StandardButton.Cancel, UnsavedChoice.CANCEL),
    ],
)
def test_unsaved_question_maps_buttons_to_choices(
    qapp: QApplication, button: QMessageBox.StandardButton, choice: UnsavedChoice
) -> None:
    parent = QWidget()
    seen: list[str] = []
    QTimer.singleShot(0, answer_message_box(button, seen))
    assert Dialogs().ask_unsaved(parent, "Estate plan") is choice
    assert seen == ["'Estate plan' has unsaved changes. Save them first?"]


def test_error_shows_the_message(qapp: QApplication) -> None:
    parent = QWidget()
    seen: list[str] = []
    QTimer.singleShot(0, answer_message_box(QMessageBox.StandardButton.Ok, seen))
    Dialogs().error(parent, "Cannot open plan", "plan.meshplan: not a plan file")
    assert seen == ["plan.meshplan: not a plan file"]
