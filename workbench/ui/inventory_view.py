"""The inventory view: a filter box over a sortable workload table.

Rows can be multi-selected, assigned to a wave from the context menu or dragged
(as :data:`workbench.ui.mime.WORKLOADS_MIME`) onto a wave elsewhere in the window.
A column chooser hides and shows columns; the choice is remembered.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from workbench.domain.commands import AssignWorkloads, Change, UnassignWorkloads
from workbench.domain.evidence import caller_evidence
from workbench.domain.jobs import CancelToken, JobCancelled
from workbench.domain.plan import Plan
from workbench.ops.background.window_usecases import CALLER_KNOWLEDGE
from workbench.ui.document import PlanDocument
from workbench.ui.inventory_columns import HEADERS, KEY_ROLE
from workbench.ui.inventory_filter import InventoryFilterProxy
from workbench.ui.inventory_model import InventoryTableModel
from workbench.ui.plan_analysis import PROCESS_WORKLOADS, Analysis
from workbench.ui.settings import app_settings
from workbench.ui.wave_editing import WaveEditor

_MIN_COLUMN_WIDTH = 48
_MAX_COLUMN_WIDTH = 240
_SAMPLE_ROWS = 60  # first rows whose text sizes the columns when a plan opens
_SPREAD_ROWS = 150  # and about this many more, spread over the rest
_SORT_ARROW_WIDTH = 18
_CELL_PADDING = 16
_HIDDEN_KEY = "inventory/hiddenColumns"


class InventoryView(QWidget):
    """Shows the plan's workloads; asks for wave edits through its signals."""

    assign_requested = Signal(list, str)  # workload keys, wave id
    unassign_requested = Signal(list)  # workload keys
    current_changed = Signal(str)  # workload key ("" when none)

    def __init__(self, document: PlanDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self._plan = Plan()
        self.model = InventoryTableModel(self)
        self.proxy = InventoryFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.wave_editor: WaveEditor | None = None  # set by the window
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("inventoryFilter")
        self.filter_edit.setPlaceholderText(
            "Filter workloads: words to match in any column (Ctrl+F)"
        )
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._on_filter_text)
        self.count_label = QLabel(self)
        self.columns_button = QToolButton(self)
        self.columns_button.setText("Columns")
        self.columns_button.setToolTip("Choose the columns to show")
        self.columns_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.columns_menu = QMenu(self)
        self.columns_button.setMenu(self.columns_menu)
        self.column_actions: list[QAction] = []

        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setDragEnabled(True)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.table.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(
            lambda pos: self.columns_menu.exec(header.mapToGlobal(pos))
        )
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._show_context_menu)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)
        self._build_column_chooser()

        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.count_label)
        top.addWidget(self.columns_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 8)
        layout.addLayout(top)
        layout.addWidget(self.table)

        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)
        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.model.modelReset.connect(self._restore_selection)
        self._kept_selection: tuple[list[str], str] = ([], "")

        self.assign_requested.connect(self._assign)
        self.unassign_requested.connect(self._unassign)
        # bound methods, not lambdas: Qt drops the connections when the view goes
        document.replaced.connect(self._on_replaced)
        document.changed.connect(self.apply_change)
        document.analysis.updated.connect(self._on_analysis)
        self.model.set_knowledge_fetcher(self._fetch_knowledge)
        self.set_plan(document.plan)

    def _fetch_knowledge(self, plan: Plan, generation: int) -> None:
        """Compute caller knowledge as a background job; an edit meanwhile discards it,
        a failure (the plan edited under it) has the model compute it here instead.
        For a large plan the job runs in a worker process: on a thread of the window it
        would hold the interpreter the window needs while the plan is first shown."""

        def job(_progress: Callable[[float, str], None], _cancel: CancelToken) -> object:
            return caller_evidence(plan)

        def arrived(found: object) -> None:
            if isValid(self.model):  # the view may have closed meanwhile
                self.model.take_knowledge(generation, found)  # type: ignore[arg-type]

        def failed(exc: object) -> None:
            if not isinstance(exc, JobCancelled) and isValid(self.model):
                self.model.take_knowledge(generation, None)

        title = "Reading caller knowledge"
        jobs = self.document.jobs
        if plan is self.document.plan and len(plan.inventory.workloads) >= PROCESS_WORKLOADS:
            handle = jobs.run_in_worker(title, CALLER_KNOWLEDGE, {}, document=self.document)
        else:
            handle = jobs.start(title, job)
        handle.finished.connect(arrived)
        handle.failed.connect(failed)

    def _assign(self, keys: list[str], wave_id: str) -> None:
        if keys:
            self.document.try_execute(AssignWorkloads(list(keys), wave_id))

    def _unassign(self, keys: list[str]) -> None:
        if keys:
            self.document.try_execute(UnassignWorkloads(list(keys)))

    # -- feeding ----------------------------------------------------------------------
    def _on_replaced(self) -> None:
        self._then_paint(lambda: self.set_plan(self.document.plan))

    def _then_paint(self, change: Callable[[], None]) -> None:
        """Make ``change`` to the rows now and paint them in a turn of their own: the
        table's paint (tens of ms on a large plan) does not add to the stall of the
        change. A real timer, as a zero delay would be a posted call run in this stall."""
        self.table.setUpdatesEnabled(False)
        try:
            change()
        finally:
            QTimer.singleShot(1, self, lambda: self.table.setUpdatesEnabled(True))

    def _on_analysis(self) -> None:
        self.set_analysis(self.document.analysis.current)

    def set_plan(self, plan: Plan) -> None:
        self._plan = plan
        self.model.set_analysis(self.document.analysis.current)
        self.model.set_plan(plan)
        self._fit_columns()
        self._update_count()

    def apply_change(self, change: Change) -> None:
        self.model.apply_change(change)
        self._update_count()

    def set_analysis(self, analysis: Analysis) -> None:
        self.model.set_analysis(analysis)
        self._update_count()

    def _fit_columns(self) -> None:
        """Size each column to its title and the text of a sample of rows (the first
        ones and some spread over the rest): measured in one pass here, not by asking
        Qt for every cell's size hint."""
        header = self.table.horizontalHeader()
        cell_metrics = self.table.fontMetrics()
        title_metrics = header.fontMetrics()
        count = self.model.rowCount()
        step = max(1, count // _SPREAD_ROWS)
        rows = sorted({*range(min(count, _SAMPLE_ROWS)), *range(0, count, step)})
        sample = [self.model.row_texts(r) for r in rows]
        for col, title in enumerate(HEADERS):
            texts = {str(cells[col]) for cells in sample}
            width = max(
                [
                    title_metrics.horizontalAdvance(title) + _SORT_ARROW_WIDTH,
                    *(cell_metrics.horizontalAdvance(t) for t in texts),
                ]
            )
            header.resizeSection(
                col, max(_MIN_COLUMN_WIDTH, min(width + _CELL_PADDING, _MAX_COLUMN_WIDTH))
            )

    # -- columns ----------------------------------------------------------------------------
    def _build_column_chooser(self) -> None:
        hidden = _stored_hidden()
        for col, title in enumerate(HEADERS):
            action = self.columns_menu.addAction(title)
            action.setCheckable(True)
            action.setChecked(title not in hidden)
            action.toggled.connect(lambda on, c=col: self.set_column_visible(c, on, store=True))
            self.column_actions.append(action)
            self.table.setColumnHidden(col, title in hidden)

    def set_column_visible(self, column: int, visible: bool, *, store: bool = False) -> None:
        self.table.setColumnHidden(column, not visible)
        action = self.column_actions[column]
        if action.isChecked() != visible:
            action.setChecked(visible)
        if store:
            settings = app_settings()
            settings.setValue(_HIDDEN_KEY, self.hidden_columns())
            settings.sync()

    def hidden_columns(self) -> list[str]:
        return [t for c, t in enumerate(HEADERS) if self.table.isColumnHidden(c)]

    # -- filter and selection ---------------------------------------------------------------
    def clear_filter(self) -> None:
        self.filter_edit.clear()

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def _on_filter_text(self, text: str) -> None:
        self._then_paint(lambda: self.proxy.set_filter_text(text))
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.total_count()
        noun = "workload" if total == 1 else "workloads"
        text = f"{total:,} {noun}" if shown == total else f"{shown:,} of {total:,} {noun}"
        self.count_label.setText(text)

    def _remember_selection(self) -> None:
        self._kept_selection = (self.selected_keys(), self.current_key())

    def _restore_selection(self) -> None:
        """Keep the selected rows that the filter still shows (a reset drops them)."""
        keys, current = self._kept_selection
        self._kept_selection = ([], "")
        if not keys and not current:
            return
        selection = QItemSelection()
        last = self.model.columnCount() - 1
        for key in keys:
            row = self.model.row_of(key)
            if row is not None:
                left = self.proxy.mapFromSource(self.model.index(row, 0))
                right = self.proxy.mapFromSource(self.model.index(row, last))
                selection.select(left, right)
        sel = self.table.selectionModel()
        row = self.model.row_of(current)
        if row is not None:
            sel.setCurrentIndex(
                self.proxy.mapFromSource(self.model.index(row, 0)),
                QItemSelectionModel.SelectionFlag.NoUpdate,
            )
        sel.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def selected_keys(self) -> list[str]:
        rows = self.table.selectionModel().selectedRows()
        return [str(self.proxy.data(index, KEY_ROLE)) for index in rows]

    def visible_keys(self) -> list[str]:
        """Keys of the rows as shown (filtered and sorted)."""
        return [
            str(self.proxy.data(self.proxy.index(row, 0), KEY_ROLE))
            for row in range(self.proxy.rowCount())
        ]

    def show_key(self, key: str) -> bool:
        return self.select_key(key)

    def select_key(self, key: str) -> bool:
        """Select and show one workload, clearing a filter that hides it."""
        row = self.model.row_of(key)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            self.filter_edit.clear()
            index = self.proxy.mapFromSource(self.model.index(row, 0))
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def current_key(self) -> str:
        index = self.table.currentIndex()
        return str(self.proxy.data(index, KEY_ROLE)) if index.isValid() else ""

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.current_changed.emit(str(self.proxy.data(current, KEY_ROLE) or ""))

    def new_wave_with(self, keys: list[str]) -> str:
        """Create a wave holding ``keys`` (one undo step); its id, "" when cancelled."""
        return self.wave_editor.new_wave(keys) if self.wave_editor is not None and keys else ""

    def follow_key(self, key: str) -> None:
        """Select a workload another view selected, if the filter shows it."""
        row = self.model.row_of(key)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index)

    # -- context menu -----------------------------------------------------------------------
    def context_menu(self) -> QMenu:
        """The menu for the current selection: assign to a wave, or unassign."""
        keys = self.selected_keys()
        menu = QMenu(self)
        assign = menu.addMenu("Assign to wave")
        assign.setEnabled(bool(keys))
        new_wave = assign.addAction("New wave…")
        new_wave.setEnabled(self.wave_editor is not None)
        new_wave.triggered.connect(lambda: self.new_wave_with(keys))
        if self._plan.schedule.waves:
            assign.addSeparator()
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
        menu.addSeparator()
        select_all = menu.addAction("Select all shown")
        select_all.triggered.connect(self.table.selectAll)
        return menu

    def _show_context_menu(self, pos: QPoint) -> None:
        menu = self.context_menu()
        menu.exec(self.table.viewport().mapToGlobal(pos))
        menu.deleteLater()


def _stored_hidden() -> set[str]:
    value = app_settings().value(_HIDDEN_KEY, [])
    if isinstance(value, str):
        value = [value]
    return {str(v) for v in value} if isinstance(value, list) else set()
