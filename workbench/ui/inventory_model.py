"""The inventory as a Qt table: one row per workload, read-only, refreshed by plan changes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from workbench.domain.commands import Change
from workbench.domain.inventory import Workload
from workbench.domain.plan import Plan

MIB = 1024 * 1024
SORT_ROLE = Qt.ItemDataRole.UserRole
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
UNASSIGNED = "unassigned"

_Index = QModelIndex | QPersistentModelIndex
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    tooltip: str
    value: Callable[[Workload], str | int | float]
    text: Callable[[Workload], str] | None = None  # display text when not str(value)
    numeric: bool = False


NOT_SET = "—"  # no container of the pod states this request


def _cpu_set(w: Workload) -> bool:
    return any(c.resources.cpu_request_m is not None for c in w.containers)


def _memory_set(w: Workload) -> bool:
    return any(c.resources.memory_request_bytes is not None for c in w.containers)


def _cores(w: Workload) -> float:
    """Requested cores per pod; -1 when nothing is requested, so those sort first."""
    return w.cpu_request_m() / 1000 if _cpu_set(w) else -1.0


def _mib(w: Workload) -> float:
    return w.memory_request_bytes() / MIB if _memory_set(w) else -1.0


COLUMNS: tuple[Column, ...] = (
    Column("Cluster", "Cluster the workload runs in", lambda w: w.cluster),
    Column("Namespace", "Kubernetes namespace", lambda w: w.namespace),
    Column("Kind", "Workload kind", lambda w: w.kind),
    Column("Name", "Workload name", lambda w: w.name),
    Column("Replicas", "Desired replicas", lambda w: w.replicas, numeric=True),
    Column("Pods", "Observed pods", lambda w: w.pods, numeric=True),
    Column(
        "CPU request (cores)",
        "CPU requested by one pod: the sum of its containers' requests (— when none is set)",
        _cores,
        lambda w: f"{_cores(w):,.2f}" if _cpu_set(w) else NOT_SET,
        numeric=True,
    ),
    Column(
        "Memory request (MiB)",
        "Memory requested by one pod: the sum of its containers' requests (— when none is set)",
        _mib,
        lambda w: f"{_mib(w):,.0f}" if _memory_set(w) else NOT_SET,
        numeric=True,
    ),
)
WAVE_COLUMN = len(COLUMNS)
HEADERS = (*(c.title for c in COLUMNS), "Wave")
NAME_COLUMN = HEADERS.index("Name")


class InventoryTableModel(QAbstractTableModel):
    """Workloads of a plan in key order; the wave column follows the plan's schedule."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._plan = Plan()
        self._rows: list[Workload] = []
        self._row_of: dict[str, int] = {}
        self._search: list[str] = []
        self._wave_names: dict[str, str] = {}
        self._wave_order: dict[str, int] = {}
        self._sort: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)
        self._unassigned_brush = QBrush(QColor("#888888"))
        self._unassigned_font = QFont()
        self._unassigned_font.setItalic(True)

    # -- feeding ----------------------------------------------------------------------
    def set_plan(self, plan: Plan) -> None:
        self.beginResetModel()
        self._plan = plan
        self._index_waves()
        rows = [plan.inventory.workloads[k] for k in sorted(plan.inventory.workloads)]
        column, order = self._sort
        if column >= 0:
            rows = [rows[i] for i in self._sorted_order(rows, column, order)]
        self._set_rows(rows)
        self.endResetModel()

    def _set_rows(self, rows: list[Workload]) -> None:
        self._rows = rows
        self._row_of = {w.key: i for i, w in enumerate(rows)}
        self._search = [
            " ".join(c.text(w) if c.text else str(c.value(w)) for c in COLUMNS).lower()
            for w in rows
        ]

    def apply_change(self, change: Change) -> None:
        """Refresh what an edit moved: the whole table for inventory edits, else waves."""
        if "inventory" in change.areas:
            self.set_plan(self._plan)
            return
        if "schedule" not in change.areas or not self._rows:
            return
        self._index_waves()
        rows = [self._row_of[k] for k in change.keys if k in self._row_of]
        touches_waves_only = not change.keys or len(rows) < len(change.keys)
        first, last = (0, len(self._rows) - 1) if touches_waves_only else (min(rows), max(rows))
        self.dataChanged.emit(
            self.index(first, WAVE_COLUMN),
            self.index(last, WAVE_COLUMN),
            [Qt.ItemDataRole.DisplayRole],
        )

    def _index_waves(self) -> None:
        waves = self._plan.schedule.waves
        self._wave_names = {w.id: w.name or w.id for w in waves}
        self._wave_order = {w.id: i for i, w in enumerate(waves)}

    # -- queries ------------------------------------------------------------------------
    def sort_value(self, w: Workload, column: int) -> str | int | float:
        if column != WAVE_COLUMN:
            return COLUMNS[column].value(w)
        wave_id = self._plan.schedule.wave_of(w.key)  # schedule order, unassigned last
        return len(self._wave_order) if wave_id is None else self._wave_order.get(wave_id, 0)

    def _sorted_order(self, rows: list[Workload], column: int, order: Qt.SortOrder) -> list[int]:
        """Row positions sorted by a column's natural value, ties broken by workload key."""
        by_key = sorted(range(len(rows)), key=lambda i: rows[i].key)
        if column < 0:
            return by_key
        values = [self.sort_value(w, column) for w in rows]
        descending = order == Qt.SortOrder.DescendingOrder
        return sorted(by_key, key=values.__getitem__, reverse=descending)  # stable

    def search_text(self, row: int) -> str:
        """Lower-case text of the row's cells, for the filter box."""
        return f"{self._search[row]} {self._wave_text(self._rows[row]).lower()}"

    def _wave_text(self, w: Workload) -> str:
        wave_id = self._plan.schedule.wave_of(w.key)
        return UNASSIGNED if wave_id is None else self._wave_names.get(wave_id, wave_id)

    # -- QAbstractTableModel ------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return COLUMNS[section].tooltip if section < WAVE_COLUMN else "Migration wave"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            numeric = section < WAVE_COLUMN and COLUMNS[section].numeric
            return _RIGHT if numeric else _LEFT
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Reorder the rows in Python (one pass, no per-comparison calls from Qt)."""
        self._sort = (column, order)
        if not self._rows:
            return
        self.layoutAboutToBeChanged.emit()
        order_ = self._sorted_order(self._rows, column, order)
        new_row = [0] * len(order_)
        for position, old in enumerate(order_):
            new_row[old] = position
        old_indexes = self.persistentIndexList()
        self._rows = [self._rows[i] for i in order_]
        self._search = [self._search[i] for i in order_]
        self._row_of = {w.key: i for i, w in enumerate(self._rows)}
        self.changePersistentIndexList(
            old_indexes, [self.index(new_row[i.row()], i.column()) for i in old_indexes]
        )
        self.layoutChanged.emit()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        w = self._rows[index.row()]
        col = index.column()
        if col == WAVE_COLUMN:
            return self._wave_data(w, role)
        column = COLUMNS[col]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(w) if column.text else str(column.value(w))
        if role == SORT_ROLE:
            return column.value(w)
        if role == KEY_ROLE:
            return w.key
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column.numeric else _LEFT
        if role == Qt.ItemDataRole.ToolTipRole and col == NAME_COLUMN:
            return w.key
        return None

    def _wave_data(self, w: Workload, role: int) -> Any:
        wave_id = self._plan.schedule.wave_of(w.key)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._wave_text(w)
        if role == SORT_ROLE:
            return self.sort_value(w, WAVE_COLUMN)
        if role == KEY_ROLE:
            return w.key
        if wave_id is None and role == Qt.ItemDataRole.ForegroundRole:
            return self._unassigned_brush
        if wave_id is None and role == Qt.ItemDataRole.FontRole:
            return self._unassigned_font
        if role == Qt.ItemDataRole.ToolTipRole and wave_id is not None:
            return wave_id
        return None


class InventoryFilterProxy(QSortFilterProxyModel):
    """Keeps rows matching every filter word; sorting is passed to the source model."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._terms: list[str] = []
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)  # re-filter rows whose cells change

    def set_filter_text(self, text: str) -> None:
        terms = text.lower().split()
        if terms == self._terms:
            return
        self.beginFilterChange()
        self._terms = terms
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting happens in the source model; the proxy keeps its order and filters."""
        model = self.sourceModel()
        assert isinstance(model, InventoryTableModel)
        model.sort(column, order)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        if not self._terms:
            return True
        model = self.sourceModel()
        assert isinstance(model, InventoryTableModel)
        text = model.search_text(source_row)
        return all(term in text for term in self._terms)
