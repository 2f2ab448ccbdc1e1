"""The schedule as formulas on the Assumptions sheet: wave dates drive the business case.

Each wave's Start and End cells on the Waves sheet carry the names ``Wave1Start``,
``Wave1End`` ... (plan order). Here, per wave, a table of what it weighs (workloads,
readiness classes, new namespaces, the overhead it adds, its effort and training), and
per month the month's boundaries and two share rows per wave:

* *meshed*: the share of the month from the wave's end date on (its members count as
  meshed from that day, as in the app);
* *in progress*: the share of the wave's days (start to end, inclusive) in the month,
  which times its effort and training.

Coverage and the overhead requests are formulas over the meshed rows, so moving a wave
date moves them, the benefit ramp, the cost timing, NPV and payback. The overhead rows
stay the app's figures when the overhead is not a sum of per-wave steps (proxies sized
by traffic); a note says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from workbench.io.excel.content import ScheduleInputs, WorkbookContent
from workbench.io.excel.refs import GIB, Rows, month_column
from workbench.io.excel.sheet_waves import wave_end, wave_start
from workbench.io.excel.styles import (
    DATE,
    DECIMAL,
    HEADER,
    NOTE,
    NUMBER,
    SECTION,
    SHARE,
    app_value_style,
    cell,
    formula,
    formula_style,
    money_format,
)

WAVE_COLUMNS = (
    "Wave",
    "Workloads",
    "Ready",
    "Needs work",
    "Blocked",
    "New teams",
    "Added vCPU",
    "Added GiB",
    "Migration effort",
    "Training",
    "Monitoring series",
    "Trace storage (GiB)",
)


@dataclass(slots=True)
class ScheduleLayout:
    """Rows of the schedule formulas on the Assumptions sheet (column letters fixed)."""

    wave_first: int = 0  # the wave table: B workloads, G vCPU, H GiB, I effort, J training
    wave_last: int = 0
    month_start_row: int = 0
    month_end_row: int = 0
    meshed_first: int = 0
    meshed_last: int = 0
    progress_first: int = 0
    progress_last: int = 0

    @property
    def waves(self) -> int:
        return self.wave_last - self.wave_first + 1 if self.wave_first else 0

    def column(self, letter: str) -> str:
        """A wave table column as an absolute range."""
        return f"${letter}${self.wave_first}:${letter}${self.wave_last}"

    def shares(self, x: str, first: int, last: int) -> str:
        return f"{x}${first}:{x}${last}"


def programme_end_formula(s: ScheduleInputs) -> str:
    """MAX over the waves' End names, in chunks the spreadsheet accepts."""
    names = [wave_end(k) for k in range(1, len(s.waves) + 1)]
    chunks = [f"MAX({','.join(names[i : i + 200])})" for i in range(0, len(names), 200)]
    return chunks[0] if len(chunks) == 1 else f"MAX({','.join(chunks)})"


def write_wave_table(rows: Rows, c: WorkbookContent, lay: ScheduleLayout) -> None:
    ws = rows.ws
    s = c.schedule
    assert s is not None
    money = formula_style(money_format(c.assumptions.currency))
    value = app_value_style(NUMBER)
    rows.add([cell(ws, "Waves: what each weighs (dates: the Waves sheet)", SECTION)])
    rows.add(
        [
            cell(
                ws,
                "Readiness classes and overhead are the app's figures for each wave's members; "
                "effort and training follow the estate case inputs above.",
                NOTE,
            )
        ]
    )
    rows.add([cell(ws, h, HEADER) for h in WAVE_COLUMNS])
    for k, (wave, w) in enumerate(zip(c.plan.schedule.waves, s.waves, strict=True), start=1):
        r = rows.next
        rows.add(
            [
                cell(ws, wave.name),
                cell(ws, w.workloads, value),
                *(cell(ws, n, value) for n in w.classes),
                cell(ws, w.new_namespaces, value),
                cell(ws, w.cpu_m / 1000.0, app_value_style(DECIMAL)),
                cell(ws, w.memory_bytes / GIB, app_value_style(DECIMAL)),
                formula(
                    ws,
                    f"(C{r}*DaysReady+D{r}*DaysNeedsWork+E{r}*DaysBlocked+DaysPerWave)*DayRate",
                    money,
                ),
                formula(ws, f"F{r}*TrainingPerNamespace", money),
                cell(ws, w.series, value),
                cell(ws, w.trace_bytes / GIB, app_value_style(DECIMAL)),
            ]
        )
        if k == 1:
            lay.wave_first = r
        lay.wave_last = r


