"""The Excel plan: a workbook whose business case is live formulas over its assumptions.

Sheets, in order: Summary (headline figures and charts), Assumptions (the input cells),
Cash flow (months, years and results as formulas), Waves (a cell-based Gantt), Backlog
(workloads kept out of the waves, with rule and fix), Inventory, Findings, Dependencies
and Success metrics. The workbook carries the defined names ``TotalCost``,
``TotalBenefit``, ``NetBenefit``, ``ROI``, ``NPV`` and ``PaybackMonths`` for the
results, and asks the spreadsheet to recalculate on load.

Every sheet is streamed (openpyxl's write-only mode), so memory stays flat whatever
the size of the estate.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from typing import BinaryIO

from openpyxl.workbook.workbook import Workbook

from workbench.domain.jobs import CancelToken, Progress
from workbench.io.excel.content import WorkbookContent
from workbench.io.excel.refs import (
    ASSUMPTIONS,
    BACKLOG,
    CASH_FLOW,
    DEPENDENCIES,
    FINDINGS,
    INVENTORY,
    METRICS,
    SHEETS,
    SUMMARY,
    WAVES,
)
from workbench.io.excel.sheet_assumptions import write_assumptions
from workbench.io.excel.sheet_backlog import write_backlog
from workbench.io.excel.sheet_cashflow import write_cash_flow
from workbench.io.excel.sheet_dependencies import write_dependencies
from workbench.io.excel.sheet_findings import write_findings
from workbench.io.excel.sheet_inventory import write_inventory
from workbench.io.excel.sheet_metrics import write_metrics
from workbench.io.excel.sheet_summary import write_summary
from workbench.io.excel.sheet_waves import name_wave_dates, write_waves
from workbench.io.excel.tables import Tick

RESULT_NAMES = ("TotalCost", "TotalBenefit", "NetBenefit", "ROI", "NPV", "PaybackMonths")


def _ticker(
    progress: Progress, cancel: CancelToken, start: float, span: float, total: int, what: str
) -> Tick:
    def tick(done: int) -> None:
        cancel.check("the Excel export")
        progress(start + span * min(1.0, done / max(1, total)), f"writing {what}")

    return tick


def write_workbook(
    content: WorkbookContent,
    target: str | os.PathLike[str] | BinaryIO,
    progress: Progress,
    cancel: CancelToken,
) -> None:
    """Build the workbook and save it to ``target`` (a path or a binary file).

    Progress runs from 0 to 1 over the sheets; ``cancel`` is checked between sheets
    and every few thousand rows of the large ones.
    """
    wb = Workbook(write_only=True)
    ws = {title: wb.create_sheet(title) for title in SHEETS}
    ws[SUMMARY].sheet_properties.tabColor = "1F3864"
    ws[ASSUMPTIONS].sheet_properties.tabColor = "FFC000"
    plan = content.plan
    live = sum(1 for w in plan.inventory.workloads.values() if not w.vanished)
    steps: list[tuple[str, float, Callable[[Tick], object]]] = []

    def assumptions(_: Tick) -> None:
        if content.schedule is not None:
            name_wave_dates(wb, content)
        al = write_assumptions(wb, ws[ASSUMPTIONS], content)
        cl = write_cash_flow(wb, ws[CASH_FLOW], content, al)
        write_summary(ws[SUMMARY], ws[CASH_FLOW], content, cl)

    steps.append(("the business case", 0.05, assumptions))
    steps.append(("the waves", 0.02, lambda _: write_waves(ws[WAVES], content)))
    steps.append(("the backlog", 0.02, lambda _: write_backlog(ws[BACKLOG], content)))
    steps.append(("the inventory", 0.3, lambda t: write_inventory(ws[INVENTORY], content, t)))
    steps.append(("the findings", 0.25, lambda t: write_findings(ws[FINDINGS], content, t)))
    counts = {
        "the inventory": live,
        "the findings": len(content.findings),
        "the dependencies": len(plan.dependencies.edges),
    }
    steps.append(
        ("the dependencies", 0.25, lambda t: write_dependencies(ws[DEPENDENCIES], content, t))
    )
    steps.append(("the success metrics", 0.01, lambda _: write_metrics(ws[METRICS], content)))
    try:
        _write_sheets(steps, counts, progress, cancel)
        cancel.check("the Excel export")
        progress(0.9, "saving the workbook")
        wb.calculation.fullCalcOnLoad = True
        wb.save(target)
    except BaseException:
        _discard(wb)
        raise
    progress(1.0, "workbook written")


def _write_sheets(
    steps: list[tuple[str, float, Callable[[Tick], object]]],
    counts: dict[str, int],
    progress: Progress,
    cancel: CancelToken,
) -> None:
    done = 0.0
    scale = 0.9 / sum(weight for _, weight, _ in steps)
    for what, weight, run in steps:
        cancel.check("the Excel export")
        progress(done, f"writing {what}")
        run(_ticker(progress, cancel, done, weight * scale, counts.get(what, 1), what))
        done += weight * scale


def _discard(wb: Workbook) -> None:
    """Close the streamed sheets of an unfinished workbook and delete their scratch files."""
    for ws in wb.worksheets:
        writer = getattr(ws, "_writer", None)
        with contextlib.suppress(Exception):
            if not ws.closed:
                ws.close()
        if writer is not None and os.path.exists(writer.out):
            with contextlib.suppress(Exception):
                writer.cleanup()
