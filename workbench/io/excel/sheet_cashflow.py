"""The Cash flow sheet: the business case as live formulas over the Assumptions sheet.

Months run across the columns (C is month 1), lines down the rows: costs, benefits, net,
cumulative and discounted net, then the risk-adjusted flow, the years, and the results
(total cost and benefit, net, ROI, NPV, payback, IRR). The formulas reproduce the app's
conventions exactly (see the note on the Assumptions sheet) and use only functions
Excel and LibreOffice evaluate alike.
"""

from __future__ import annotations

from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from workbench.domain.economics.cashflow import COMPUTED_INFRASTRUCTURE, COMPUTED_OBSERVABILITY
from workbench.io.excel.cashflow_grid import (
    HORIZON_ROW,
    LABEL_ROW,
    MONTH_ROW,
    RAMP_ROW,
    CashFlowLayout,
    MonthGrid,
    assumption,
    flow_rows,
    per_month,
)
from workbench.io.excel.cashflow_results import write_results, write_years
from workbench.io.excel.content import WorkbookContent
from workbench.io.excel.estate_rows import estate_rows
from workbench.io.excel.refs import ASSUMPTIONS, GIB, Rows, absolute
from workbench.io.excel.sheet_assumptions import CASH_TIMING_NOTE, AssumptionsLayout
from workbench.io.excel.styles import (
    HEADER,
    NOTE,
    NUMBER,
    SECTION,
    SHARE,
    TITLE,
    cell,
    formula_style,
    money_format,
    print_setup,
    set_widths,
)


def write_cash_flow(
    wb: Workbook, ws: WriteOnlyWorksheet, c: WorkbookContent, al: AssumptionsLayout
) -> CashFlowLayout:
    a = c.assumptions
    n = al.months
    money = money_format(a.currency)
    lay = CashFlowLayout(months=n)
    set_widths(ws, [40, 16] + [13] * n)
    ws.freeze_panes = "C5"
    print_setup(ws, title_rows=f"{MONTH_ROW}:{LABEL_ROW}")
    ws.print_title_cols = "A:B"
    rows = Rows(ws)
    rows.add([cell(ws, "Cash flow", TITLE)])
    rows.add([cell(ws, CASH_TIMING_NOTE, NOTE)])
    rows.add(
        [cell(ws, "Month", HEADER), cell(ws, "", HEADER)]
        + [cell(ws, m, HEADER) for m in range(1, n + 1)]
    )
    rows.add(
        [cell(ws, "", HEADER), cell(ws, "Total", HEADER)]
        + [cell(ws, label, HEADER) for label in c.months.labels]
    )
    rows.add([cell(ws, "Year"), None] + [cell(ws, (m - 1) // 12 + 1) for m in range(1, n + 1)])
    grid = MonthGrid(rows, n, money)
    share = formula_style(SHARE)
    grid.row(
        "In horizon (1 = yes)",
        lambda m, x: f"IF({x}${MONTH_ROW}<=Horizon,1,0)",
        formula_style(NUMBER),
        total=False,
    )
    grid.row(
        "Benefit ramp (share of run-rate)",
        lambda m, x: (
            f'IF(RampKind="full",1,IF(RampKind="linear",IF(RampMonths<=0,1,'
            f"MIN({x}${MONTH_ROW}/RampMonths,1)),{assumption(x, al.coverage_row)}))"
            f"*{x}${HORIZON_ROW}"
        ),
        share,
        total=False,
    )
    grid.row(
        "Discount factor (month end)",
        lambda m, x: f"1/(1+MonthlyRate)^{x}${MONTH_ROW}",
        formula_style("0.000000"),
        total=False,
    )
    rows.add()
    rows.add([cell(ws, "Priced mesh overhead (used when Infrastructure is computed)", SECTION)])
    plain = formula_style(money)
    overhead_row = grid.row(
        "Mesh overhead (CPU and memory requests)",
        lambda m, x: (
            f"({assumption(x, al.cpu_row)}*VcpuHour+{assumption(x, al.memory_row)}*GbHour)"
            "*HoursPerMonth"
        ),
        plain,
    )
    monitoring_row = grid.row(
        "Monitoring load (series memory and trace storage)",
        lambda m, x: (
            f"({assumption(x, al.series_row)}*BytesPerSeries/{GIB}*GbHour)*HoursPerMonth"
            f"+{assumption(x, al.trace_row)}*StorageGbHour*HoursPerMonth"
        ),
        plain,
    )
    rows.add()
    computed = 'InfrastructureMode="computed"'
    rows.add([cell(ws, "Costs", SECTION)])
    lay.cost_rows += estate_rows(grid, c, al, plain)
    for i, ar in enumerate(al.cost_rows):
        once = f"IF({{x}}${MONTH_ROW}=1,{absolute(ASSUMPTIONS, 'C', ar)},0)"
        annual = f"{absolute(ASSUMPTIONS, 'D', ar)}/12"
        if i == al.infrastructure_line:
            annual = f"IF({computed},{{x}}${overhead_row},{annual})"
        template = f"({once}+{annual})*{{x}}${HORIZON_ROW}"
        lay.cost_rows.append(grid.row(a.cost_lines[i].name, per_month(template), plain))
    if al.infrastructure_line is None:
        lay.cost_rows.append(
            grid.row(
                COMPUTED_INFRASTRUCTURE,
                lambda m, x: f"IF({computed},{x}${overhead_row},0)*{x}${HORIZON_ROW}",
                plain,
            )
        )
    if a.observability.enabled:
        lay.cost_rows.append(
            grid.row(
                COMPUTED_OBSERVABILITY,
                lambda m, x: f"IF({computed},{x}${monitoring_row},0)*{x}${HORIZON_ROW}",
                plain,
            )
        )
    lay.cost_total_row = grid.total("Total costs", lay.cost_rows)
    rows.add()
    rows.add([cell(ws, "Benefits", SECTION)])
    for i, ar in enumerate(al.benefit_rows):
        lay.benefit_rows.append(
            grid.row(
                a.benefit_lines[i].name,
                per_month(f"{absolute(ASSUMPTIONS, 'C', ar)}/12*{{x}}${RAMP_ROW}"),
                plain,
            )
        )
    lay.benefit_total_row = grid.total("Total benefits", lay.benefit_rows)
    rows.add()
    cost_t, ben_t = lay.cost_total_row, lay.benefit_total_row
    flows = flow_rows(grid, ben_t, cost_t, "Net cash flow", plain)
    lay.net_row, lay.cumulative_row = flows[0], flows[1]
    rows.add()
    rows.add([cell(ws, "Risk-adjusted (benefits x (1 - r), costs x (1 + r))", SECTION)])
    ra_cost = grid.row(
        "Costs, risk-adjusted", lambda m, x: f"{x}{cost_t}*(1+RiskAdjustment)", plain
    )
    ra_ben = grid.row(
        "Benefits, risk-adjusted", lambda m, x: f"{x}{ben_t}*(1-RiskAdjustment)", plain
    )
    ra = flow_rows(grid, ra_ben, ra_cost, "Net cash flow, risk-adjusted", plain)
    lay.risk_adjusted_cumulative_row = ra[1]
    rows.add()
    write_years(rows, lay, n, money)
    rows.add()
    cents = money_format(a.currency, cents=True)
    plain_flow, risky_flow = (cost_t, ben_t, *flows), (ra_cost, ra_ben, *ra)
    write_results(wb, rows, lay, n, cents, plain_flow, risky_flow, c.irr_guess)
    return lay
