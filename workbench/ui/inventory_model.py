"""The inventory as a Qt table: one row per workload, read-only, refreshed by plan changes.

Columns that come from the workload itself are formatted once per plan; the wave,
risk, worst-finding and caller/callee columns are looked up on demand, so an edit or
a finished findings check only signals the cells it moved.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from workbench.domain.business import BusinessInfo
from workbench.domain.commands import Change
from workbench.domain.evidence import CALLER_STATES, CallerEvidence, caller_evidence
from workbench.domain.findings import SEVERITIES, SEVERITY_RANK
from workbench.domain.inventory import Workload
from workbench.domain.plan import Plan
from workbench.ui.mime import WORKLOADS_MIME, workloads_mime
from workbench.ui.plan_analysis import Analysis
from workbench.ui.theme import severity_color

MIB = 1024 * 1024
SORT_ROLE = Qt.ItemDataRole.UserRole
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
UNASSIGNED = "unassigned"
NOT_SET = "—"  # no container of the pod states this request
NOT_CHECKED = "…"  # findings not computed yet

_Index = QModelIndex | QPersistentModelIndex
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


def _cpu_set(w: Workload) -> bool:
    return any(c.resources.cpu_request_m is not None for c in w.containers)


def _memory_set(w: Workload) -> bool:
    return any(c.resources.memory_request_bytes is not None for c in w.containers)


def _cores(w: Workload) -> float:
    """Requested cores per pod; -1 when nothing is requested, so those sort first."""
    return w.cpu_request_m() / 1000 if _cpu_set(w) else -1.0


def _mib(w: Workload) -> float:
    return w.memory_request_bytes() / MIB if _memory_set(w) else -1.0


@dataclass(frozen=True, slots=True)
class Column:
    """A column over the workload alone (formatted once per plan)."""

    title: str
    tooltip: str
    value: Callable[[Workload], str | int | float]
    text: Callable[[Workload], str] | None = None  # display text when not str(value)
    numeric: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("Cluster", "Cluster the workload runs in", lambda w: w.cluster),
    Column("Namespace", "Kubernetes namespace", lambda w: w.namespace),
    Column("Kind", "Workload kind", lambda w: w.kind),
    Column("Name", "Workload name", lambda w: w.name),
    Column("Replicas", "Desired replicas", lambda w: w.replicas, numeric=True),
    Column("Pods", "Observed pods", lambda w: w.pods, numeric=True),
    Column(
        "CPU (cores)",
        "CPU requested by one pod: the sum of its containers' requests (— when none is set)",
        _cores,
        lambda w: f"{_cores(w):,.2f}" if _cpu_set(w) else NOT_SET,
        numeric=True,
    ),
    Column(
        "Memory (MiB)",
        "Memory requested by one pod: the sum of its containers' requests (— when none is set)",
        _mib,
        lambda w: f"{_mib(w):,.0f}" if _memory_set(w) else NOT_SET,
        numeric=True,
    ),
)
# Columns looked up from the plan's schedule, dependencies and findings.
DERIVED: tuple[tuple[str, str, bool], ...] = (
    ("Risk", "Readiness risk score, 0 (none) to 100", True),
    ("Worst finding", "The most severe active finding about the workload", False),
    ("Wave", "Migration wave", False),
    ("Callers", "Workloads that call this one", True),
    ("Callees", "Workloads this one calls", True),
    (
        "Callers known",
        "Caller knowledge: complete (observed for the minimum window, or confirmed by a "
        "person), partial (some evidence) or unknown (none); '+ external' when it can be "
        "called from outside the cluster or mesh",
        False,
    ),
    ("Owner team", "Owner team, from imported business metadata (import metadata)", False),
    ("Criticality", "Business criticality, from imported business metadata", False),
)
HEADERS = (*(c.title for c in COLUMNS), *(d[0] for d in DERIVED))
RISK_COLUMN = HEADERS.index("Risk")
WORST_COLUMN = HEADERS.index("Worst finding")
WAVE_COLUMN = HEADERS.index("Wave")
CALLERS_COLUMN = HEADERS.index("Callers")
CALLEES_COLUMN = HEADERS.index("Callees")
KNOWLEDGE_COLUMN = HEADERS.index("Callers known")
OWNER_COLUMN = HEADERS.index("Owner team")
CRITICALITY_COLUMN = HEADERS.index("Criticality")
CRITICALITY_ORDER = ("critical", "high", "medium", "low")
NAME_COLUMN = HEADERS.index("Name")
NUMERIC = frozenset(
    [i for i, c in enumerate(COLUMNS) if c.numeric]
    + [len(COLUMNS) + i for i, d in enumerate(DERIVED) if d[2]]
)


def _business_words(info: BusinessInfo | None) -> str:
    """Business metadata as search text: owner, criticality, environment, SLO tier."""
    if info is None:
        return ""
    words = (info.owner, info.criticality, info.environment, info.slo_tier, info.maintenance)
    return " " + " ".join(w for w in words if w).lower()


class InventoryTableModel(QAbstractTableModel):
    """Workloads of a plan in key order (or the chosen sort); drag carries their keys."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._plan = Plan()
        self._analysis = Analysis()
        self._rows: list[Workload] = []
        self._row_of: dict[str, int] = {}
        self._static: list[tuple[str, ...]] = []  # display text of COLUMNS per row
        self._search: list[str] = []
        # every workload in sort order; the lists above hold the rows the filter keeps
        self._all_rows: list[Workload] = []
        self._all_static: list[tuple[str, ...]] = []
        self._all_search: list[str] = []
        self._terms: list[str] = []
        self._texts: list[str] = []
        self._texts_version = -1
        self._wave_names: dict[str, str] = {}
        self._wave_order: dict[str, int] = {}
        self._callers: Counter[str] = Counter()
        self._knowledge_cache: dict[str, CallerEvidence] | None = None
        self._callees: Counter[str] = Counter()
        self._sort: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)
        self.version = 0  # bumped whenever a cell or the order changes (before refiltering)
        self._muted_brush = QBrush(QColor("#888888"))
        self._italic = QFont()
        self._italic.setItalic(True)
        self._severity_brushes = {s: QBrush(severity_color(s)) for s in SEVERITIES}

    # -- feeding ----------------------------------------------------------------------
    def set_plan(self, plan: Plan) -> None:
        self.beginResetModel()
        self._plan = plan
        self._index_waves()
        self._count_edges()
        rows = [plan.inventory.workloads[k] for k in sorted(plan.inventory.workloads)]
        column, order = self._sort
        if column >= 0:
            rows = [rows[i] for i in self._sorted_order(rows, column, order)]
        self.version += 1
        self._set_rows(rows)
        self.endResetModel()

    def set_analysis(self, analysis: Analysis) -> None:
        self._analysis = analysis
        self.version += 1
        if self._terms:
            self._refilter()
        elif self._rows:
            self._columns_changed(RISK_COLUMN, WORST_COLUMN)

    def _set_rows(self, rows: list[Workload]) -> None:
        self._all_rows = rows
        self._all_static = [
            tuple(c.text(w) if c.text else str(c.value(w)) for c in COLUMNS) for w in rows
        ]
        business = self._plan.business
        self._all_search = [
            " ".join(cells).lower() + _business_words(business.get(w.key))
            for w, cells in zip(rows, self._all_static, strict=True)
        ]
        self._apply_filter()

    def _apply_filter(self) -> None:
        """Keep the rows whose text holds every filter word (all rows without words)."""
        if self._terms:
            terms = self._terms
            keep = [
                i for i, text in enumerate(self._search_texts()) if all(t in text for t in terms)
            ]
            self._rows = [self._all_rows[i] for i in keep]
            self._static = [self._all_static[i] for i in keep]
            self._search = [self._all_search[i] for i in keep]
        else:
            self._rows, self._static, self._search = (
                self._all_rows,
                self._all_static,
                self._all_search,
            )
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
            self.set_plan(self._plan)
            return
        if change.areas & {"dependencies", "assumptions"}:
            self._count_edges()
            self.version += 1
            if self._rows:
                self._columns_changed(CALLERS_COLUMN, KNOWLEDGE_COLUMN)
        if "schedule" not in change.areas or not self._rows:
            return
        self._index_waves()
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

    def _index_waves(self) -> None:
        waves = self._plan.schedule.waves
        self._wave_names = {w.id: w.name or w.id for w in waves}
        self._wave_order = {w.id: i for i, w in enumerate(waves)}

    def _count_edges(self) -> None:
        edges = self._plan.dependencies.edges
        self._callers = Counter(callee for _caller, callee in edges)
        self._callees = Counter(caller for caller, _callee in edges)
        self._knowledge_cache = None  # computed when first shown, sorted or searched

    @property
    def _knowledge(self) -> dict[str, CallerEvidence]:
        if self._knowledge_cache is None:
            self._knowledge_cache = caller_evidence(self._plan)
        return self._knowledge_cache

    def knowledge(self, key: str) -> CallerEvidence | None:
        return self._knowledge.get(key)

    def _knowledge_text(self, key: str) -> str:
        found = self._knowledge.get(key)
        if found is None:
            return ""
        return found.callers + (" + external" if found.external_callers else "")

    # -- queries ------------------------------------------------------------------------
    @property
    def plan(self) -> Plan:
        return self._plan

    def key_at(self, row: int) -> str:
        return self._rows[row].key

    def row_of(self, key: str) -> int | None:
        return self._row_of.get(key)

    def wave_text(self, key: str) -> str:
        wave_id = self._plan.schedule.wave_of(key)
        return UNASSIGNED if wave_id is None else self._wave_names.get(wave_id, wave_id)

    def _worst_text(self, key: str) -> str:
        if not self._analysis.ready:
            return NOT_CHECKED
        f = self._analysis.worst.get(key)
        return "" if f is None else f"{f.severity}: {f.rule}"

    def _risk(self, key: str) -> float:
        return self._analysis.risk.get(key, 0.0)

    def derived_value(self, w: Workload, column: int) -> str | int | float:
        """Sort value of a column looked up from the plan or the findings."""
        key = w.key
        if column == WAVE_COLUMN:  # schedule order, unassigned last
            wave_id = self._plan.schedule.wave_of(key)
            return len(self._wave_order) if wave_id is None else self._wave_order.get(wave_id, 0)
        if column == RISK_COLUMN:
            return self._risk(key)
        if column == WORST_COLUMN:  # most severe first, none last
            f = self._analysis.worst.get(key)
            return len(SEVERITIES) if f is None else SEVERITY_RANK[f.severity]
        if column == CALLERS_COLUMN:
            return self._callers.get(key, 0)
        if column == KNOWLEDGE_COLUMN:  # unknown first when sorted descending
            found = self._knowledge.get(key)
            return CALLER_STATES.index(found.callers) if found else len(CALLER_STATES)
        if column == OWNER_COLUMN:
            return self._business(key, "owner")
        if column == CRITICALITY_COLUMN:  # critical first, unknown values then none last
            level = self._business(key, "criticality").lower()
            if not level:
                return len(CRITICALITY_ORDER) + 1
            return CRITICALITY_ORDER.index(level) if level in CRITICALITY_ORDER else 4
        return self._callees.get(key, 0)

    def _business(self, key: str, field_name: str) -> str:
        info = self._plan.business.get(key)
        return str(getattr(info, field_name)) if info is not None else ""

    def derived_text(self, w: Workload, column: int) -> str:
        key = w.key
        if column == WAVE_COLUMN:
            return self.wave_text(key)
        if column == RISK_COLUMN:
            return f"{self._risk(key):.0f}" if self._analysis.ready else NOT_CHECKED
        if column == WORST_COLUMN:
            return self._worst_text(key)
        if column == KNOWLEDGE_COLUMN:
            return self._knowledge_text(key)
        if column in (OWNER_COLUMN, CRITICALITY_COLUMN):
            return self._business(key, "owner" if column == OWNER_COLUMN else "criticality")
        return str(self.derived_value(w, column))

    def sort_value(self, w: Workload, column: int) -> str | int | float:
        if column < len(COLUMNS):
            return COLUMNS[column].value(w)
        return self.derived_value(w, column)

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
        worst = self._analysis.worst
        wave_of = self._plan.schedule.assigned()
        names = {wid: name.lower() for wid, name in self._wave_names.items()}
        texts = []
        for w, static in zip(self._all_rows, self._all_search, strict=True):
            key = w.key
            f = worst.get(key)
            extra = f" {f.severity} {f.rule.lower()}" if f is not None else ""
            wave_id = wave_of.get(key)
            wave = UNASSIGNED if wave_id is None else names.get(wave_id, wave_id.lower())
            texts.append(f"{static} {wave}{extra} {self._knowledge_text(key)}")
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
        self._all_static = [self._all_static[i] for i in order_]
        self._all_search = [self._all_search[i] for i in order_]
        self.version += 1
        self._apply_filter()  # the same rows, in the new order
        self.changePersistentIndexList(
            old_indexes,
            [self.index(self._row_of[old_keys[i.row()]], i.column()) for i in old_indexes],
        )
        self.layoutChanged.emit()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        w = self._rows[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._static[row][col] if col < len(COLUMNS) else self.derived_text(w, col)
        if role == SORT_ROLE:
            return self.sort_value(w, col)
        if role == KEY_ROLE:
            return w.key
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if col in NUMERIC else _LEFT
        if col < len(COLUMNS):
            if role == Qt.ItemDataRole.ToolTipRole and col == NAME_COLUMN:
                return w.key
            return None
        return self._derived_decoration(w, col, role)

    def _derived_decoration(self, w: Workload, col: int, role: int) -> Any:
        if col == WAVE_COLUMN:
            wave_id = self._plan.schedule.wave_of(w.key)
            if wave_id is None and role == Qt.ItemDataRole.ForegroundRole:
                return self._muted_brush
            if wave_id is None and role == Qt.ItemDataRole.FontRole:
                return self._italic
            if role == Qt.ItemDataRole.ToolTipRole and wave_id is not None:
                return wave_id
            return None
        if col == KNOWLEDGE_COLUMN:
            found = self._knowledge.get(w.key)
            if found is not None and role == Qt.ItemDataRole.ToolTipRole:
                return "\n".join(found.reasons)
            unknown = found is not None and found.callers == "unknown"
            if unknown and role == Qt.ItemDataRole.ForegroundRole:
                return self._severity_brushes["medium"]
            return None
        if col == WORST_COLUMN:
            f = self._analysis.worst.get(w.key)
            if f is None:
                return None
            if role == Qt.ItemDataRole.ForegroundRole:
                return self._severity_brushes[f.severity]
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{f.rule} ({f.severity}): {f.message}\nFix: {f.fix}"
        return None
