"""The Excel export use-case: the plan as a workbook with a live business case.

``export_excel(plan, path)`` evaluates the plan (economics under the scenario, every
finding), hands the workbook writer what only the app can derive from the estate and
the schedule, and writes the file atomically: to a temporary file in the same folder,
flushed to disk, then renamed over the target. A failed or cancelled export leaves any
previous file untouched.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from workbench.domain.economics.metrics import Metrics
from workbench.domain.errors import WorkbenchError
from workbench.domain.jobs import CancelToken, Progress, no_progress
from workbench.domain.plan import Plan
from workbench.io.atomic import atomic_output
from workbench.io.excel.content import MonthlyInputs, SteadyOverhead, WorkbookContent
from workbench.io.excel.refs import SHEETS
from workbench.io.excel.workbook import write_workbook
from workbench.ops.check import CheckResult, check_plan
from workbench.ops.economics import EconomicsReport, compute


class ExcelExportError(WorkbenchError, ValueError):
    """The workbook could not be written where asked."""


@dataclass(frozen=True, slots=True)
class ExcelReport:
    """What was written, and the app's figures the workbook's formulas reproduce."""

    path: Path
    scenario: str | None
    sheets: tuple[str, ...]
    workloads: int
    findings: int
    dependencies: int
    months: int
    size_bytes: int
    metrics: Metrics
    risk_adjusted: Metrics


def _sidecar_overhead(report: EconomicsReport) -> dict[str, tuple[float, float]]:
    """Workload key -> (cpu_m, bytes) its sidecars add, for workloads in sidecar waves."""
    basis = report.basis
    table = basis.table
    keys = [""] * len(table.index)
    for key, j in table.index.items():
        keys[j] = key
    out: dict[str, tuple[float, float]] = {}
    for wave, idx in zip(basis.plan.schedule.waves, basis.members, strict=True):
        if wave.mode != "sidecar":
            continue
        for j in idx[table.injectable[idx]]:
            out[keys[j]] = (float(table.sidecar[0, j]), float(table.sidecar[1, j]))
    return out


def _monthly(annual: float | None) -> float:
    """The monthly rate of an annual IRR; 1% a month when there is none."""
    return 0.01 if annual is None else float((1.0 + annual) ** (1.0 / 12.0) - 1.0)


def excel_content(
    plan: Plan, scenario: str | None = None, check: CheckResult | None = None
) -> tuple[WorkbookContent, EconomicsReport]:
    """The workbook's content for ``plan`` under ``scenario`` (default: the active one)."""
    report = compute(plan, scenario)
    check = check_plan(plan) if check is None else check
    basis = report.basis
    total = basis.timeline.monthly_total()
    o = report.overhead
    content = WorkbookContent(
        plan=plan,
        assumptions=report.assumptions,
        scenario=report.scenario,
        start=basis.grid.start,
        months=MonthlyInputs(
            labels=report.month_labels,
            coverage=basis.coverage.workloads,
            overhead_cpu_m=total[0],
            overhead_memory_bytes=total[1],
            monitoring_series=basis.observability.series,
            trace_bytes=basis.observability.trace_bytes,
        ),
        findings=check.findings,
        backlog=check.backlog,
        risk=check.risk,
        sidecar_overhead=_sidecar_overhead(report),
        waves=report.waves,
        steady=SteadyOverhead(
            cpu_m=o.cpu_m,
            memory_bytes=o.memory_bytes,
            sidecar_pods=o.sidecar_pods,
            ztunnel_nodes=o.ztunnel_nodes,
            waypoints=o.waypoints,
        ),
        scenarios=report.scenarios,
        exported_at=datetime.now().strftime("%Y-%m-%d %H:%M"),
        irr_guess=(_monthly(report.metrics.irr), _monthly(report.risk_adjusted.irr)),
    )
    return content, report


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


def export_excel(
    plan: Plan,
    path: str | os.PathLike[str],
    *,
    scenario: str | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> ExcelReport:
    """Write the plan's Excel workbook to ``path``, atomically."""
    progress = no_progress if progress is None else progress
    cancel = CancelToken() if cancel is None else cancel
    target = Path(os.path.realpath(path))
    if target.is_dir():
        raise ExcelExportError(f"cannot write the workbook to {os.fspath(path)}: it is a folder")
    if not target.parent.is_dir():
        raise ExcelExportError(
            f"cannot write the workbook to {os.fspath(path)}: no folder {target.parent}"
        )
    progress(0.0, "computing the business case")
    content, report = excel_content(plan, scenario)
    cancel.check("the Excel export")

    def writing(fraction: float, message: str) -> None:
        progress(0.1 + 0.9 * fraction, message)

    try:
        with atomic_output(target) as out:
            write_workbook(content, out, writing, cancel)
    except OSError as exc:
        raise ExcelExportError(
            f"cannot write the workbook to {os.fspath(path)}: {_why(exc)}"
        ) from None
    m = report.evaluation
    return ExcelReport(
        path=target,
        scenario=report.scenario,
        sheets=SHEETS,
        workloads=sum(1 for w in plan.inventory.workloads.values() if not w.vanished),
        findings=len(content.findings),
        dependencies=len(plan.dependencies.edges),
        months=content.months.count,
        size_bytes=target.stat().st_size,
        metrics=m.metrics,
        risk_adjusted=m.risk_adjusted,
    )
