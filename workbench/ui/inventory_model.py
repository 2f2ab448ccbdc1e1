"""The inventory as a Qt table: one row per workload, read-only, refreshed by plan changes.

Columns (:mod:`workbench.ui.inventory_columns`) that come from the workload itself are
formatted once per plan, lazily: a row when first shown, the rest in slices of at most
:data:`FILL_BUDGET_S` per turn of the event loop (a filter typed before that finishes
formats what is left); the wave, risk, worst-finding, caller/callee and business
metadata columns are looked up on demand, so an edit or a finished findings check only
signals the cells it moved.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)

from workbench.domain.commands import Change
from workbench.domain.evidence import CallerEvidence
from workbench.domain.inventory import Workload
from workbench.domain.plan import Plan
from workbench.ui.inventory_cells import DerivedCells
from workbench.ui.inventory_columns import (
    CALLERS_COLUMN,
    COLUMNS,
    DERIVED,
    HEADERS,
    KEY_ROLE,
    KNOWLEDGE_COLUMN,
    NAME_COLUMN,
    NUMERIC,
    RISK_COLUMN,
    SORT_ROLE,
    UNASSIGNED,
    WAVE_COLUMN,
    WORST_COLUMN,
    business_words,
)
from workbench.ui.mime import WORKLOADS_MIME, workloads_mime
from workbench.ui.plan_analysis import Analysis

_Index = QModelIndex | QPersistentModelIndex
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_DISPLAY_ROLE = Qt.ItemDataRole.DisplayRole
_ALIGNMENT_ROLE = Qt.ItemDataRole.TextAlignmentRole
_UNUSED_ROLES = frozenset(
    {
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.CheckStateRole,
        Qt.ItemDataRole.SizeHintRole,
    }
)
_ALIGNMENTS = tuple(_RIGHT if col in NUMERIC else _LEFT for col in range(len(HEADERS)))
_STATIC_COLUMNS = len(COLUMNS)
FILL_BUDGET_S = 0.008  # time spent formatting rows ahead per turn of the event loop


class InventoryTableModel(QAbstractTableModel):
    """Workloads of a plan in key order (or the chosen sort); drag carries their keys."""

    knowledge_arrived = Signal()  # caller knowledge computed elsewhere is in

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cells = DerivedCells()
        self._rows: list[Workload] = []
        self._row_of: dict[str, int] = {}
        # every workload in sort order; the lists above hold the rows the filter keeps
        self._all_rows: list[Workload] = []
        # display text of COLUMNS, and the row's static search text, by workload key
        self._formatted: dict[str, tuple[tuple[str, ...], str]] = {}
        self._fill_at = 0  # position in _all_rows the background formatting reached
        self._fill = QTimer(self)
        self._fill.setSingleShot(True)
        self._fill.setInterval(0)
        self._fill.timeout.connect(self._fill_slice)
        self._terms: list[str] = []
        self._texts: list[str] = []
        self._texts_version = -1
        self._sort: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)
        self.version = 0  # bumped whenever a cell or the order changes (before refiltering)

    # -- feeding ----------------------------------------------------------------------
    def set_plan(self, plan: Plan) -> None:
        self.beginResetModel()
        self._cells.set_plan(plan)
        rows = [plan.inventory.workloads[k] for k in sorted(plan.inventory.workloads)]
        column, order = self._sort
        if column >= 0:
            rows = [rows[i] for i in self._sorted_order(rows, column, order)]
        self.version += 1
        self._set_rows(rows)
        self.endResetModel()

    def set_analysis(self, analysis: Analysis) -> None:
        self._cells.analysis = analysis
        self.version += 1
        if self._terms:
            self._refilter()
        elif self._rows:
            self._columns_changed(RISK_COLUMN, WORST_COLUMN)

    def set_knowledge_fetcher(self, fetch: Callable[[Plan, int], None] | None) -> None:
        """Have caller knowledge computed elsewhere (see :class:`DerivedCells`)."""
        self._cells.fetch_knowledge = fetch

    def take_knowledge(self, generation: int, knowledge: dict[str, CallerEvidence] | None) -> None:
        """Caller knowledge arrived: show it, and re-sort or re-filter if it counts."""
        if not self._cells.take_knowledge(generation, knowledge):
            return
        self.knowledge_arrived.emit()
        self.version += 1
        if self._sort[0] == KNOWLEDGE_COLUMN:
            self.sort(*self._sort)  # re-filters too
        elif self._terms:
            self._refilter()
        elif self._rows:
            self._columns_changed(KNOWLEDGE_COLUMN, KNOWLEDGE_COLUMN)

    def _set_rows(self, rows: list[Workload]) -> None:
        self._all_rows = rows
        self._formatted = {}
        self._fill_at = 0
        self._fill.start()
        self._apply_filter()

    def _format(self, w: Workload) -> tuple[tuple[str, ...], str]:
        """The row's display text of COLUMNS and its static search text (cached)."""
        found = self._formatted.get(w.key)
        if found is None:
            cells = tuple(c.text(w) if c.text else str(c.value(w)) for c in COLUMNS)
            words = business_words(self._cells.plan.business.get(w.key))
            found = self._formatted[w.key] = (cells, " ".join(cells).lower() + words)
        return found

    def _fill_slice(self) -> None:
        """Format rows ahead for a while, then yield to the event loop."""
        rows, at = self._all_rows, self._fill_at
        deadline = time.perf_counter() + FILL_BUDGET_S
        while at < len(rows):
            end = min(at + 200, len(rows))
            for w in rows[at:end]:
                self._format(w)
            at = end
            if time.perf_counter() > deadline:
                break
        self._fill_at = at
        if at < len(rows):
            self._fill.start()

    def formatting_done(self) -> bool:
        return len(self._formatted) >= len(self._all_rows)

    def _apply_filter(self) -> None:
        """Keep the rows whose text holds every filter word (all rows without words)."""
        if self._terms:
            terms = self._terms
            keep = [
                i for i, text in enumerate(self._search_texts()) if all(t in text for t in terms)
            ]
            self._rows = [self._all_rows[i] for i in keep]
        else:
            self._rows = self._all_rows
        self._row_of = {w.key: i for i, w in enumerate(self._rows)}

    @property
    def filter_terms(self) -> list[str]:
        return list(self._terms)

    def set_filter_terms(self, terms: list[str]) -> None:
        """Show only rows holding every word; one pass in Python, one reset for Qt."""
        if terms == self._terms:
            return
        self.beginResetModel()
        self._terms = list(terms)
        self._apply_filter()
        self.endResetModel()

    def _refilter(self) -> None:
        self.beginResetModel()
        self._apply_filter()
        self.endResetModel()

    def total_count(self) -> int:
        return len(self._all_rows)

    def apply_change(self, change: Change) -> None:
        """Refresh what an edit moved: the whole table for inventory edits, else columns."""
        if "inventory" in change.areas:
            self.set_plan(self._cells.plan)
            return
        if change.areas & {"dependencies", "assumptions"}:
            self._cells.count_edges()
            self.version += 1
            if self._rows:
                self._columns_changed(CALLERS_COLUMN, KNOWLEDGE_COLUMN)
        if "schedule" not in change.areas or not self._rows:
            return
        self._cells.index_waves()
        self.version += 1
        if self._terms:
            self._refilter()
            return
        rows = [self._row_of[k] for k in change.keys if k in self._row_of]
        touches_waves_only = not change.keys or len(rows) < len(change.keys)
        first, last = (0, len(self._rows) - 1) if touches_waves_only else (min(rows), max(rows))
        self.dataChanged.emit(
            self.index(first, WAVE_COLUMN),
            self.index(last, WAVE_COLUMN),
            [Qt.ItemDataRole.DisplayRole],
        )

    def _columns_changed(self, first: int, last: int) -> None:
        self.dataChanged.emit(self.index(0, first), self.index(len(self._rows) - 1, last))

    # -- queries ------------------------------------------------------------------------
    @property
    def plan(self) -> Plan:
        return self._cells.plan

    def key_at(self, row: int) -> str:
        return self._rows[row].key

    def row_of(self, key: str) -> int | None:
        return self._row_of.get(key)

    def wave_text(self, key: str) -> str:
        return self._cells.wave_text(key)

    def knowledge(self, key: str) -> CallerEvidence | None:
        return self._cells.knowledge.get(key)

    def all_knowledge(self) -> dict[str, CallerEvidence] | None:
        """Every workload's caller knowledge; None until it is in (then asked for)."""
        found = self._cells.knowledge
        return found if self._cells.knowledge_ready else None

    def sort_value(self, w: Workload, column: int) -> str | int | float:
        if column < len(COLUMNS):
            return COLUMNS[column].value(w)
        return self._cells.value(w, column)

    def _sorted_order(self, rows: list[Workload], column: int, order: Qt.SortOrder) -> list[int]:
        """Row positions sorted by a column's natural value, ties broken by workload key."""
        by_key = sorted(range(len(rows)), key=lambda i: rows[i].key)
        if column < 0:
            return by_key
        values = [self.sort_value(w, column) for w in rows]
        descending = order == Qt.SortOrder.DescendingOrder
        return sorted(by_key, key=values.__getitem__, reverse=descending)  # stable

    def _search_texts(self) -> list[str]:
        """Lower-case text of every workload's cells (wave and worst finding included),
        kept until a cell changes (``version``) so typing only scans strings."""
        if self._texts_version == self.version and len(self._texts) == len(self._all_rows):
            return self._texts
        cells = self._cells
        worst = cells.analysis.worst
        wave_of = cells.plan.schedule.assigned()
        names = {wid: name.lower() for wid, name in cells.wave_names.items()}
        texts = []
        for w in self._all_rows:
            key = w.key
            static = self._format(w)[1]
            f = worst.get(key)
            extra = f" {f.severity} {f.rule.lower()}" if f is not None else ""
            wave_id = wave_of.get(key)
            wave = UNASSIGNED if wave_id is None else names.get(wave_id, wave_id.lower())
            texts.append(f"{static} {wave}{extra} {cells.knowledge_text(key)}")
        self._texts, self._texts_version = texts, self.version
        return texts

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
            if section < len(COLUMNS):
                return COLUMNS[section].tooltip
            return DERIVED[section - len(COLUMNS)][1]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if section in NUMERIC else _LEFT
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
        )

    def mimeTypes(self) -> list[str]:
        return [WORKLOADS_MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # type: ignore[override]
        rows = sorted({i.row() for i in indexes if i.isValid()})
        return workloads_mime(self._rows[r].key for r in rows)

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Reorder the rows in Python (one pass, no per-comparison calls from Qt)."""
        self._sort = (column, order)
        if not self._all_rows:
            return
        self.layoutAboutToBeChanged.emit()
        order_ = self._sorted_order(self._all_rows, column, order)
        old_keys = [w.key for w in self._rows]
        old_indexes = self.persistentIndexList()
        self._all_rows = [self._all_rows[i] for i in order_]
        self.version += 1
        self._apply_filter()  # the same rows, in the new order
        self.changePersistentIndexList(
            old_indexes,
            [self.index(self._row_of[old_keys[i.row()]], i.column()) for i in old_indexes],
        )
        self.layoutChanged.emit()

    def row_texts(self, row: int) -> tuple[str, ...]:
        """The display text of every column of ``row`` (as :meth:`data` gives it, without
        a model index per cell)."""
        w = self._rows[row]
        return tuple(self._display(w, col) for col in range(len(HEADERS)))

    def _display(self, w: Workload, col: int) -> str:
        return self._format(w)[0][col] if col < _STATIC_COLUMNS else self._cells.text(w, col)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Painting asks every visible cell for seven roles: answer the ones no cell
        # uses, and alignment, before any other work.
        if role in _UNUSED_ROLES or not index.isValid():
            return None
        col = index.column()
        if role == _ALIGNMENT_ROLE:
            return _ALIGNMENTS[col]
        w = self._rows[index.row()]
        if role == _DISPLAY_ROLE:
            return self._display(w, col)
        if role == SORT_ROLE:
            return self.sort_value(w, col)
        if role == KEY_ROLE:
            return w.key
        if col < _STATIC_COLUMNS:
            if role == Qt.ItemDataRole.ToolTipRole and col == NAME_COLUMN:
                return w.key
            return None
        return self._cells.decoration(w, col, role)
