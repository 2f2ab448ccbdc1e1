"""The base of a main-window view over the plan: its document, dialogs and the two
signals the window follows (see :mod:`workbench.ui.views`)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from workbench.ui.dialogs import Dialogs
from workbench.ui.document import PlanDocument


class PlanPane(QWidget):
    """A view of ``document`` that reports its selection and asks to open objects."""

    current_changed = Signal(str)  # the selection's key for the details dock, "" for none
    open_requested = Signal(str)  # go to that object

    def __init__(
        self, document: PlanDocument, parent: QWidget | None = None, dialogs: Dialogs | None = None
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.dialogs = dialogs or Dialogs()
