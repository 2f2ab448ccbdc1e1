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
from datetime import date, datetime
from pathlib import Path

import numpy as np

from workbench.domain.economics.coverage import add_months
from workbench.domain.economics.estate_case import programme_end
from workbench.domain.economics.metrics import Metrics
from workbench.domain.economics.model import readiness_from_findings
from workbench.domain.errors import WorkbenchError
from workbench.domain.jobs import CancelToken, Progress, no_progress
from workbench.domain.plan import Plan
from workbench.io.atomic import atomic_output
from workbench.io.excel.content import (
    MonthlyInputs,
    ScheduleInputs,
    SteadyOverhead,
    WaveInputs,
    WorkbookContent,
)
from workbench.io.excel.refs import SHEETS
from workbench.io.excel.workbook import write_workbook
from workbench.ops.check import CheckResult, check_plan
from workbench.ops.economics import EconomicsReport, case_notes, compute


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


def schedule_inputs(report: EconomicsReport) -> ScheduleInputs | None:
    """The per-wave figures behind the workbook's schedule formulas; None when undated."""
    basis = report.basis
    grid = basis.grid
    if grid.start is None:
        return None
    sched = basis.plan.schedule
    a = report.assumptions
    effort = basis.wave_effort(a.estate_case)
    obs = basis.observability
    steps = {w.wave: w for w in basis.timeline.waves}
    control = basis.timeline.monthly["control_plane"]
    total = basis.timeline.monthly_total()
    frac = grid.meshed_fractions([w.end for w in sched.waves])
    cpu = np.array([steps[w.id].cpu_m for w in sched.waves])
    mem = np.array([steps[w.id].memory_bytes for w in sched.waves])
    rebuilt = np.vstack([control[0] + cpu @ frac, control[1] + mem @ frac]) if len(cpu) else control
    linear = bool(np.allclose(rebuilt, total, rtol=1e-12, atol=1e-6))
    start: date = grid.start
    return ScheduleInputs(
        boundaries=[add_months(start, i) for i in range(grid.months + 1)],
        waves=[
            WaveInputs(
                workloads=float(basis.membership.workloads[i]),
                cpu_m=float(cpu[i]),
                memory_bytes=float(mem[i]),
                classes=(
                    float(effort.classes[i, 0]),
                    float(effort.classes[i, 1]),
                    float(effort.classes[i, 2]),
                ),
                new_namespaces=effort.namespaces[i],
                series=float(obs.wave_series[i]),
                trace_bytes=float(obs.wave_trace_bytes[i]),
            )
            for i in range(len(sched.waves))
        ],
        live_workloads=len(basis.table.pods),
        already_meshed=float(basis.membership.already_workloads),
        control_cpu_m=float(control[0, 0]) if grid.months else 0.0,
        control_memory_bytes=float(control[1, 0]) if grid.months else 0.0,
        overhead_linear=linear,
        programme_end=programme_end(sched),
        blocker_rules=len(basis.readiness().blocker_rules),
        already_series=float(obs.wave_series[-1]),
        already_trace_bytes=float(obs.wave_trace_bytes[-1]),
    )


def excel_content(
    plan: Plan, scenario: str | None = None, check: CheckResult | None = None
) -> tuple[WorkbookContent, EconomicsReport]:
    """The workbook's content for ``plan`` under ``scenario`` (default: the active one)."""
    check = check_plan(plan) if check is None else check
    report = compute(plan, scenario, readiness=readiness_from_findings(check.findings))
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
        schedule=schedule_inputs(report),
        notes=case_notes(plan, report),
        estate_costs=(
            basis.estate_series(report.assumptions) if report.assumptions.case == "estate" else []
        ),
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
