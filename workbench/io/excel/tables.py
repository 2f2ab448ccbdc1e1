"""Large list sheets (inventory, findings, dependencies): a header row and streamed rows.

Each gets a frozen, filterable header and print titles. openpyxl writes the sheet's frame
(columns, panes, filter, page setup) and its header; the data rows, which can number
tens of thousands, are rendered straight to SpreadsheetML here (inline strings, numbers,
dates, formulas, with the column's cell style) and spliced into openpyxl's streamed sheet
before the workbook is saved. That keeps a 10,000-workload export to seconds, and the
rows go through a scratch file, so memory stays flat.
"""

from __future__ import annotations

import numbers
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from workbench.io.excel.styles import HEADER, Style, cell, print_setup, safe_text, set_widths

TICK_ROWS = 2000  # rows between progress reports and cancel checks
FLUSH_ROWS = 500
SHEET_DATA_END = "</sheetData>"
_ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
Tick = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    width: float
    style: Style | None = None
    formula: bool = False  # the values are formulas (text starting with "=")


class RowRenderer:
    """SpreadsheetML for one row of values, each column with its own cell style."""

    def __init__(self, ws: WriteOnlyWorksheet, columns: Sequence[Column]) -> None:
        self.letters = [get_column_letter(i) for i in range(1, len(columns) + 1)]
        self.formulas = [c.formula for c in columns]
        styles = []
        for c in columns:
            # A styled cell registers its style with the workbook and tells its index.
            styles.append(f' s="{cell(ws, None, c.style).style_id}"' if c.style else "")
        self.styles = styles

    def render(self, row: int, values: Sequence[Any]) -> str:
        parts = [f'<row r="{row}">']
        for letter, style, is_formula, value in zip(
            self.letters, self.styles, self.formulas, values, strict=True
        ):
            if value is None or value == "":
                continue
            ref = f'r="{letter}{row}"{style}'
            if is_formula:
                parts.append(f"<c {ref}><f>{str(value).lstrip('=').translate(_ESCAPE)}</f></c>")
            elif isinstance(value, str):
                text = safe_text(value).translate(_ESCAPE)
                space = ' xml:space="preserve"' if value != value.strip() else ""
                parts.append(f'<c {ref} t="inlineStr"><is><t{space}>{text}</t></is></c>')
            elif isinstance(value, bool):
                parts.append(f'<c {ref} t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, numbers.Real):
                number = float(value)
                if number == number and abs(number) != float("inf"):
                    shown = int(value) if isinstance(value, numbers.Integral) else number
                    parts.append(f"<c {ref}><v>{shown!r}</v></c>")
            elif isinstance(value, (date, datetime)):
                parts.append(f"<c {ref}><v>{to_excel(value)!r}</v></c>")
            else:
                raise TypeError(f"cannot write {type(value).__name__} to a worksheet cell")
        parts.append("</row>")
        return "".join(parts)


def _splice(path: str, rows: IO[bytes]) -> None:
    """Put the rendered rows at the end of the sheet data in openpyxl's sheet file."""
    with open(path, encoding="utf-8") as f:
        frame = f.read()
    cut = frame.rindex(SHEET_DATA_END)
    rows.seek(0)
    with open(path, "wb") as out:
        out.write(frame[:cut].encode("utf-8"))
        shutil.copyfileobj(rows, out, 1024 * 1024)
        out.write(frame[cut:].encode("utf-8"))


def write_table(
    ws: WriteOnlyWorksheet,
    columns: Sequence[Column],
    values: Iterable[Sequence[Any]],
    tick: Tick | None = None,
    freeze: str = "B2",
) -> int:
    """Write the header and every row, then close the sheet; returns the data row count."""
    set_widths(ws, [c.width for c in columns])
    ws.freeze_panes = freeze
    print_setup(ws, title_rows="1:1")
    renderer = RowRenderer(ws, columns)
    count = 0
    with tempfile.TemporaryFile() as scratch:
        pending: list[str] = []
        for count, row in enumerate(values, start=1):
            pending.append(renderer.render(count + 1, row))
            if len(pending) >= FLUSH_ROWS:
                scratch.write("".join(pending).encode("utf-8"))
                pending.clear()
            if tick is not None and count % TICK_ROWS == 0:
                tick(count)
        scratch.write("".join(pending).encode("utf-8"))
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
        ws.append([cell(ws, c.title, HEADER) for c in columns])
        ws.close()
        _splice(ws._writer.out, scratch)
    return count
