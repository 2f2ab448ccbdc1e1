"""The Backlog sheet: workloads kept out of every wave until a readiness cause is fixed.

One row per workload: namespace, workload, the rule that keeps it out (and any others),
its severity, what was seen and the fix. Fixing or muting the cause returns the workload
to planning; the sheet is a snapshot at export time.
"""

from __future__ import annotations

from collections.abc import Iterator

from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from workbench.io.excel.content import WorkbookContent
from workbench.io.excel.tables import Column, write_table

COLUMNS = (
    Column("Namespace", 28),
    Column("Workload", 40),
    Column("Kind", 13),
    Column("Rule", 8),
    Column("Also", 14),
    Column("Severity", 10),
    Column("Why it is kept out", 70),
    Column("Fix", 70),
)


def write_backlog(ws: WriteOnlyWorksheet, c: WorkbookContent) -> int:
    def rows() -> Iterator[tuple[str, ...]]:
        for item in c.backlog:
            w = c.plan.inventory.workloads[item.key]
            yield (
                item.namespace,
                w.name,
                w.kind,
                item.cause.rule,
                ", ".join(item.cause.others),
                item.cause.severity,
                item.cause.message,
                item.cause.fix,
            )

    return write_table(ws, COLUMNS, rows(), freeze="C2")
