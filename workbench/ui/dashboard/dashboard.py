"""The economics dashboard: scenario picker, KPI tiles, charts and the assumptions editor.

::

    +-------------------------------------------------------------------------+
    | Economics   Scenario: [playbook v] [Compare scenarios...]   description  |
    | [3-year cost] [benefit] [ROI] [NPV] [payback] [overhead] [extra nodes]  |
    | +----------------------+----------------------+-----------------------+ |
    | | cumulative cash flow | costs by year        | NPV sensitivity       | |
    | +----------------------+----------------------+-----------------------+ |
    | | overhead per wave    | sidecar vs ambient   | Monte Carlo           | |
    | +----------------------+----------------------+-----------------------+ |
    | | Costs|Benefits|Case|Prices|Overhead         | scenarios side by side| |
    | +---------------------------------------------+-----------------------+ |
    +-------------------------------------------------------------------------+

The charts take the full width (they read best wide); the editor and the scenario
comparison share the strip underneath, and a splitter trades height between the two.

It works on any :class:`PlanDocument`: every edit goes through the document (undoable),
and the figures follow every change of the plan (see :mod:`.recompute`).
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workbench.charts.formats import money, percent
from workbench.domain.defaults import untouched_defaults
from workbench.domain.economics.montecarlo import MonteCarloResult, headline_note
from workbench.ops.economics import EconomicsReport
from workbench.ui.dashboard.assumptions_editor import ERROR_BANNER, AssumptionsEditor
from workbench.ui.dashboard.charts_panel import ChartsPanel
from workbench.ui.dashboard.kpi_tiles import KpiTiles
from workbench.ui.dashboard.recompute import KpiSnapshot, Recompute
from workbench.ui.dashboard.scenarios import ScenarioComparison, ScenarioPicker
from workbench.ui.document import PlanDocument
from workbench.ui.theme import muted_text, set_font, set_muted

EDITOR_HEIGHT = 256
DEFAULTS_BANNER = (
    "background: #fff4ce; color: #5c4400; border: 1px solid #f0d78c; border-radius: 4px;"
    " padding: 4px 8px;"
)


class EconomicsDashboard(QWidget):
    """Everything about the business case of the document's plan, live."""

    def __init__(
        self,
        document: PlanDocument,
        parent: QWidget | None = None,
        *,
        with_monte_carlo: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("economics-dashboard")
        self.document = document
        self.recompute = Recompute(document, self, with_monte_carlo=with_monte_carlo)
        title = QLabel("Economics", self)
        title.setObjectName("dashboard-title")
        set_font(title, 15, bold=True)
        self.scenarios = ScenarioPicker(document, self)
        self.status = QLabel(self)
        self.status.setObjectName("dashboard-status")
        self.status.setWordWrap(True)  # a long note wraps instead of widening the window
        set_muted(self.status)
        self.problem = QLabel(self)
        self.problem.setObjectName("dashboard-problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(ERROR_BANNER)
        self.problem.hide()
        self.defaults_note = QLabel(self)
        self.defaults_note.setObjectName("dashboard-defaults")
        self.defaults_note.setWordWrap(True)
        self.defaults_note.setStyleSheet(DEFAULTS_BANNER)
        self.defaults_note.hide()
        self.headline = QLabel(self)
        self.headline.setObjectName("dashboard-headline")
        self.headline.setWordWrap(True)
        self.headline.hide()
        for label in (self.defaults_note, self.headline):  # wrap, never widen the window
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.tiles = KpiTiles(self)
        self.charts = ChartsPanel(self)
        self.editor = AssumptionsEditor(document, self)
        self.comparison = ScenarioComparison(self)
        self.comparison.setMinimumWidth(420)
        bottom = QSplitter(Qt.Orientation.Horizontal, self)
        bottom.addWidget(self.editor)
        bottom.addWidget(self._titled("Scenarios side by side", self.comparison))
        bottom.setStretchFactor(0, 3)
        bottom.setStretchFactor(1, 2)
        bottom.setChildrenCollapsible(False)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.charts)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([1000 - EDITOR_HEIGHT, EDITOR_HEIGHT])
        self.splitter = splitter
        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(16)
        top.addWidget(self.scenarios, 1)
        top.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.problem)
        layout.addWidget(self.defaults_note)
        layout.addWidget(self.tiles)
        layout.addWidget(self.headline)
        layout.addWidget(splitter, 1)
        self._history: tuple[int, object] = (0, None)
        self._history = self._history_state()
        self._history_moved = False  # undo or redo since the last snapshot
        document.undo_stack.indexChanged.connect(self._on_history_index)
        document.replaced.connect(self._on_replaced)
        rc = self.recompute
        rc.kpis_ready.connect(self._show_kpis)
        rc.report_ready.connect(self._show_report)
        rc.monte_carlo_started.connect(lambda: self.status.setText("Monte Carlo: running…"))
        rc.monte_carlo_ready.connect(self._show_monte_carlo)
        rc.failed.connect(self._show_problem)
        rc.waiting.connect(self.status.setText)
        rc.schedule()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        recompute = getattr(self, "recompute", None)  # None while still being built
        monte_carlo = recompute.monte_carlo if recompute is not None else None
        if event.type() == QEvent.Type.PaletteChange and monte_carlo is not None:
            self._show_headline(monte_carlo)  # its note in the new theme's muted colour

    def hasHeightForWidth(self) -> bool:
        # The wrapped notes would make the window's scroll area give the dashboard its
        # preferred height (and scroll); the splitter gives the charts what is left.
        return False

    @staticmethod
    def _titled(title: str, widget: QWidget) -> QWidget:
        box = QWidget()
        label = QLabel(title, box)
        set_font(label, bold=True)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(label)
        layout.addWidget(widget, 1)
        return box

    def _redo_command(self, index: int) -> object:
        """The domain command a redo from ``index`` would run (None at the top). The
        command itself, never the stack's wrapper, which the stack deletes."""
        stack = self.document.undo_stack
        adapter = stack.command(index) if index < stack.count() else None
        return getattr(adapter, "command", None)

    def _history_state(self) -> tuple[int, object]:
        index = self.document.undo_stack.index()
        return index, self._redo_command(index)

    def _on_history_index(self, index: int) -> None:
        """Tell undo and redo (moving over commands already on the stack) from an edit."""
        if not shiboken6.isValid(self.document.undo_stack):
            return  # the stack is going away with its document
        old_index, redo_next = self._history
        redone = index > old_index and redo_next is not None
        redone = redone and self._redo_command(old_index) is redo_next
        if index < old_index or redone:
            self._history_moved = True
        self._history = self._history_state()

    def _on_replaced(self) -> None:
        self._history = self._history_state()
        self._history_moved = False
        self.tiles.reset()

    def _show_kpis(self, snapshot: KpiSnapshot) -> None:
        self.tiles.show_snapshot(snapshot, compare=not self._history_moved)
        self._history_moved = False

    def _show_report(self, report: EconomicsReport) -> None:
        untouched = untouched_defaults(report.assumptions)
        self.defaults_note.setText(
            "This business case still uses the shipped defaults for "
            + ", ".join(untouched)
            + ": review them under Case, Costs and Benefits before showing these figures."
            if untouched
            else ""
        )
        self.defaults_note.setVisible(bool(untouched))
        self.charts.show_report(report)
        self.scenarios.show_results(report.scenarios, report.currency)
        self.comparison.show_results(
            report.scenarios, self.document.plan.active_scenario, report.currency
        )

    def _show_monte_carlo(self, result: MonteCarloResult) -> None:
        currency = self.recompute.report.currency if self.recompute.report else "USD"
        self.charts.show_monte_carlo(result, currency)
        self.status.setText(f"Monte Carlo: {result.draws:,} draws")
        self._show_headline(result)

    def _show_headline(self, result: MonteCarloResult) -> None:
        report = self.recompute.report
        currency = report.currency if report is not None else "USD"
        point = report.metrics.npv if report is not None else result.npv_p50
        self.headline.setText(
            f"<b>NPV {money(point, currency)}</b> deterministic · Monte Carlo expectation "
            f"{money(result.npv_mean, currency)} (P10 {money(result.npv_p10, currency)} · "
            f"P50 {money(result.npv_p50, currency)} · P90 {money(result.npv_p90, currency)}) · "
            f"NPV below zero in {percent(result.probability_npv_negative)} of draws. "
            f"<span style='color:{muted_text()}'>{headline_note(point, result)}</span>"
        )
        self.headline.setVisible(True)

    def _show_problem(self, message: str) -> None:
        self.problem.setText(
            f"The figures cannot be computed: {message}. They show the last valid state."
            if message
            else ""
        )
        self.problem.setVisible(bool(message))

    def refresh_now(self) -> None:
        """Recompute everything at once (Monte Carlo still runs in the background)."""
        self.recompute.refresh_now()
