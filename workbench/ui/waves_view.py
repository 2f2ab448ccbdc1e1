"""The Waves view: one row per wave (and one for unassigned workloads).

Workloads dragged here (:data:`workbench.ui.mime.WORKLOADS_MIME`) and dropped on a
wave's row are assigned to it; dropped on the "Unassigned" row they leave their wave.
Both are one undoable edit.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMenu,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.commands import AssignWorkloads, Change, UnassignWorkloads
from workbench.domain.schedule import Wave
from workbench.ui.document import PlanDocument
from workbench.ui.lazy_refresh import RefreshWhenShown
from workbench.ui.mime import WORKLOADS_MIME, has_workloads, workload_keys
from workbench.ui.wave_editing import WaveEditor

_Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Wave", "Phase", "Start", "End", "Days", "Mode", "mTLS", "Workloads", "Pods", "Findings")
NUMERIC = frozenset({4, 7, 8, 9})
WAVE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
UNASSIGNED_ID = ""  # the id the "Unassigned" row stands for


class WaveTableModel(QAbstractTableModel):
    """Waves in schedule order, then the unassigned workloads; accepts workload drops."""

    def __init__(self, document: PlanDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self._waves: list[Wave] = []
        self._pods: dict[str, int] = {}
        self._bold = QFont()
        self._bold.setBold(True)
        self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        plan = self.document.plan
        self._waves = list(plan.schedule.waves)
        workloads = plan.inventory.workloads
        self._pods = {
            w.id: sum(workloads[k].pods for k in w.members if k in workloads) for w in self._waves
        }
        self._unassigned = plan.unassigned()
        self.endResetModel()

    def wave_at(self, row: int) -> Wave | None:
        return self._waves[row] if 0 <= row < len(self._waves) else None

    def row_of(self, wave_id: str) -> int | None:
        for i, w in enumerate(self._waves):
            if w.id == wave_id:
                return i
        return None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._waves) + 1

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def _findings(self, wave: Wave) -> int:
        by_item = self.document.analysis.current.by_item
        seen = {id(f) for key in (wave.id, *wave.members) for f in by_item.get(key, ())}
        return len(seen)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        wave = self.wave_at(row)
        if role == WAVE_ID_ROLE:
            return UNASSIGNED_ID if wave is None else wave.id
        if role == Qt.ItemDataRole.TextAlignmentRole:
            align = Qt.AlignmentFlag.AlignRight if col in NUMERIC else Qt.AlignmentFlag.AlignLeft
            return align | Qt.AlignmentFlag.AlignVCenter
        if wave is None:
            return self._unassigned_data(col, role)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{wave.id}: drop workloads here to assign them to this wave"
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        phase = next((p.name for p in self.document.plan.schedule.phases if p.id == wave.phase), "")
        values = (
            wave.name or wave.id,
            phase or wave.phase,
            wave.start.isoformat(),
            wave.end.isoformat(),
            (wave.end - wave.start).days + 1,
            wave.mode,
            wave.mtls,
            len(wave.members),
            self._pods.get(wave.id, 0),
            self._findings(wave) if self.document.analysis.current.ready else "…",
        )
        value = values[col]
        return f"{value:,}" if isinstance(value, int) else value

    def _unassigned_data(self, col: int, role: int) -> Any:
        if role == Qt.ItemDataRole.FontRole and col == 0:
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            return "Drop workloads here to take them out of their wave"
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if col == 0:
            return "Unassigned"
        if col == 7:
            return f"{len(self._unassigned):,}"
        if col == 8:
            workloads = self.document.plan.inventory.workloads
            return f"{sum(workloads[k].pods for k in self._unassigned):,}"
        return ""

    # -- drops ----------------------------------------------------------------------------
    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsDropEnabled if index.isValid() else base

    def mimeTypes(self) -> list[str]:
        return [WORKLOADS_MIME]

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: _Index
    ) -> bool:
        return has_workloads(data) and parent.isValid()

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: _Index
    ) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        keys = workload_keys(data)
        wave = self.wave_at(parent.row())
        if wave is None:
            assigned = [k for k in keys if self.document.plan.schedule.wave_of(k) is not None]
            return bool(assigned) and self.document.try_execute(UnassignWorkloads(assigned))
        moving = [k for k in keys if self.document.plan.schedule.wave_of(k) != wave.id]
        return bool(moving) and self.document.try_execute(AssignWorkloads(moving, wave.id))


class WavesView(RefreshWhenShown, QWidget):
    """A table of the plan's waves that workloads can be dropped onto."""

    current_changed = Signal(str)  # "wave:<id>" for the details dock, "" for none
    open_requested = Signal(str)
    waves_selected = Signal(list)  # wave ids, for the wave editor (merge needs several)

    def __init__(self, document: PlanDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.model = WaveTableModel(document, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAcceptDrops(True)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.table.setDropIndicatorShown(True)
        self.table.setDragDropOverwriteMode(True)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 12)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self.table.doubleClicked.connect(self._on_double_click)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._on_selection())
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._show_context_menu)
        self.toolbar = QToolBar("Waves", self)
        self._wave_editor: WaveEditor | None = None  # set by the window
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        hint = QLabel(
            "Drag workloads from the tray beside this table (or the Inventory) onto a wave; "
            "onto “Unassigned” to take them out. Ctrl+click picks several waves to merge.",
            self,
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(mid);")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 8)
        layout.addWidget(self.toolbar)
        layout.addWidget(hint)
        layout.addWidget(self.table)
        # hidden, it only notes that the plan changed and catches up when next shown
        document.replaced.connect(self.refresh_when_shown)
        document.changed.connect(self._on_change)
        document.analysis.updated.connect(self.refresh_when_shown)

    @property
    def wave_editor(self) -> WaveEditor | None:
        return self._wave_editor

    @wave_editor.setter
    def wave_editor(self, editor: WaveEditor | None) -> None:
        """The window's wave editor: its actions fill the toolbar and the context menu."""
        self._wave_editor = editor
        self.toolbar.clear()
        if editor is None:
            return
        self.toolbar.addActions([editor.new, editor.rename, editor.delete])
        self.toolbar.addSeparator()
        self.toolbar.addActions([editor.split, editor.merge])

    def refresh(self) -> None:
        self._stale = False
        picked = self.selected_wave_ids()
        self.model.refresh()
        self._select_ids(picked)

    def selected_wave_ids(self) -> list[str]:
        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        current = self.table.currentIndex().row()
        waves = [w.id for r in rows if (w := self.model.wave_at(r)) is not None]
        first = self.model.wave_at(current)
        if first is not None and first.id in waves:  # the one clicked first leads a merge
            waves.remove(first.id)
            waves.insert(0, first.id)
        return waves

    def _select_ids(self, wave_ids: list[str]) -> None:
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        self.table.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for wave_id in wave_ids:
            row = self.model.row_of(wave_id)
            if row is not None:
                selection.select(self.model.index(row, 0), flags)
        selection.blockSignals(False)
        self.table.viewport().update()

    def _on_selection(self) -> None:
        self.waves_selected.emit(self.selected_wave_ids())

    def follow_key(self, key: str) -> None:
        """Select a wave another view selected (workloads leave the table as it is)."""
        if key.startswith("wave:"):
            self._up_to_date()
            self._select_ids([key.removeprefix("wave:")])

    def _show_context_menu(self, pos: QPoint) -> None:
        if self.wave_editor is None:
            return
        menu = QMenu(self)
        self.wave_editor.fill_menu(menu)
        menu.exec(self.table.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def _on_change(self, change: Change) -> None:
        if change.areas & {"schedule", "inventory"}:
            self.refresh_when_shown()

    def _up_to_date(self) -> None:
        """Catch up with the plan now, shown or not (someone asks about a row)."""
        if self._stale:
            self.refresh()

    def row_of(self, wave_id: str) -> int | None:
        self._up_to_date()
        return self.model.row_of(wave_id)

    def show_key(self, key: str) -> bool:
        self._up_to_date()
        wave_id = key.removeprefix("wave:")
        row = self.model.row_of(wave_id)
        if row is None:
            return False
        self.table.selectRow(row)
        return True

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        wave = self.model.wave_at(current.row()) if current.isValid() else None
        self.current_changed.emit("" if wave is None else f"wave:{wave.id}")

    def _on_double_click(self, index: QModelIndex) -> None:
        wave = self.model.wave_at(index.row())
        self.open_requested.emit(f"wave:{wave.id}" if wave is not None else "wave:")
