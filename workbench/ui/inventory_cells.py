"""What the inventory's looked-up cells show: wave, risk, worst finding, callers,
caller knowledge and business metadata, as text, sort value and decoration.

Caller knowledge is estate-wide work: with :attr:`DerivedCells.fetch_knowledge` set it
is asked for once per plan state and computed elsewhere (the view runs it as a
background job); its cells show :data:`NOT_CHECKED` until :meth:`take_knowledge`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from workbench.domain.evidence import CALLER_STATES, CallerEvidence, caller_evidence
from workbench.domain.findings import SEVERITIES, SEVERITY_RANK
from workbench.domain.inventory import Workload
from workbench.domain.plan import Plan
from workbench.ui.inventory_columns import (
    BUSINESS_COLUMNS,
    CALLERS_COLUMN,
    CRITICALITY_COLUMN,
    CRITICALITY_ORDER,
    KNOWLEDGE_COLUMN,
    NOT_CHECKED,
    RISK_COLUMN,
    UNASSIGNED,
    WAVE_COLUMN,
    WORST_COLUMN,
)
from workbench.ui.plan_analysis import Analysis
from workbench.ui.theme import severity_color


class DerivedCells:
    """Lookups over the plan and the findings for the columns not read from the workload;
    :meth:`index_waves` and :meth:`count_edges` refresh them after an edit."""

    def __init__(self) -> None:
        self.plan = Plan()
        self.analysis = Analysis()
        self.wave_names: dict[str, str] = {}
        self._wave_order: dict[str, int] = {}
        self._callers: Counter[str] = Counter()
        self._callees: Counter[str] = Counter()
        self._knowledge_cache: dict[str, CallerEvidence] | None = None
        # Starts computing the knowledge of (plan, generation) elsewhere; None: compute
        # it here on first use.
        self.fetch_knowledge: Callable[[Plan, int], None] | None = None
        self.knowledge_generation = 0  # bumped whenever the knowledge goes out of date
        self._knowledge_asked = False
        self._muted_brush = QBrush(QColor("#888888"))
        self._italic = QFont()
        self._italic.setItalic(True)
        self._severity_brushes = {s: QBrush(severity_color(s)) for s in SEVERITIES}

    def set_plan(self, plan: Plan) -> None:
        self.plan = plan
        self.index_waves()
        self.count_edges()

    def index_waves(self) -> None:
        waves = self.plan.schedule.waves
        self.wave_names = {w.id: w.name or w.id for w in waves}
        self._wave_order = {w.id: i for i, w in enumerate(waves)}

    def count_edges(self) -> None:
        edges = self.plan.dependencies.edges  # keyed by (caller, callee)
        callers, callees = zip(*edges, strict=True) if edges else ((), ())
        self._callers = Counter(callees)  # callee -> how many call it
        self._callees = Counter(callers)
        self._knowledge_cache = None  # computed when first shown, sorted or searched
        self._knowledge_asked = False
        self.knowledge_generation += 1

    # -- lookups ----------------------------------------------------------------------------
    @property
    def knowledge_ready(self) -> bool:
        return self._knowledge_cache is not None

    @property
    def knowledge(self) -> dict[str, CallerEvidence]:
        """Caller knowledge by workload key; empty while it is being computed elsewhere."""
        if self._knowledge_cache is not None:
            return self._knowledge_cache
        if self.fetch_knowledge is None:
            self._knowledge_cache = caller_evidence(self.plan)
            return self._knowledge_cache
        if not self._knowledge_asked:
            self._knowledge_asked = True
            self.fetch_knowledge(self.plan, self.knowledge_generation)
        return {}

    def take_knowledge(self, generation: int, knowledge: dict[str, CallerEvidence] | None) -> bool:
        """The knowledge computed for ``generation``; None when that failed (it is then
        computed here). False when an edit made it out of date meanwhile."""
        if generation != self.knowledge_generation or self._knowledge_cache is not None:
            return False
        self._knowledge_cache = caller_evidence(self.plan) if knowledge is None else knowledge
        return True

    def knowledge_text(self, key: str) -> str:
        found = self.knowledge.get(key)
        if found is None:
            return "" if self.knowledge_ready else NOT_CHECKED
        return found.callers + (" + external" if found.external_callers else "")

    def wave_text(self, key: str) -> str:
        wave_id = self.plan.schedule.wave_of(key)
        return UNASSIGNED if wave_id is None else self.wave_names.get(wave_id, wave_id)

    def _worst_text(self, key: str) -> str:
        if not self.analysis.ready:
            return NOT_CHECKED
        f = self.analysis.worst.get(key)
        return "" if f is None else f"{f.severity}: {f.rule}"

    def _risk(self, key: str) -> float:
        return self.analysis.risk.get(key, 0.0)

    def _business(self, key: str, field_name: str) -> str:
        info = self.plan.business.get(key)
        return str(getattr(info, field_name)) if info is not None else ""

    # -- cells ------------------------------------------------------------------------------
    def value(self, w: Workload, column: int) -> str | int | float:
        """Sort value of a column looked up from the plan or the findings."""
        key = w.key
        if column == WAVE_COLUMN:  # schedule order, unassigned last
            wave_id = self.plan.schedule.wave_of(key)
            return len(self._wave_order) if wave_id is None else self._wave_order.get(wave_id, 0)
        if column == RISK_COLUMN:
            return self._risk(key)
        if column == WORST_COLUMN:  # most severe first, none last
            f = self.analysis.worst.get(key)
            return len(SEVERITIES) if f is None else SEVERITY_RANK[f.severity]
        if column == CALLERS_COLUMN:
            return self._callers.get(key, 0)
        if column == KNOWLEDGE_COLUMN:  # unknown first when sorted descending
            found = self.knowledge.get(key)
            return CALLER_STATES.index(found.callers) if found else len(CALLER_STATES)
        if column == CRITICALITY_COLUMN:  # critical first, unknown values then none last
            level = self._business(key, "criticality").lower()
            if not level:
                return len(CRITICALITY_ORDER) + 1
            return CRITICALITY_ORDER.index(level) if level in CRITICALITY_ORDER else 4
        if column in BUSINESS_COLUMNS:
            return self._business(key, BUSINESS_COLUMNS[column])
        return self._callees.get(key, 0)

    def text(self, w: Workload, column: int) -> str:
        key = w.key
        if column == WAVE_COLUMN:
            return self.wave_text(key)
        if column == RISK_COLUMN:
            return f"{self._risk(key):.0f}" if self.analysis.ready else NOT_CHECKED
        if column == WORST_COLUMN:
            return self._worst_text(key)
        if column == KNOWLEDGE_COLUMN:
            return self.knowledge_text(key)
        if column in BUSINESS_COLUMNS:
            return self._business(key, BUSINESS_COLUMNS[column])
        return str(self.value(w, column))

    def decoration(self, w: Workload, col: int, role: int) -> Any:
        if col == WAVE_COLUMN:
            wave_id = self.plan.schedule.wave_of(w.key)
            if wave_id is None and role == Qt.ItemDataRole.ForegroundRole:
                return self._muted_brush
            if wave_id is None and role == Qt.ItemDataRole.FontRole:
                return self._italic
            if role == Qt.ItemDataRole.ToolTipRole and wave_id is not None:
                return wave_id
            return None
        if col == KNOWLEDGE_COLUMN:
            found = self.knowledge.get(w.key)
            if found is not None and role == Qt.ItemDataRole.ToolTipRole:
                return "\n".join(found.reasons)
            unknown = found is not None and found.callers == "unknown"
            if unknown and role == Qt.ItemDataRole.ForegroundRole:
                return self._severity_brushes["medium"]
            return None
        if col == WORST_COLUMN:
            f = self.analysis.worst.get(w.key)
            if f is None:
                return None
            if role == Qt.ItemDataRole.ForegroundRole:
                return self._severity_brushes[f.severity]
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{f.rule} ({f.severity}): {f.message}\nFix: {f.fix}"
        return None