def write_month_shares(rows: Rows, c: WorkbookContent, lay: ScheduleLayout) -> None:
    """The month boundaries and each wave's meshed and in-progress shares."""
    ws = rows.ws
    s = c.schedule
    assert s is not None
    n = c.months.count
    dates = app_value_style(DATE)
    lay.month_start_row = rows.add(
        [cell(ws, "Month starts"), cell(ws, "date")]
        + [cell(ws, s.boundaries[m], dates) for m in range(n)]
    )
    lay.month_end_row = rows.add(
        [cell(ws, "Next month starts"), cell(ws, "date")]
        + [cell(ws, s.boundaries[m + 1], dates) for m in range(n)]
    )
    lo, hi = lay.month_start_row, lay.month_end_row
    share = formula_style(SHARE)

    def row(label: str, make: str) -> int:
        cells = [cell(ws, label), cell(ws, "share")]
        for m in range(1, n + 1):
            x = month_column(m)
            cells.append(formula(ws, make.format(lo=f"{x}${lo}", hi=f"{x}${hi}"), share))
        return rows.add(cells)

    names = [(wave_start(k), wave_end(k)) for k in range(1, len(s.waves) + 1)]

    def rows_per_wave(label: str, make: str) -> tuple[int, int]:
        made = [
            row(f"Wave {k}: {label}", make.format(start=start, end=end, lo="{lo}", hi="{hi}"))
            for k, (start, end) in enumerate(names, start=1)
        ]
        return (made[0], made[-1]) if made else (0, 0)

    lay.meshed_first, lay.meshed_last = rows_per_wave(
        "share of the month meshed", "MAX(0,MIN(1,({hi}-MAX({end},{lo}))/({hi}-{lo})))"
    )
    lay.progress_first, lay.progress_last = rows_per_wave(
        "share of its days in the month",
        "MAX(0,MIN({hi},{end}+1)-MAX({lo},{start}))/MAX({end}+1-{start},1)",
    )


def coverage_formula(lay: ScheduleLayout, x: str) -> str:
    meshed = "AlreadyMeshed"
    if lay.waves:
        meshed += (
            f"+SUMPRODUCT({lay.column('B')},{lay.shares(x, lay.meshed_first, lay.meshed_last)})"
        )
    return f"IF(LiveWorkloads=0,0,MAX(0,MIN(1,({meshed})/LiveWorkloads)))"


def overhead_formula(lay: ScheduleLayout, x: str, control: str, column: str) -> str:
    if not lay.waves:
        return control
    shares = lay.shares(x, lay.meshed_first, lay.meshed_last)
    return f"{control}+SUMPRODUCT({lay.column(column)},{shares})"


def write_formula_row(
    rows: Rows, label: str, unit: str, months: int, make: object, fmt: str
) -> int:
    ws: WriteOnlyWorksheet = rows.ws
    style = formula_style(fmt)
    assert callable(make)
    return rows.add(
        [cell(ws, label), cell(ws, unit)]
        + [formula(ws, make(month_column(m)), style) for m in range(1, months + 1)]
    )


def write_monitoring_series(rows: Rows, c: WorkbookContent, lay: ScheduleLayout) -> tuple[int, int]:
    """The monitoring load's rows (series, trace GiB) as formulas of the wave dates."""
    n = c.months.count
    series = write_formula_row(
        rows,
        "Monitoring: active series",
        "series",
        n,
        lambda x: overhead_formula(lay, x, "AlreadySeries", "K"),
        NUMBER,
    )
    trace = write_formula_row(
        rows,
        "Monitoring: trace storage held",
        "GiB",
        n,
        lambda x: overhead_formula(lay, x, "AlreadyTraceGib", "L"),
        DECIMAL,
    )
    return series, trace


def write_schedule_series(
    rows: Rows, c: WorkbookContent, lay: ScheduleLayout
) -> tuple[int, int | None, int | None]:
    """Coverage and, when linear, the overhead rows as formulas; (coverage, cpu, memory)
    rows, with None where the overhead stays the app's figures."""
    n = c.months.count
    s = c.schedule
    assert s is not None
    cov = write_formula_row(
        rows,
        "Share of workloads meshed (coverage ramp)",
        "share",
        n,
        lambda x: coverage_formula(lay, x),
        SHARE,
    )
    if not s.overhead_linear:
        rows.add(
            [
                cell(
                    rows.ws,
                    "The overhead below is the app's: proxies sized by traffic make it more than "
                    "a sum of per-wave steps, so moving a wave date here does not move it.",
                    NOTE,
                )
            ]
        )
        return cov, None, None
    cpu = write_formula_row(
        rows,
        "Mesh overhead: CPU requests",
        "vCPU",
        n,
        lambda x: overhead_formula(lay, x, "ControlVcpu", "G"),
        DECIMAL,
    )
    mem = write_formula_row(
        rows,
        "Mesh overhead: memory requests",
        "GiB",
        n,
        lambda x: overhead_formula(lay, x, "ControlGib", "H"),
        DECIMAL,
    )
    return cov, cpu, mem
