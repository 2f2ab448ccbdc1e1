"""The undo history as a dock: every edit in order; clicking one goes back to it."""

from __future__ import annotations

from PySide6.QtWidgets import QDockWidget, QUndoView, QWidget

from workbench.ui.document import PlanDocument


class HistoryDock(QDockWidget):
    def __init__(self, document: PlanDocument, parent: QWidget | None = None) -> None:
        super().__init__("History", parent)
        self.setObjectName("HistoryDock")
        self.view = QUndoView(document.undo_stack, self)
        self.view.setEmptyLabel("Opened plan")
        self.setWidget(self.view)
