"""The cost and benefit line tables: edit amounts and names in place, add and remove lines.

A table never changes the plan itself: it asks for a command (``edit_requested``) and
the editor runs it through the document, so every edit is one undo step. Text that is
not a valid amount is refused (``rejected``, with the reason and the value kept) and the
cell shows its last valid value again at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.charts.formats import money
from workbench.domain.assumption_paths import Scalar
from workbench.domain.assumptions import BenefitLine, CostLine
from workbench.domain.commands import Command, Macro, SetAssumption
from workbench.domain.commands_lines import (
    AddBenefitLine,
    AddCostLine,
    RemoveBenefitLine,
    RemoveCostLine,
    RenameBenefitLine,
    RenameCostLine,
)
from workbench.domain.economics.cashflow import INFRASTRUCTURE
from workbench.domain.plan import Plan
from workbench.ui.dashboard.fields import FieldError, FieldSpec, display, parse_value
from workbench.ui.theme import set_muted

OVERRIDDEN = QColor("#5f6b7a")


def scenario_lines(
    plan: Plan, scenario: str | None, attr: str
) -> list[CostLine | BenefitLine] | None:
    """The lines the active scenario carries instead of the plan's, if it does."""
    for s in plan.scenarios:
        if s.name == scenario:
            lines: list[CostLine | BenefitLine] | None = getattr(s, attr)
            return lines
    return None


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    attr: str  # the line's field
    spec: FieldSpec | None  # None: free text


@dataclass(frozen=True, slots=True)
class LineKind:
    attr: str  # "cost_lines" or "benefit_lines"
    what: str
    columns: tuple[Column, ...]
    add: type[AddCostLine] | type[AddBenefitLine]
    remove: type[RemoveCostLine] | type[RemoveBenefitLine]
    rename: type[RenameCostLine] | type[RenameBenefitLine]


def _money(attr: str) -> FieldSpec:
    return FieldSpec(attr, attr.replace("_", "-"), "money", low=0.0)


COST_LINES = LineKind(
    "cost_lines",
    "cost line",
    (
        Column("Name", "name", None),
        Column("One-time", "one_time", _money("one_time")),
        Column("Annual", "annual", _money("annual")),
    ),
    AddCostLine,
    RemoveCostLine,
    RenameCostLine,
)
BENEFIT_LINES = LineKind(
    "benefit_lines",
    "benefit line",
    (
        Column("Name", "name", None),
        Column("Category", "category", None),
        Column("Annual", "annual", _money("annual")),
    ),
    AddBenefitLine,
    RemoveBenefitLine,
    RenameBenefitLine,
)


