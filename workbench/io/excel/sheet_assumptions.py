"""The Assumptions sheet: every input of the business case, as cells a reader may change.

Scalars carry workbook-level names (``DiscountRate``, ``RampKind`` ...) that the Cash
flow formulas use. The cost and benefit tables and the monthly inputs from the schedule
(coverage, mesh overhead, monitoring load) are referenced by position.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.datavalidation import DataValidation

from workbench.domain.assumptions import INFRASTRUCTURE_MODES, RAMP_KINDS
from workbench.domain.economics.cashflow import INFRASTRUCTURE
from workbench.io.excel.content import WorkbookContent
from workbench.io.excel.refs import ASSUMPTIONS, GIB, Rows, add_name
from workbench.io.excel.schedule_rows import (
    ScheduleLayout,
    programme_end_formula,
    write_monitoring_series,
    write_month_shares,
    write_schedule_series,
    write_wave_table,
)
from workbench.io.excel.styles import (
    DATE,
    DECIMAL,
    HEADER,
    NOTE,
    NUMBER,
    RATE,
    SECTION,
    SHARE,
    SUBTITLE,
    TITLE,
    app_value_style,
    cell,
    formula,
    formula_style,
    input_style,
    money_format,
    print_setup,
    set_widths,
)

CASH_TIMING_NOTE = (
    "When cash lands: every month's cash lands at the END of that month, month 1's one-time "
    "amounts included. NPV discounts month m by (1 + i)^m with the monthly rate "
    "i = (1 + annual rate)^(1/12) - 1. Payback treats a month's cash as flowing evenly "
    "through it: the cumulative net is interpolated linearly within the month, and payback "
    "is the point after which it never falls below zero again."
)
INPUTS_NOTE = "Yellow cells are inputs: change one and every figure in the workbook follows."
LINES_NOTE = (
    "A cost line's one-time amount lands in month 1; its annual amount is spread evenly, one "
    "twelfth a month, over the horizon. Benefit lines are annual run-rates times the ramp."
)


@dataclass(slots=True)
class AssumptionsLayout:
    """Where the Cash flow formulas find their inputs."""

    months: int
    cost_rows: list[int] = field(default_factory=list)  # C: one-time, D: annual
    benefit_rows: list[int] = field(default_factory=list)  # C: annual run-rate
    infrastructure_line: int | None = None  # index into cost_rows of the computed line
    label_row: int = 0
    coverage_row: int = 0
    cpu_row: int = 0  # vCPU
    memory_row: int = 0  # GiB
    series_row: int = 0
    trace_row: int = 0  # GiB
    schedule: ScheduleLayout | None = None  # the wave-date formulas, when the plan is dated


def infrastructure_line(names: list[str], categories: list[str]) -> int | None:
    """The cost line whose annual amount ``computed`` infrastructure replaces."""
    for i, (name, category) in enumerate(zip(names, categories, strict=True)):
        if INFRASTRUCTURE in (name.strip().lower(), category.strip().lower()):
            return i
    return None


@dataclass(frozen=True, slots=True)
class Scalar:
    """One input cell (named when ``name`` is set) or, without a value, a section title."""

    label: str
    value: object = None
    name: str | None = None
    number_format: str | None = None
    note: str = ""
    check: dict[str, str] = field(default_factory=dict)  # data validation settings
    formula: str = ""  # a formula instead of an input value
    app: bool = False  # a named figure the app computed (not an input)


def _choices(values: tuple[str, ...]) -> str:
    return '"' + ",".join(values) + '"'


def _scalars(c: WorkbookContent) -> list[Scalar]:
    """The single-value inputs, in sheet order; ``None`` starts a new section."""
    a, p, n = c.assumptions, c.assumptions.prices, c.months.count
    price = "0.000000"
    return [
        Scalar("General"),
        Scalar("Currency", a.currency),
        Scalar("Scenario", c.scenario or "the plan's assumptions"),
        Scalar("Month 1 starts", c.start or "not dated", number_format=DATE),
        Scalar(
            "Horizon (months)", a.horizon_months, "Horizon", NUMBER,
            f"1 to {n}: the month grid holds {n} months",
            {"type": "whole", "operator": "between", "formula1": "1", "formula2": str(n)},
        ),
        Scalar(
            "Discount rate (a year)", a.discount_rate, "DiscountRate", RATE, "",
            {"type": "decimal", "operator": "greaterThan", "formula1": "-1"},
        ),
        Scalar(
            "Risk adjustment", a.risk_adjustment, "RiskAdjustment", RATE,
            "risk-adjusted figures: benefits x (1 - r), costs x (1 + r)",
            {"type": "decimal", "operator": "between", "formula1": "0", "formula2": "0.9999"},
        ),
        Scalar(
            "Benefit ramp", a.ramp.kind, "RampKind", None,
            "full: from month 1; linear: month m realises m/N; coverage: share of workloads "
            "meshed", {"type": "list", "formula1": _choices(RAMP_KINDS)},
        ),
        Scalar(
            "Ramp months (linear)", a.ramp.months, "RampMonths", NUMBER, "",
            {"type": "whole", "operator": "greaterThanOrEqual", "formula1": "0"},
        ),
        Scalar(
            "Infrastructure", a.infrastructure, "InfrastructureMode", None,
            "fixed: the cost lines as given; computed: the priced mesh overhead replaces the "
            "infrastructure line's annual amount",
            {"type": "list", "formula1": _choices(INFRASTRUCTURE_MODES)},
        ),
        Scalar("Prices"),
        Scalar("Price per vCPU-hour", p.vcpu_hour, "VcpuHour", price),
        Scalar("Price per GiB-hour of memory", p.gb_hour, "GbHour", price),
        Scalar("Hours a month", p.hours_per_month, "HoursPerMonth", DECIMAL),
        Scalar("Storage price per GiB-hour", p.storage_gb_hour, "StorageGbHour", "0.00000000000"),
        Scalar(
            "Monitoring memory per series (bytes)", a.observability.bytes_per_series,
            "BytesPerSeries", NUMBER,
        ),
        Scalar("Node size (vCPU)", p.node_vcpu, "NodeVcpu", DECIMAL),
        Scalar("Node size (GiB)", p.node_memory_gib, "NodeMemoryGib", DECIMAL),
        Scalar("Node target utilisation", p.node_target_utilisation, "NodeUtilisation", SHARE),
        *_estate_scalars(c),
    ]  # fmt: skip


def _estate_scalars(c: WorkbookContent) -> list[Scalar]:
    """The estate's counts and the estate case's rates (docs/economics.md gives sources)."""
    s = c.schedule
    if s is None:
        return []
    e = c.assumptions.estate_case
    end = programme_end_formula(s) if s.waves else ""
    end_value = s.programme_end or s.boundaries[-1]
    pos = {"type": "decimal", "operator": "greaterThanOrEqual", "formula1": "0"}
    return [
        Scalar("Estate and schedule"),
        Scalar("Workloads in the estate", s.live_workloads, "LiveWorkloads", NUMBER, app=True),
        Scalar("Meshed before the migration", s.already_meshed, "AlreadyMeshed", NUMBER, app=True),
        Scalar("Open blocker rules", s.blocker_rules, "OpenBlockerRules", NUMBER, app=True),
        Scalar("Control plane (vCPU)", s.control_cpu_m / 1000.0, "ControlVcpu", DECIMAL, app=True),
        Scalar("Control plane (GiB)", s.control_memory_bytes / GIB, "ControlGib", DECIMAL,
               app=True),
        Scalar("Monitoring series before the migration", s.already_series, "AlreadySeries",
               NUMBER, app=True),
        Scalar("Trace storage before the migration (GiB)", s.already_trace_bytes / GIB,
               "AlreadyTraceGib", DECIMAL, app=True),
        Scalar(
            "Programme ends", end_value, "ProgrammeEnd", DATE, "the last wave's end",
            formula=end,
        ),
        Scalar("Estate case (used when the case is derived from the estate)"),
        Scalar("Case", c.assumptions.case, None, None, "estate: the cost rows below; lines: "
               "the cost lines as given"),
        Scalar("Loaded cost of one person a year", e.fte_annual_cost, "FteAnnualCost", NUMBER,
               "the playbook: $800K a year for four people", pos),
        Scalar("Workloads per platform engineer", e.workloads_per_fte, "WorkloadsPerFte",
               DECIMAL, "the playbook: four people for 1,000 services", pos),
        Scalar("Smallest platform team", e.min_fte, "MinFte", DECIMAL, "", pos),
        Scalar("Team share that stays to run the mesh", e.run_share, "RunShare", SHARE, "", pos),
        Scalar("Working days a year", e.working_days, "WorkingDays", DECIMAL, "", pos),
        Scalar("Day rate", None, "DayRate", NUMBER, formula="IF(WorkingDays>0,"
               "FteAnnualCost/WorkingDays,0)"),
        Scalar("Platform team (people)", None, "TeamFte", DECIMAL, formula="MAX(MinFte,"
               "IF(WorkloadsPerFte>0,LiveWorkloads/WorkloadsPerFte,0))"),
        Scalar("Days per workload: ready", e.days_ready, "DaysReady", DECIMAL, "", pos),
        Scalar("Days per workload: needs work", e.days_needs_work, "DaysNeedsWork", DECIMAL,
               "medium or high findings", pos),
        Scalar("Days per workload: blocked", e.days_blocked, "DaysBlocked", DECIMAL,
               "a blocker, besides its remediation", pos),
        Scalar("Days per wave", e.days_per_wave, "DaysPerWave", DECIMAL,
               "change window, verification, rollback rehearsal", pos),
        Scalar("Days per open blocker rule", e.days_per_blocker_rule, "DaysPerBlockerRule",
               DECIMAL, "remediation, in month 1", pos),
        Scalar("Training per namespace", e.training_per_namespace, "TrainingPerNamespace",
               NUMBER, "with the first wave that reaches it", pos),
    ]  # fmt: skip


def write_assumptions(
    wb: Workbook, ws: WriteOnlyWorksheet, c: WorkbookContent
) -> AssumptionsLayout:
    a = c.assumptions
    money = money_format(a.currency)
    n = c.months.count
    layout = AssumptionsLayout(months=n)
    set_widths(ws, [46, 18] + [14] * max(n, 3))
    ws.freeze_panes = "B4"
    print_setup(ws)
    rows = Rows(ws)
    rows.add([cell(ws, "Assumptions", TITLE)])
    rows.add([cell(ws, INPUTS_NOTE, SUBTITLE)])
    rows.add([cell(ws, CASH_TIMING_NOTE, NOTE)])
    for scalar in _scalars(c):
        if scalar.value is None and not scalar.formula:
            rows.add()
            rows.add([cell(ws, scalar.label, SECTION), cell(ws, "", SECTION)])
            continue
        style = input_style if scalar.name and not scalar.app else app_value_style
        value = (
            formula(ws, scalar.formula, formula_style(scalar.number_format))
            if scalar.formula
            else cell(ws, scalar.value, style(scalar.number_format))
        )
        row = rows.add([cell(ws, scalar.label), value, cell(ws, scalar.note, NOTE)])
        if scalar.name:
            add_name(wb, scalar.name, ASSUMPTIONS, "B", row)
        if scalar.check:
            dv = DataValidation(allow_blank=False, showErrorMessage=True, **scalar.check)
            dv.add(f"B{row}")
            ws.data_validations.append(dv)
    rows.add()
    rows.add([cell(ws, LINES_NOTE, NOTE)])
    rows.add([cell(ws, h, HEADER) for h in ("Cost line", "Category", "One-time", "Annual", "Note")])
    names = [line.name for line in a.cost_lines]
    layout.infrastructure_line = infrastructure_line(
        names, [line.category for line in a.cost_lines]
    )
    for i, line in enumerate(a.cost_lines):
        note = (
            "annual amount replaced by the priced mesh overhead when Infrastructure is computed"
            if i == layout.infrastructure_line
            else ""
        )
        note = "; ".join(x for x in (line.basis, note) if x)
        layout.cost_rows.append(
            rows.add(
                [
                    cell(ws, line.name),
                    cell(ws, line.category),
                    cell(ws, line.one_time, input_style(money)),
                    cell(ws, line.annual, input_style(money)),
                    cell(ws, note, NOTE),
                ]
            )
        )
    rows.add()
    rows.add(
        [
            cell(ws, h, HEADER)
            for h in ("Benefit line", "Category", "Annual run-rate", "Per workload", "Basis")
        ]
    )
    for benefit in a.benefit_lines:
        r = rows.next
        per = benefit.per_workload > 0 and c.schedule is not None
        layout.benefit_rows.append(
            rows.add(
                [
                    cell(ws, benefit.name),
                    cell(ws, benefit.category),
                    formula(ws, f"D{r}*LiveWorkloads", formula_style(money))
                    if per
                    else cell(ws, benefit.annual, input_style(money)),
                    cell(ws, benefit.per_workload, input_style(money)) if per else None,
                    cell(ws, benefit.basis, NOTE),
                ]
            )
        )
    rows.add()
    if c.schedule is not None:
        layout.schedule = ScheduleLayout()
        write_wave_table(rows, c, layout.schedule)
        rows.add()
    _monthly_inputs(rows, c, layout)
    return layout


def _monthly_inputs(rows: Rows, c: WorkbookContent, layout: AssumptionsLayout) -> None:
    ws = rows.ws
    mi = c.months
    rows.add(
        [cell(ws, "Monthly inputs computed by the app from the schedule and the estate", SECTION)]
        + [cell(ws, "", SECTION) for _ in range(mi.count + 1)]
    )
    linked = layout.schedule is not None
    rows.add(
        [
            cell(
                ws,
                "A wave's workloads count as meshed from the wave's end date; the coverage and "
                "overhead rows follow the wave dates on the Waves sheet."
                if linked
                else "A wave's workloads count as meshed from the wave's end date; moving a "
                "wave in the app recomputes these rows.",
                NOTE,
            )
        ]
    )
    layout.label_row = rows.add(
        [cell(ws, "Month", HEADER), cell(ws, "Unit", HEADER)]
        + [cell(ws, label, HEADER) for label in mi.labels]
    )
    cpu_row = memory_row = None
    if layout.schedule is not None:
        write_month_shares(rows, c, layout.schedule)
        layout.coverage_row, cpu_row, memory_row = write_schedule_series(rows, c, layout.schedule)

    def series(label: str, unit: str, values: list[float], fmt: str) -> int:
        style = input_style(fmt)
        return rows.add([cell(ws, label), cell(ws, unit)] + [cell(ws, v, style) for v in values])

    if not linked:
        layout.coverage_row = series(
            "Share of workloads meshed (coverage ramp)",
            "share",
            [float(v) for v in mi.coverage],
            SHARE,
        )
    layout.cpu_row = cpu_row or series(
        "Mesh overhead: CPU requests",
        "vCPU",
        [float(v) / 1000.0 for v in mi.overhead_cpu_m],
        DECIMAL,
    )
    layout.memory_row = memory_row or series(
        "Mesh overhead: memory requests",
        "GiB",
        [float(v) / GIB for v in mi.overhead_memory_bytes],
        DECIMAL,
    )
    if layout.schedule is not None:
        layout.series_row, layout.trace_row = write_monitoring_series(rows, c, layout.schedule)
        return
    layout.series_row = series(
        "Monitoring: active series", "series", [float(v) for v in mi.monitoring_series], NUMBER
    )
    layout.trace_row = series(
        "Monitoring: trace storage held",
        "GiB",
        [float(v) / GIB for v in mi.trace_bytes],
        DECIMAL,
    )
