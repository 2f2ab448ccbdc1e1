"""How each sheet prints: legible pages rather than one shrunken page.

A sheet that fits one landscape page wide at a readable scale is fitted to one page
wide. A wider sheet (the 36 months of the cash flow, the day columns of the wave
Gantt, a long assumption table) is split over as many pages wide as it takes to stay
at :data:`MIN_SCALE` or more, and its label columns and header rows (those frozen on
screen) repeat on every page. Every page carries the sheet name and "page n of m".
"""

from __future__ import annotations

import math
import re

from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

# Landscape A4/Letter with 0.5" side margins: about 10 inches of print width; Excel's
# column width unit is one character of the default font, about 0.075 inches.
PAGE_WIDTH_CHARS = 10.0 / 0.075
MIN_SCALE = 0.7  # smaller than this and 10-point figures are hard to read on paper
DEFAULT_WIDTH = 8.43  # Excel's width for a column whose width was not set
_CELL = re.compile(r"^([A-Z]+)(\d+)$")


def pages_wide(total_chars: float, min_scale: float = MIN_SCALE) -> int:
    """Pages across needed to print ``total_chars`` of columns at ``min_scale`` or more."""
    return max(1, math.ceil(total_chars * min_scale / PAGE_WIDTH_CHARS - 1e-9))


def sheet_width(ws: Worksheet | WriteOnlyWorksheet) -> float:
    """The width of the columns the sheet sets, in characters (gaps count as default)."""
    widths = {
        column_index_from_string(letter): dim.width or DEFAULT_WIDTH
        for letter, dim in ws.column_dimensions.items()
    }
    if not widths:
        return 0.0
    last = max(widths)
    return sum(widths.get(i, DEFAULT_WIDTH) for i in range(1, last + 1))


def apply_print_layout(ws: Worksheet | WriteOnlyWorksheet, title_rows: str | None = None) -> None:
    """Set a sheet's pages from its column widths and frozen panes: call it after those
    are set and before the first row (a streamed sheet writes its properties first)."""
    setup = ws.page_setup
    ws.print_options.gridLines = False
    if title_rows:
        ws.print_title_rows = title_rows
    setup.orientation = "landscape"
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "&A — page &P of &N"
    ws.oddFooter.center.size = 8
    total = sheet_width(ws)
    if total == 0.0:
        return
    setup.fitToWidth = pages_wide(total)
    setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    match = _CELL.match(str(ws.freeze_panes or ""))
    if match is None:
        return
    column, row = column_index_from_string(match.group(1)), int(match.group(2))
    if column > 1 and setup.fitToWidth > 1:
        ws.print_title_cols = f"A:{get_column_letter(column - 1)}"
    if row > 1 and not ws.print_title_rows:
        ws.print_title_rows = f"1:{row - 1}"
