"""The estate case's cost rows on the Cash flow sheet, timed by the wave dates.

* Platform team: the team (``TeamFte``) at ``FteAnnualCost`` a year for the share of
  each month up to ``ProgrammeEnd``, and ``RunShare`` of it after;
* Migration effort and training: each wave's amount times the share of its days in the
  month (the in-progress rows of the Assumptions sheet);
* Remediation: ``OpenBlockerRules`` x ``DaysPerBlockerRule`` x ``DayRate`` in month 1.

An undated plan keeps the app's monthly figures instead.
"""

from __future__ import annotations

from collections.abc import Callable

from openpyxl.utils import quote_sheetname

from workbench.domain.economics.estate_case import (
    MIGRATION_EFFORT,
    PLATFORM_TEAM,
    REMEDIATION,
    TRAINING,
)
from workbench.io.excel.cashflow_grid import HORIZON_ROW, MONTH_ROW, MonthGrid, assumption
from workbench.io.excel.content import FloatArray, WorkbookContent
from workbench.io.excel.refs import ASSUMPTIONS
from workbench.io.excel.sheet_assumptions import AssumptionsLayout
from workbench.io.excel.styles import Style


def _values(amounts: FloatArray) -> Callable[[int, str], str]:
    """The app's monthly amounts as constants, masked by the horizon."""
    return lambda m, x: f"{float(amounts[m - 1])!r}*{x}${HORIZON_ROW}"


def estate_rows(
    grid: MonthGrid, c: WorkbookContent, al: AssumptionsLayout, money: Style
) -> list[int]:
    """The rows written (none unless the case is derived from the estate)."""
    if c.assumptions.case != "estate":
        return []
    lay = al.schedule
    if lay is None:
        return [grid.row(name, _values(v), money) for name, v in c.estate_costs]

    def bounds(x: str) -> tuple[str, str]:
        return assumption(x, lay.month_start_row), assumption(x, lay.month_end_row)

    def team(m: int, x: str) -> str:
        lo, hi = bounds(x)
        share = f"MAX(0,MIN(1,(ProgrammeEnd+1-{lo})/({hi}-{lo})))"
        return f"TeamFte*FteAnnualCost/12*({share}+RunShare*(1-{share}))*{x}${HORIZON_ROW}"

    sheet = quote_sheetname(ASSUMPTIONS)

    def spread(column: str) -> Callable[[int, str], str]:
        def make(m: int, x: str) -> str:
            if not lay.waves:
                return "0"
            amounts = f"{sheet}!{lay.column(column)}"
            shares = f"{sheet}!{lay.shares(x, lay.progress_first, lay.progress_last)}"
            return f"SUMPRODUCT({amounts},{shares})*{x}${HORIZON_ROW}"

        return make

    out = [grid.row(PLATFORM_TEAM, team, money)]
    out.append(grid.row(MIGRATION_EFFORT, spread("I"), money))
    out.append(grid.row(TRAINING, spread("J"), money))
    out.append(
        grid.row(
            REMEDIATION,
            lambda m, x: (
                f"IF({x}${MONTH_ROW}=1,OpenBlockerRules*DaysPerBlockerRule*DayRate,0)"
                f"*{x}${HORIZON_ROW}"
            ),
            money,
        )
    )
    return out
