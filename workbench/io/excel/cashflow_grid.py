"""The Cash flow sheet's month grid: row positions, the layout, and month-row writers.

Month *m* is column C + m - 1 (see :mod:`.refs`); rows 3 to 8 hold the month number,
its label, the year, the horizon mask, the benefit ramp and the discount factor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from workbench.io.excel.refs import ASSUMPTIONS, CASH_FLOW, Rows, absolute, month_column
from workbench.io.excel.styles import (
    BOLD,
    NUMBER,
    Style,
    cell,
    formula,
    formula_style,
    total_style,
)

MONTH_ROW = 3
LABEL_ROW = 4
YEAR_ROW = 5
HORIZON_ROW = 6
RAMP_ROW = 7
DISCOUNT_ROW = 8


@dataclass(slots=True)
class CashFlowLayout:
    months: int
    cost_rows: list[int] = field(default_factory=list)
    cost_total_row: int = 0
    benefit_rows: list[int] = field(default_factory=list)
    benefit_total_row: int = 0
    net_row: int = 0
    cumulative_row: int = 0
    risk_adjusted_cumulative_row: int = 0
    year_header_row: int = 0
    year_cost_row: int = 0
    year_benefit_row: int = 0
    year_net_row: int = 0
    years: int = 0
    # result key -> row; column B holds the plain figure, column C the risk-adjusted one
    results: dict[str, int] = field(default_factory=dict)

    def result(self, key: str, risk_adjusted: bool = False) -> str:
        return absolute(CASH_FLOW, "C" if risk_adjusted else "B", self.results[key])


def assumption(column: str, row: int) -> str:
    """A month-relative reference to the Assumptions sheet (same column, fixed row)."""
    return f"'{ASSUMPTIONS}'!{column}${row}"


def per_month(template: str) -> Callable[[int, str], str]:
    """A month formula from a template whose ``{x}`` is the month's column."""
    return lambda m, x: template.format(x=x)


class MonthGrid:
    """Writes month rows: a label, a total in column B and one formula per month."""

    def __init__(self, rows: Rows, months: int, money: str) -> None:
        self.rows = rows
        self.months = months
        self.money = money

    def row(
        self,
        label: str,
        make: Callable[[int, str], str],
        style: Style,
        total: bool = True,
        label_style: Style | None = None,
    ) -> int:
        ws = self.rows.ws
        r = self.rows.next
        first, last = month_column(1), month_column(self.months)
        cells = [cell(ws, label, label_style)]
        cells.append(formula(ws, f"SUM({first}{r}:{last}{r})", style) if total else None)
        for m in range(1, self.months + 1):
            cells.append(formula(ws, make(m, month_column(m)), style))
        return self.rows.add(cells)

    def total(self, label: str, lines: list[int]) -> int:
        """Each month's sum over ``lines`` (consecutive rows); zero without lines."""
        if not lines:
            return self.row(label, lambda m, x: "0", total_style(self.money), label_style=BOLD)
        first, last = lines[0], lines[-1]
        return self.row(
            label,
            lambda m, x: f"SUM({x}{first}:{x}{last})",
            total_style(self.money),
            label_style=total_style(),
        )


def flow_rows(
    grid: MonthGrid, benefit: int, cost: int, label: str, money: Style
) -> tuple[int, int, int, int]:
    """Net, cumulative net, discounted net and the below-zero helper row."""
    net = grid.row(label, lambda m, x: f"{x}{benefit}-{x}{cost}", money)
    r = grid.rows.next
    cum = grid.row(
        "Cumulative net",
        lambda m, x: f"{x}{net}" if m == 1 else f"{month_column(m - 1)}{r}+{x}{net}",
        formula_style(grid.money),
        total=False,
    )
    disc = grid.row(
        "Discounted net", lambda m, x: f"{x}{net}*{x}${DISCOUNT_ROW}", formula_style(grid.money)
    )
    helper = grid.row(
        "Month ending below zero (0 = not)",
        lambda m, x: f"IF({x}{cum}<0,{x}${MONTH_ROW},0)",
        formula_style(NUMBER),
        total=False,
    )
    return net, cum, disc, helper
