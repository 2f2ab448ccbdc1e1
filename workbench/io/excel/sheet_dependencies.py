"""The Dependencies sheet: who calls whom, with the evidence and each side's wave."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from workbench.io.excel.content import WorkbookContent
from workbench.io.excel.styles import Style
from workbench.io.excel.tables import Column, Tick, write_table

COLUMNS = (
    Column("Caller", 48),
    Column("Callee", 48),
    Column("Caller's wave", 12),
    Column("Callee's wave", 12),
    Column("Evidence", 50),
    Column("Confidence", 11, Style(number_format="0.00")),
    Column("Manual", 8),
    Column("Via service", 36),
    Column("Requests/s", 11, Style(number_format="#,##0.0")),
)


def _rows(c: WorkbookContent) -> Iterator[Sequence[Any]]:
    assigned = c.plan.schedule.assigned()
    edges = c.plan.dependencies.edges
    for key in sorted(edges):
        e = edges[key]
        yield (
            e.caller,
            e.callee,
            assigned.get(e.caller, ""),
            assigned.get(e.callee, ""),
            "; ".join(f"{ev.kind}: {ev.detail}" for ev in e.evidence),
            e.confidence,
            "yes" if e.manual else "",
            e.via_service or "",
            e.requests_per_second,
        )


def write_dependencies(ws: WriteOnlyWorksheet, c: WorkbookContent, tick: Tick | None = None) -> int:
    return write_table(ws, COLUMNS, _rows(c), tick)
