"""The inventory view: a filter box over a sortable workload table with a context menu."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.commands import Change
from workbench.domain.plan import Plan
from workbench.ui.inventory_model import KEY_ROLE, InventoryFilterProxy, InventoryTableModel

_MIN_COLUMN_WIDTH = 80
_MAX_COLUMN_WIDTH = 360


class InventoryView(QWidget):
    """Shows the plan's workloads; asks for wave edits through its signals."""

    assign_requested = Signal(list, str)  # workload keys, wave id
    unassign_requested = Signal(list)  # workload keys

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._plan = Plan()
        self.model = InventoryTableModel(self)
        self.proxy = InventoryFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filter workloads: words to match in any column")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._on_filter_text)
        self.count_label = QLabel(self)

        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._show_context_menu)

        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 8)
        layout.addLayout(top)
        layout.addWidget(self.table)

        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)

    # -- feeding ----------------------------------------------------------------------
    def set_plan(self, plan: Plan) -> None:
        self._plan = plan
        self.model.set_plan(plan)
        self._fit_columns()
        self._update_count()

    def apply_change(self, change: Change) -> None:
        self.model.apply_change(change)
        self._update_count()

    def _fit_columns(self) -> None:
        header = self.table.horizontalHeader()
        header.setResizeContentsPrecision(500)
        self.table.resizeColumnsToContents()
        for col in range(self.model.columnCount()):
            width = header.sectionSize(col)
            header.resizeSection(col, max(_MIN_COLUMN_WIDTH, min(width + 16, _MAX_COLUMN_WIDTH)))

    # -- filter and selection ---------------------------------------------------------------
    def _on_filter_text(self, text: str) -> None:
        self.proxy.set_filter_text(text)
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        noun = "workload" if total == 1 else "workloads"
        text = f"{total:,} {noun}" if shown == total else f"{shown:,} of {total:,} {noun}"
        self.count_label.setText(text)

    def selected_keys(self) -> list[str]:
        rows = self.table.selectionModel().selectedRows()
        return [str(self.proxy.data(index, KEY_ROLE)) for index in rows]

    def visible_keys(self) -> list[str]:
        """Keys of the rows as shown (filtered and sorted)."""
        return [
            str(self.proxy.data(self.proxy.index(row, 0), KEY_ROLE))
            for row in range(self.proxy.rowCount())
        ]

    # -- context menu -----------------------------------------------------------------------
    def context_menu(self) -> QMenu:
        """The menu for the current selection: assign to a wave, or unassign."""
        keys = self.selected_keys()
        menu = QMenu(self)
        assign = menu.addMenu("Assign to wave")
        assign.setEnabled(bool(keys) and bool(self._plan.schedule.waves))
        for wave in self._plan.schedule.waves:
            action = QAction(f"{wave.name}  ({wave.id})", assign)
            action.setData(wave.id)
            action.triggered.connect(
                lambda _checked=False, wid=wave.id: self.assign_requested.emit(keys, wid)
            )
            assign.addAction(action)
        assigned = [k for k in keys if self._plan.schedule.wave_of(k) is not None]
        unassign = menu.addAction("Unassign from wave")
        unassign.setEnabled(bool(assigned))
        unassign.triggered.connect(lambda: self.unassign_requested.emit(assigned))
        return menu

    def _show_context_menu(self, pos: QPoint) -> None:
        menu = self.context_menu()
        menu.exec(self.table.viewport().mapToGlobal(pos))
        menu.deleteLater()
