"""Sheet titles, cell references and the row-by-row writer the sheets share.

The month grids of the Assumptions and Cash flow sheets put month *m* in the same
column on both sheets (column C is month 1), so a formula for month *m* refers to
month *m* of an input row by the same column letter.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

SUMMARY = "Summary"
ASSUMPTIONS = "Assumptions"
CASH_FLOW = "Cash flow"
WAVES = "Waves"
INVENTORY = "Inventory"
FINDINGS = "Findings"
DEPENDENCIES = "Dependencies"
METRICS = "Success metrics"
BACKLOG = "Backlog"
SHEETS = (
    SUMMARY,
    ASSUMPTIONS,
    CASH_FLOW,
    WAVES,
    BACKLOG,
    INVENTORY,
    FINDINGS,
    DEPENDENCIES,
    METRICS,
)

FIRST_MONTH_COLUMN = 3  # column C holds month 1 on the month grids
GIB = 1024**3


def month_column(month: int) -> str:
    """The column letter of month ``month`` (1-based) on a month grid."""
    return str(get_column_letter(FIRST_MONTH_COLUMN + month - 1))


def month_span(row: int, months: int, sheet: str | None = None) -> str:
    """``$C$row:$X$row`` over months 1..months, optionally qualified by its sheet."""
    span = f"${month_column(1)}${row}:${month_column(months)}${row}"
    return span if sheet is None else f"{quote_sheetname(sheet)}!{span}"


def absolute(sheet: str, column: str, row: int) -> str:
    return f"{quote_sheetname(sheet)}!${column}${row}"


def add_name(wb: Workbook, name: str, sheet: str, column: str, row: int) -> None:
    """A workbook-level defined name for one cell."""
    wb.defined_names[name] = DefinedName(name, attr_text=absolute(sheet, column, row))


class Rows:
    """Appends rows to a write-only sheet and knows the number of the last one."""

    def __init__(self, ws: WriteOnlyWorksheet) -> None:
        self.ws = ws
        self.count = 0

    def add(self, cells: Iterable[Any] = ()) -> int:
        self.ws.append(list(cells))
        self.count += 1
        return self.count

    @property
    def next(self) -> int:
        """The number the next added row will have."""
        return self.count + 1
