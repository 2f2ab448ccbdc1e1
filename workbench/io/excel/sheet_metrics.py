"""The Success metrics sheet: what the migration is measured by, baseline to target."""

from __future__ import annotations

from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from workbench.io.excel.content import WorkbookContent
from workbench.io.excel.tables import Column, write_table

COLUMNS = (
    Column("Metric", 40),
    Column("Category", 20),
    Column("Baseline", 24),
    Column("Target", 24),
    Column("Achieved", 24),
)


def write_metrics(ws: WriteOnlyWorksheet, c: WorkbookContent) -> int:
    return write_table(
        ws,
        COLUMNS,
        ((m.name, m.category, m.baseline, m.target, m.achieved or "") for m in c.plan.metrics),
        freeze="A2",
    )
