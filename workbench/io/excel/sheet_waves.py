"""The Waves sheet: phases, activities and waves with a cell-based Gantt chart.

The bars are conditional fills over a grid of week columns, driven by each row's Start
and End cells: change a date and its bar moves. Sidecar and ambient waves, phases and
activities each have their own colour.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from workbench.io.excel.content import WorkbookContent
from workbench.io.excel.refs import GIB, WAVES, Rows, add_name
from workbench.io.excel.styles import (
    DATE,
    DECIMAL,
    GANTT_DATE,
    HEADER,
    NOTE,
    NUMBER,
    TITLE,
    Style,
    app_value_style,
    cell,
    formula,
    formula_style,
    input_style,
    money_format,
    print_setup,
    set_widths,
)

COLUMNS = (
    ("Type", 10),
    ("ID", 12),
    ("Name", 28),
    ("Phase", 14),
    ("Start", 12),
    ("End", 12),
    ("Data plane", 11),
    ("mTLS", 12),
    ("Workloads", 11),
    ("Pods", 9),
    ("Added vCPU", 11),
    ("Added GiB", 11),
    ("Added cost a month", 14),
)
FIRST_GANTT = len(COLUMNS) + 1
HEADER_ROW = 4
MAX_COLUMNS = 260  # a five-year plan in weeks; longer plans get wider steps
BAR_COLOURS = {
    ("Phase", ""): "BFBFBF",
    ("Activity", ""): "F4B183",
    ("Wave", "sidecar"): "4472C4",
    ("Wave", "ambient"): "70AD47",
}


@dataclass(frozen=True, slots=True)
class GanttScale:
    first: date  # a Monday
    step_days: int
    columns: int


def gantt_scale(c: WorkbookContent) -> GanttScale | None:
    s = c.plan.schedule
    spans = [(p.start, p.end) for p in s.phases]
    spans += [(x.start, x.end) for x in s.activities]
    spans += [(w.start, w.end) for w in s.waves]
    starts = [a for a, _ in spans]
    ends = [b for _, b in spans]
    if not starts:
        return None
    first = min(starts)
    first -= timedelta(days=first.weekday())
    days = (max(max(ends), first) - first).days + 1
    weeks = -(-days // 7)
    step = 7 * -(-weeks // MAX_COLUMNS)
    return GanttScale(first, step, -(-days // step))


def wave_date_rows(c: WorkbookContent) -> list[int]:
    """The row of each wave (plan order) on the Waves sheet: its Start is in column E,
    its End in F, named ``Wave1Start``, ``Wave1End`` ... (see :func:`name_wave_dates`)."""
    s = c.plan.schedule
    first = HEADER_ROW + 1 + len(s.phases) + len(s.activities)
    return [first + i for i in range(len(s.waves))]


def name_wave_dates(wb: Workbook, c: WorkbookContent) -> None:
    """Workbook names for every wave's Start and End cells."""
    for k, row in enumerate(wave_date_rows(c), start=1):
        add_name(wb, wave_start(k), WAVES, "E", row)
        add_name(wb, wave_end(k), WAVES, "F", row)


def wave_start(k: int) -> str:
    return f"Wave{k}Start"


def wave_end(k: int) -> str:
    return f"Wave{k}End"


def write_waves(ws: WriteOnlyWorksheet, c: WorkbookContent) -> None:
    sched = c.plan.schedule
    money = money_format(c.assumptions.currency)
    scale = gantt_scale(c)
    set_widths(ws, [w for _, w in COLUMNS])
    if scale is not None:
        set_widths(ws, [3.2] * scale.columns, first=FIRST_GANTT)
    ws.freeze_panes = f"D{HEADER_ROW + 1}"
    ws.row_dimensions[HEADER_ROW].height = 48 if scale is not None else 30
    print_setup(ws, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")
    rows = Rows(ws)
    rows.add([cell(ws, "Waves and phases", TITLE)])
    rows.add(
        [
            cell(
                ws,
                "Bars follow the Start and End cells. A wave's workloads count as meshed from its "
                "end date; the added overhead is what the wave adds once it is done. A wave's "
                "Start and End are inputs of the business case: change one and the coverage, "
                "the overhead, the cost timing, NPV and payback follow.",
                NOTE,
            )
        ]
    )
    rows.add()
    head = [cell(ws, name, HEADER) for name, _ in COLUMNS]
    if scale is not None:
        rotated = Style(
            font=Font(bold=True, color="FFFFFF", size=8),
            fill=HEADER.fill,
            number_format=GANTT_DATE,
            alignment=Alignment(text_rotation=90, horizontal="center"),
        )
        head += [
            cell(ws, scale.first + timedelta(days=i * scale.step_days), rotated)
            for i in range(scale.columns)
        ]
    rows.add(head)
    date_style = Style(number_format=DATE)
    phases = {p.id: p.name for p in sched.phases}
    dated = [("Phase", p.id, p.name, p.name, p.start, p.end) for p in sched.phases]
    dated += [
        ("Activity", x.id, x.name, phases.get(x.phase, x.phase), x.start, x.end)
        for x in sched.activities
    ]
    for kind, ident, name, phase, start, end in dated:
        rows.add(
            [
                cell(ws, kind),
                cell(ws, ident),
                cell(ws, name),
                cell(ws, phase),
                cell(ws, start, date_style),
                cell(ws, end, date_style),
            ]
        )
    overhead = {w.wave: w for w in c.waves}
    value = app_value_style(DECIMAL)
    date_input = input_style(DATE)
    for wave in sched.waves:
        o = overhead.get(wave.id)
        r = rows.next
        rows.add(
            [
                cell(ws, "Wave"),
                cell(ws, wave.id),
                cell(ws, wave.name),
                cell(ws, phases.get(wave.phase, wave.phase)),
                cell(ws, wave.start, date_input),
                cell(ws, wave.end, date_input),
                cell(ws, wave.mode),
                cell(ws, wave.mtls),
                cell(ws, o.workloads if o else len(wave.members), app_value_style(NUMBER)),
                cell(ws, o.pods if o else 0, app_value_style(NUMBER)),
                cell(ws, (o.cpu_m if o else 0.0) / 1000.0, value),
                cell(ws, (o.memory_bytes if o else 0.0) / GIB, value),
                formula(ws, f"(K{r}*VcpuHour+L{r}*GbHour)*HoursPerMonth", formula_style(money)),
            ]
        )
    last = rows.count
    if last > HEADER_ROW:
        ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(COLUMNS))}{last}"
        if scale is not None:
            _gantt_rules(ws, scale, last)


def _gantt_rules(ws: WriteOnlyWorksheet, scale: GanttScale, last: int) -> None:
    first_col = get_column_letter(FIRST_GANTT)
    last_col = get_column_letter(FIRST_GANTT + scale.columns - 1)
    area = f"{first_col}{HEADER_ROW + 1}:{last_col}{last}"
    top = HEADER_ROW + 1
    when = (
        f"AND($E{top}<={first_col}${HEADER_ROW}+{scale.step_days - 1},"
        f"$F{top}>={first_col}${HEADER_ROW}"
    )
    for (kind, mode), colour in BAR_COLOURS.items():
        test = f'$A{top}="{kind}"' + (f',$G{top}="{mode}"' if mode else "")
        fill = PatternFill("solid", fgColor=colour, bgColor=colour)
        ws.conditional_formatting.add(
            area, FormulaRule(formula=[f"{when},{test})"], fill=fill, stopIfTrue=True)
        )
