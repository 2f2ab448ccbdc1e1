"""Search-as-you-type over the inventory table.

Every word typed must appear in some cell of the row (wave and worst finding
included). The source model filters its rows itself in one Python pass and resets;
this proxy stays a plain pass-through in C++, so neither a keystroke nor a
background result costs one Python call per row (which, with a background job
holding the interpreter, would be slow).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSortFilterProxyModel, Qt

from workbench.ui.inventory_columns import SORT_ROLE
from workbench.ui.inventory_model import InventoryTableModel


class InventoryFilterProxy(QSortFilterProxyModel):
    """Passes the filter words and sorting on to the source model."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)

    @property
    def terms(self) -> list[str]:
        return self._model().filter_terms

    def _model(self) -> InventoryTableModel:
        model = self.sourceModel()
        assert isinstance(model, InventoryTableModel)
        return model

    def set_filter_text(self, text: str) -> None:
        self._model().set_filter_terms(text.lower().split())

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting happens in the source model; the proxy keeps its order."""
        self._model().sort(column, order)
