"""Excel print setup: landscape, fitted to one page wide only where that stays legible,
label columns and header rows repeated on every page of a wide sheet."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from workbench.io.excel.print_layout import MIN_SCALE, PAGE_WIDTH_CHARS, pages_wide, sheet_width
from workbench.ops.export_excel import export_excel
from workbench.ops.generate import generate_plan


@pytest.fixture(scope="module")
def workbook_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("print") / "plan.xlsx"
    export_excel(generate_plan(120, 1, 4), path)
    return path


def test_pages_wide_keeps_the_scale_legible() -> None:
    assert pages_wide(0) == 1
    assert pages_wide(PAGE_WIDTH_CHARS / MIN_SCALE) == 1
    assert pages_wide(PAGE_WIDTH_CHARS / MIN_SCALE + 1) == 2
    for chars in (100, 300, 524, 1200, 5000):
        pages = pages_wide(chars)
        assert PAGE_WIDTH_CHARS * pages / chars >= MIN_SCALE  # the scale Excel will use
        assert pages == 1 or PAGE_WIDTH_CHARS * (pages - 1) / chars < MIN_SCALE  # no extra page


def test_every_sheet_is_landscape_with_a_page_footer(workbook_path: Path) -> None:
    wb = load_workbook(workbook_path)
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert "&P" in (ws.oddFooter.center.text or ""), ws.title


@pytest.mark.parametrize("title", ["Cash flow", "Waves", "Assumptions"])
def test_wide_sheets_print_legibly_over_several_pages_with_titles(
    workbook_path: Path, title: str
) -> None:
    ws = load_workbook(workbook_path)[title]
    width = sheet_width(ws)
    pages = int(ws.page_setup.fitToWidth)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert int(ws.page_setup.fitToHeight) == 0  # as many pages down as it takes
    assert pages == pages_wide(width)
    assert PAGE_WIDTH_CHARS * pages / width >= MIN_SCALE or pages == 1
    if pages > 1:
        assert ws.print_title_cols, f"{title}: labels do not repeat on the pages across"
    assert ws.print_title_rows, f"{title}: headers do not repeat on the pages down"


def test_the_cash_flow_is_not_shrunk_to_one_page(workbook_path: Path) -> None:
    ws = load_workbook(workbook_path)["Cash flow"]
    assert int(ws.page_setup.fitToWidth) >= 2
    assert ws.print_title_cols == "$A:$B"


def test_narrow_sheets_fit_one_page_wide(workbook_path: Path) -> None:
    ws = load_workbook(workbook_path)["Summary"]
    assert sheet_width(ws) * MIN_SCALE <= PAGE_WIDTH_CHARS
    assert int(ws.page_setup.fitToWidth) == 1
