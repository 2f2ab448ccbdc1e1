"""Choosing the active scenario, and every scenario's figures side by side.

The picker sets the plan's active scenario with an undoable command; the comparison
table shows the plan's own assumptions and each named scenario (from the economics
report), one column each, with the best value of each row in bold.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.charts.formats import money, percent
from workbench.domain.commands import Change
from workbench.domain.commands_lines import SetActiveScenario
from workbench.domain.economics.metrics import Metrics, payback_text
from workbench.domain.economics.scenarios import ScenarioResult
from workbench.domain.errors import WorkbenchError
from workbench.ui.document import PlanDocument
from workbench.ui.theme import set_font, set_muted

BASE_LABEL = "Plan assumptions"

Row = tuple[str, Callable[[ScenarioResult], float | None], Callable[[float | None], str], int]


def _money(currency: str) -> Callable[[float | None], str]:
    return lambda v: "-" if v is None else money(v, currency)


def _payback(v: float | None) -> str:
    return payback_text(v)


def _rows(currency: str) -> list[Row]:
    """(label, value, format, better: +1 higher, -1 lower, 0 neither)."""
    cash = _money(currency)

    def metric(get: Callable[[Metrics], float | None]) -> Callable[[ScenarioResult], float | None]:
        return lambda r: get(r.metrics)

    return [
        ("Total cost", metric(lambda m: m.total_cost), cash, -1),
        ("Total benefit", metric(lambda m: m.total_benefit), cash, +1),
        ("Net benefit", metric(lambda m: m.net_benefit), cash, +1),
        ("ROI", metric(lambda m: m.roi), percent, +1),
        ("NPV", metric(lambda m: m.npv), cash, +1),
        ("IRR", metric(lambda m: m.irr), percent, +1),
        ("Payback", metric(lambda m: m.payback_months), _payback, -1),
        ("Risk-adjusted ROI", lambda r: r.risk_adjusted.roi, percent, +1),
        ("Risk-adjusted NPV", lambda r: r.risk_adjusted.npv, cash, +1),
    ]


ACTIVE = "\n(active)"  # under the name of the active scenario's column
LONG_NAME = 16  # characters: a longer scenario name breaks over two header lines


def two_lines(name: str) -> str:
    """A long name broken at the space or hyphen nearest its middle (kept on the first
    line), so narrow columns still show all of it."""
    if len(name) <= LONG_NAME:
        return name
    breaks = [i for i, c in enumerate(name) if c in " -"]
    if not breaks:
        return name
    at = min(breaks, key=lambda i: abs(i - len(name) / 2))
    return name[: at + 1].rstrip() + "\n" + name[at + 1 :]


class ScenarioComparison(QTableWidget):
    """Rows of figures, a column per scenario; the active one's header is marked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scenario-comparison")
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.verticalHeader().setDefaultSectionSize(24)
        # Columns as wide as their scenario's name (the table scrolls sideways when they
        # do not all fit), the last one taking what is left: a name is never clipped.
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)
        self.names: list[str | None] = []  # the scenario of each column (None: the plan's)

    def show_results(
        self, results: list[ScenarioResult], active: str | None, currency: str
    ) -> None:
        rows = _rows(currency)
        self.clear()
        self.setRowCount(len(rows))
        self.setColumnCount(len(results))
        self.setVerticalHeaderLabels([r[0] for r in rows])
        self.names = [r.name or None for r in results]
        self.setHorizontalHeaderLabels(
            [
                two_lines(r.name or BASE_LABEL) + (ACTIVE if (r.name or None) == active else "")
                for r in results
            ]
        )
        bold = QFont()
        bold.setBold(True)
        for row, (_label, get, fmt, better) in enumerate(rows):
            values = [get(r) for r in results]
            known = [v for v in values if v is not None]
            best = (
                (max(known) if better > 0 else min(known)) if known and len(results) > 1 else None
            )
            for col, value in enumerate(values):
                item = QTableWidgetItem(fmt(value))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if best is not None and value == best:
                    item.setFont(bold)
                self.setItem(row, col, item)
        for col, r in enumerate(results):
            header = self.horizontalHeaderItem(col)
            if header is not None:
                header.setToolTip(r.description)

    def cell_text(self, row_label: str, scenario: str | None) -> str:
        """The shown figure of one row and scenario (None: the plan's assumptions)."""

        def text(item: QTableWidgetItem | None) -> str:
            return "" if item is None else item.text()

        rows = [text(self.verticalHeaderItem(r)) for r in range(self.rowCount())]
        if scenario not in self.names:
            raise KeyError(scenario)
        return text(self.item(rows.index(row_label), self.names.index(scenario)))


