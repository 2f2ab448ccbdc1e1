"""The Findings sheet: every active readiness and schedule finding, most severe first.

The Summary sheet counts this sheet's Severity column, so column A must stay Severity.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from openpyxl.styles import Alignment
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from workbench.io.excel.content import WorkbookContent
from workbench.io.excel.styles import Style
from workbench.io.excel.tables import Column, Tick, write_table

WRAP = Style(alignment=Alignment(wrap_text=False, vertical="top"))
COLUMNS = (
    Column("Severity", 10),
    Column("Rule", 10),
    Column("Source", 11),
    Column("Subject", 48),
    Column("Subject's wave", 12),
    Column("Other items", 40),
    Column("What was seen", 70, WRAP),
    Column("Why it matters", 70, WRAP),
    Column("How to fix", 70, WRAP),
)


def _rows(c: WorkbookContent) -> Iterator[Sequence[Any]]:
    assigned = c.plan.schedule.assigned()
    for f in c.findings:
        yield (
            f.severity,
            f.rule,
            f.source,
            f.subject,
            assigned.get(f.subject, ""),
            ", ".join(f.items[1:]),
            f.message,
            f.why,
            f.fix,
        )


def write_findings(ws: WriteOnlyWorksheet, c: WorkbookContent, tick: Tick | None = None) -> int:
    return write_table(ws, COLUMNS, _rows(c), tick, freeze="A2")