class LineTable(QWidget):
    """One list of lines with Add and Remove buttons and a total underneath."""

    edit_requested = Signal(object)  # a Command
    rejected = Signal(str)

    def __init__(self, kind: LineKind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self._names: list[str] = []
        self._filling = False
        self.table = QTableWidget(0, len(kind.columns), self)
        self.table.setObjectName(f"table:{kind.attr}")
        self.table.setHorizontalHeaderLabels([c.header for c in kind.columns])
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for i in range(1, len(kind.columns)):
            header.setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemChanged.connect(self._item_changed)
        self.add_button = QPushButton(f"Add {kind.what}", self)
        self.remove_button = QPushButton("Remove", self)
        self.add_button.clicked.connect(self.add_line)
        self.remove_button.clicked.connect(self.remove_selected)
        self.total = QLabel(self)
        set_muted(self.total)
        self.total.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.total)
        layout.addLayout(buttons)

    # -- showing ---------------------------------------------------------------------------
    def refresh(self, plan: Plan, overrides: dict[str, Scalar], scenario: str | None) -> None:
        """Show the plan's lines; values a scenario overrides show read-only, in italics.

        A scenario that carries its own lines (the sample's playbook figures) shows them,
        all read-only, and the add and remove buttons are off."""
        lines: list[CostLine | BenefitLine] = getattr(plan.assumptions, self.kind.attr)
        own = scenario_lines(plan, scenario, self.kind.attr)
        if own is not None:
            lines = own
            overrides = dict(overrides)
            for line in lines:
                for column in self.kind.columns:
                    overrides.setdefault(
                        f"{self.kind.attr}[{line.name}].{column.attr}", getattr(line, column.attr)
                    )
        self.add_button.setEnabled(own is None)
        self.remove_button.setEnabled(own is None)
        computed = self._computed_line(plan, lines, overrides)
        self._filling = True
        self.table.setRowCount(len(lines))
        self._names = [line.name for line in lines]
        totals = {c.attr: 0.0 for c in self.kind.columns if c.spec is not None}
        for row, line in enumerate(lines):
            for col, column in enumerate(self.kind.columns):
                path = f"{self.kind.attr}[{line.name}].{column.attr}"
                value: Scalar = overrides.get(path, getattr(line, column.attr))
                item = self._item(column, value, path, overrides, scenario)
                if line.name == computed and column.attr == "annual":
                    item.setForeground(QBrush(OVERRIDDEN))
                    item.setToolTip(
                        "Replaced by the priced mesh overhead, month by month "
                        "(infrastructure cost: computed)"
                    )
                if col == 0 and line.basis:
                    item.setToolTip(f"{item.toolTip()}\nBasis: {line.basis}".strip())
                self.table.setItem(row, col, item)
                if column.attr in totals and isinstance(value, (int, float)):
                    totals[column.attr] += float(value)
        self._filling = False
        self.total.setText(
            "Total: " + " · ".join(f"{k.replace('_', '-')} {money(v)}" for k, v in totals.items())
        )

    def _computed_line(
        self, plan: Plan, lines: list[CostLine | BenefitLine], overrides: dict[str, Scalar]
    ) -> str | None:
        """The cost line whose annual amount the computed overhead replaces, if any."""
        mode = overrides.get("infrastructure", plan.assumptions.infrastructure)
        if self.kind.attr != "cost_lines" or mode != "computed":
            return None
        for line in lines:
            if INFRASTRUCTURE in (line.name.strip().lower(), line.category.strip().lower()):
                return line.name
        return None

    def _item(
        self,
        column: Column,
        value: Scalar,
        path: str,
        overrides: dict[str, Scalar],
        scenario: str | None,
    ) -> QTableWidgetItem:
        text = display(column.spec, value) if column.spec is not None else str(value)
        item = QTableWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, text)  # put back if an edit is refused
        if column.spec is not None:
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if path in overrides:
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            item.setForeground(QBrush(OVERRIDDEN))
            font = QFont()
            font.setItalic(True)
            item.setFont(font)
            item.setToolTip(f"Set by the scenario {scenario!r}")
        return item

    def names(self) -> list[str]:
        """The names shown, in order."""
        return list(self._names)

    # -- editing ---------------------------------------------------------------------------
    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling:
            return
        row, col = item.row(), item.column()
        name = self._names[row]
        column = self.kind.columns[col]
        text = item.text()
        if column.attr == "name":
            if text != name:
                self.edit_requested.emit(self.kind.rename(name, text.strip()))
            return
        path = f"{self.kind.attr}[{name}].{column.attr}"
        if column.spec is None:
            self.edit_requested.emit(SetAssumption(path, text.strip()))
            return
        try:
            value = parse_value(column.spec, text)
        except FieldError as exc:
            kept = str(item.data(Qt.ItemDataRole.UserRole) or "")
            self._filling = True
            item.setText(kept)
            self._filling = False
            self.rejected.emit(f"{name}, {column.header.lower()}: {exc}; kept {kept}")
            return
        self.edit_requested.emit(SetAssumption(path, value))

    def set_cell(self, row: int, col: int, text: str) -> None:
        """Type ``text`` into a cell, as a user would."""
        item = self.table.item(row, col)
        assert item is not None
        item.setText(text)

    def new_name(self) -> str:
        """A name no line has yet: "New cost line", "New cost line 2" ..."""
        base = f"New {self.kind.what}"
        taken = set(self._names)
        n = 1
        while (name := base if n == 1 else f"{base} {n}") in taken:
            n += 1
        return name

    def add_line(self) -> None:
        name = self.new_name()
        line = CostLine(name) if self.kind.attr == "cost_lines" else BenefitLine(name)
        self.edit_requested.emit(self.kind.add(line))  # type: ignore[arg-type]

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        if not rows:
            self.rejected.emit(f"select the {self.kind.what}s to remove first")
            return
        commands: list[Command] = [self.kind.remove(self._names[r]) for r in rows]
        if len(commands) == 1:
            self.edit_requested.emit(commands[0])
        else:
            self.edit_requested.emit(Macro(commands, f"Remove {len(commands)} {self.kind.what}s"))