class ScenarioComparisonDialog(QDialog):
    """The comparison in its own window; it follows the plan while open."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Scenarios side by side")
        self.table = ScenarioComparison(self)
        note = QLabel("Best value in each row in bold. Hover a column for its description.")
        set_muted(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(760, 340)


class ScenarioPicker(QWidget):
    """A combo box of the plan's scenarios and a button for the comparison."""

    def __init__(self, document: PlanDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.combo = QComboBox(self)
        self.combo.setObjectName("scenario-picker")
        self.combo.setMinimumWidth(220)
        self.combo.activated.connect(lambda _i: self.choose(self.combo.currentData()))
        self.description = QLabel(self)
        self.description.setWordWrap(True)  # a long description wraps, never widens
        set_muted(self.description)
        self.description.setWordWrap(True)  # a long scenario note wraps, never widens
        self.description.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.compare_button = QPushButton("Compare scenarios…", self)
        self.compare_button.clicked.connect(self.show_comparison)
        self.dialog: ScenarioComparisonDialog | None = None
        self._last: tuple[list[ScenarioResult], str] | None = None
        label = QLabel("Scenario:", self)
        set_font(label, bold=True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label)
        layout.addWidget(self.combo)
        layout.addWidget(self.compare_button)
        layout.addWidget(self.description, 1)
        document.changed.connect(self._on_changed)
        document.replaced.connect(self.refresh)
        self.refresh()

    def _on_changed(self, change: Change) -> None:
        if "assumptions" in change.areas:
            self.refresh()

    def refresh(self) -> None:
        plan = self.document.plan
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem(BASE_LABEL, None)
        for s in plan.scenarios:
            self.combo.addItem(s.name, s.name)
            self.combo.setItemData(
                self.combo.count() - 1, s.description, Qt.ItemDataRole.ToolTipRole
            )
        index = self.combo.findData(plan.active_scenario) if plan.active_scenario else 0
        self.combo.setCurrentIndex(max(index, 0))
        self.combo.blockSignals(False)
        active = next((s for s in plan.scenarios if s.name == plan.active_scenario), None)
        self.description.setText(
            active.description if active else "The plan's own assumptions, no overrides."
        )
        self.combo.setEnabled(bool(plan.scenarios))
        self.compare_button.setEnabled(bool(plan.scenarios))

    def choose(self, name: str | None) -> bool:
        """Make ``name`` (None: the plan's assumptions) the active scenario, undoably."""
        if name == self.document.plan.active_scenario:
            return True
        try:
            self.document.execute(SetActiveScenario(name))
        except WorkbenchError as exc:
            self.description.setText(str(exc))
            self.refresh()
            return False
        return True

    def show_results(self, results: list[ScenarioResult], currency: str) -> None:
        self._last = (results, currency)
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.table.show_results(results, self.document.plan.active_scenario, currency)

    def show_comparison(self) -> ScenarioComparisonDialog:
        if self.dialog is None:
            self.dialog = ScenarioComparisonDialog(self)
        if self._last is not None:
            results, currency = self._last
            self.dialog.table.show_results(results, self.document.plan.active_scenario, currency)
        self.dialog.show()
        self.dialog.raise_()
        return self.dialog
