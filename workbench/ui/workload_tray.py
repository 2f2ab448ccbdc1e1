"""The workload tray: the plan's unassigned workloads, filterable, to drag onto a wave.

It docks beside the Gantt and Waves views, so a workload can go from the tray to a
wave bar or row without switching views. A drop on the tray unassigns.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QLabel,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.commands import Change, UnassignWorkloads
from workbench.ui.document import PlanDocument
from workbench.ui.mime import WORKLOADS_MIME, has_workloads, workload_keys, workloads_mime

_Index = QModelIndex | QPersistentModelIndex
KEY_ROLE = Qt.ItemDataRole.UserRole + 1


class UnassignedModel(QAbstractListModel):
    """Unassigned workloads as ``namespace/name`` rows; drags carry their keys."""

    def __init__(self, document: PlanDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.keys: list[str] = []
        self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        self.keys = sorted(self.document.plan.unassigned())
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.keys)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        key = self.keys[index.row()]
        if role == KEY_ROLE:
            return key
        if role == Qt.ItemDataRole.ToolTipRole:
            workload = self.document.plan.inventory.workloads.get(key)
            pods = f"\n{workload.kind}, {workload.pods} pod(s)" if workload is not None else ""
            return f"{key}{pods}\nDrag onto a wave to assign"
        if role == Qt.ItemDataRole.DisplayRole:
            workload = self.document.plan.inventory.workloads.get(key)
            if workload is None:
                return key
            return (
                f"{workload.namespace}/{workload.name}  ·  {workload.kind}, {workload.pods} pod(s)"
            )
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsDropEnabled
        if index.isValid():
            return base | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
        return base

    def mimeTypes(self) -> list[str]:
        return [WORKLOADS_MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # type: ignore[override]
        rows = sorted({i.row() for i in indexes if i.isValid()})
        return workloads_mime(self.keys[r] for r in rows)

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: _Index
    ) -> bool:
        return has_workloads(data)

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: _Index
    ) -> bool:
        sched = self.document.plan.schedule
        assigned = [k for k in workload_keys(data) if sched.wave_of(k) is not None]
        return bool(assigned) and self.document.try_execute(UnassignWorkloads(assigned))


class WorkloadTray(QDockWidget):
    """A dock listing unassigned workloads; type to filter, drag rows onto a wave."""

    current_changed = Signal(str)  # a workload key, for the details dock

    def __init__(self, document: PlanDocument, parent: QWidget | None = None) -> None:
        super().__init__("Unassigned workloads", parent)
        self.setObjectName("WorkloadTray")
        self.document = document
        self.model = UnassignedModel(document, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterRole(Qt.ItemDataRole.DisplayRole)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filter unassigned workloads")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._on_filter)
        self.count_label = QLabel(self)
        self.list = QListView(self)
        self.list.setModel(self.proxy)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setDragEnabled(True)
        self.list.setAcceptDrops(True)
        self.list.setDropIndicatorShown(True)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.list.setUniformItemSizes(True)
        self.list.selectionModel().currentChanged.connect(self._on_current)
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.count_label)
        self.setWidget(body)
        self.setMinimumWidth(220)
        document.changed.connect(self._on_change)
        document.replaced.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.model.refresh()
        self._update_count()

    def _on_change(self, change: Change) -> None:
        if change.areas & {"schedule", "inventory"}:
            self.refresh()

    def _on_filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(
            f"{total:,} unassigned" if shown == total else f"{shown:,} of {total:,} unassigned"
        )

    def clear_filter(self) -> None:
        self.filter_edit.clear()

    def shown_keys(self) -> list[str]:
        return [str(self.proxy.index(r, 0).data(KEY_ROLE)) for r in range(self.proxy.rowCount())]

    def selected_keys(self) -> list[str]:
        rows = self.list.selectionModel().selectedRows()
        return [str(i.data(KEY_ROLE)) for i in sorted(rows, key=lambda i: i.row())]

    def show_key(self, key: str) -> bool:
        if key not in self.model.keys:
            self.list.clearSelection()
            return False
        source = self.model.index(self.model.keys.index(key), 0)
        index = self.proxy.mapFromSource(source)
        if not index.isValid():
            return False
        self.list.setCurrentIndex(index)
        return True

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.current_changed.emit(str(current.data(KEY_ROLE)) if current.isValid() else "")
