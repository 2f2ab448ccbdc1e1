"""Cell styles, number formats, safe cell values and page setup shared by every sheet.

Input cells (the assumptions a reader may change) have blue text on a pale yellow
fill, the usual finance convention; formulas are black; values computed by the app at
export time are grey italic. Text taken from a plan is always written as text, never as
a formula, whatever it starts with.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from workbench.io.excel.print_layout import apply_print_layout

MAX_TEXT = 32_767  # Excel's limit for the characters in one cell
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}

PERCENT = "0.0%"
RATE = "0.00%"
SHARE = "0.0%"
DECIMAL = "#,##0.00"
NUMBER = "#,##0"
MONTHS = '0.00" mo"'
DATE = "yyyy-mm-dd"
GANTT_DATE = "d mmm yy"

NAVY = "1F3864"
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
HEADER_FILL = PatternFill("solid", fgColor=NAVY)
SECTION_FILL = PatternFill("solid", fgColor="D9E1F2")
TOTAL_BORDER = Border(top=Side(style="thin", color="808080"))


def money_format(currency: str, cents: bool = False) -> str:
    """A currency format with the symbol where one is known, else the ISO code."""
    body = "#,##0.00" if cents else "#,##0"
    symbol = CURRENCY_SYMBOLS.get(currency.upper())
    if symbol is None:
        code = re.sub(r"[^A-Za-z0-9]", "", currency)[:8]
        return f'{body} "{code}";[Red]-{body} "{code}"'
    return f'"{symbol}"{body};[Red]-"{symbol}"{body}'


@dataclass(frozen=True, slots=True)
class Style:
    font: Font | None = None
    fill: PatternFill | None = None
    number_format: str | None = None
    alignment: Alignment | None = None
    border: Border | None = None


TITLE = Style(font=Font(bold=True, size=16, color=NAVY))
SUBTITLE = Style(font=Font(italic=True, color="595959"))
NOTE = Style(font=Font(italic=True, color="595959"), alignment=Alignment(wrap_text=False))
SECTION = Style(font=Font(bold=True, color=NAVY), fill=SECTION_FILL)
HEADER = Style(
    font=Font(bold=True, color="FFFFFF"),
    fill=HEADER_FILL,
    alignment=Alignment(vertical="center", wrap_text=True),
)
LABEL = Style()
BOLD = Style(font=Font(bold=True))
INPUT_FONT = Font(color="0000FF")


def input_style(number_format: str | None = None) -> Style:
    return Style(font=INPUT_FONT, fill=INPUT_FILL, number_format=number_format)


def formula_style(number_format: str | None = None, bold: bool = False) -> Style:
    return Style(font=Font(bold=True) if bold else None, number_format=number_format)


def total_style(number_format: str | None = None) -> Style:
    return Style(font=Font(bold=True), number_format=number_format, border=TOTAL_BORDER)


def app_value_style(number_format: str | None = None) -> Style:
    """A figure the app computed at export time (it does not follow edits)."""
    return Style(font=Font(italic=True, color="7F7F7F"), number_format=number_format)


def safe_text(value: str) -> str:
    """Text a worksheet accepts: no XML control characters, within Excel's length limit."""
    return _ILLEGAL.sub("", value)[:MAX_TEXT]


def cell(ws: WriteOnlyWorksheet, value: Any, style: Style | None = None) -> WriteOnlyCell:
    """A cell for ``append``; strings starting with ``=`` are formulas only via :func:`formula`."""
    c = WriteOnlyCell(ws)
    put(c, value)
    if style is not None:
        apply(c, style)
    return c


def formula(ws: WriteOnlyWorksheet, text: str, style: Style | None = None) -> WriteOnlyCell:
    """A formula cell (``text`` without the leading ``=``)."""
    c = WriteOnlyCell(ws, value="=" + text)
    if style is not None:
        apply(c, style)
    return c


def put(c: WriteOnlyCell, value: Any) -> None:
    """Set a cell's value; text is always stored as text."""
    if isinstance(value, str) and value:
        c.value = safe_text(value)
        c.data_type = "s"
    elif value == "":
        c.value = None
    else:
        c.value = value


def apply(c: WriteOnlyCell, style: Style) -> None:
    if style.font is not None:
        c.font = style.font
    if style.fill is not None:
        c.fill = style.fill
    if style.number_format is not None:
        c.number_format = style.number_format
    if style.alignment is not None:
        c.alignment = style.alignment
    if style.border is not None:
        c.border = style.border


def set_widths(ws: WriteOnlyWorksheet, widths: Sequence[float], first: int = 1) -> None:
    for i, width in enumerate(widths, start=first):
        ws.column_dimensions[get_column_letter(i)].width = width


def print_setup(ws: WriteOnlyWorksheet, title_rows: str | None = None) -> None:
    """Landscape, legible pages, headers and labels repeated (see :mod:`.print_layout`)."""
    apply_print_layout(ws, title_rows)


def table_header(ws: WriteOnlyWorksheet, names: Sequence[str]) -> list[WriteOnlyCell]:
    return [cell(ws, n, HEADER) for n in names]
