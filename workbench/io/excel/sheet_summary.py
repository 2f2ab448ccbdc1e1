"""The Summary sheet: the headline figures (live formulas), the estate, and charts."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from workbench.domain.findings import SEVERITIES
from workbench.io.excel.cashflow_grid import CashFlowLayout
from workbench.io.excel.cashflow_results import NO_PAYBACK
from workbench.io.excel.charts import cost_breakdown_chart, cumulative_chart, yearly_chart
from workbench.io.excel.content import WorkbookContent
from workbench.io.excel.refs import FINDINGS, GIB, Rows, absolute
from workbench.io.excel.styles import (
    BOLD,
    DECIMAL,
    HEADER,
    MONTHS,
    NOTE,
    NUMBER,
    PERCENT,
    RATE,
    SUBTITLE,
    TITLE,
    Style,
    app_value_style,
    cell,
    formula,
    formula_style,
    money_format,
    print_setup,
    set_widths,
)

KPIS = (
    ("cost", "Total cost", None),
    ("benefit", "Total benefit", None),
    ("net", "Net benefit", None),
    ("roi", "ROI", PERCENT),
    ("npv", "NPV", None),
    ("payback", "Payback (months)", MONTHS),
    ("irr", "IRR (a year)", PERCENT),
)
CHART_ANCHORS = ("H5", "H23", "H41")


def write_summary(
    ws: WriteOnlyWorksheet,
    cash: WriteOnlyWorksheet,
    c: WorkbookContent,
    cl: CashFlowLayout,
) -> None:
    a = c.assumptions
    money = money_format(a.currency)
    set_widths(ws, [38, 18, 18, 16, 18, 18, 3])
    print_setup(ws)
    rows = Rows(ws)
    plan = c.plan
    rows.add([cell(ws, plan.meta.title, TITLE)])
    by = f" by {plan.meta.author}" if plan.meta.author else ""
    rows.add(
        [
            cell(
                ws,
                f"Scenario: {c.scenario or 'the plan as it stands'}; exported {c.exported_at}{by}.",
                SUBTITLE,
            )
        ]
    )
    rows.add(
        [
            cell(
                ws,
                "The business case below is live: it follows the yellow input cells on the "
                "Assumptions sheet. Cash lands at the end of each month (see Assumptions). "
                f'Payback shows "{NO_PAYBACK}" when the plan does not pay back in the horizon.',
                NOTE,
            )
        ]
    )
    rows.add()
    rows.add([cell(ws, h, HEADER) for h in ("Business case", "As planned", "Risk-adjusted")])
    for key, label, fmt in KPIS:
        style = formula_style(fmt or money, bold=True)
        rows.add(
            [
                cell(ws, label, BOLD),
                formula(ws, cl.result(key), style),
                formula(ws, cl.result(key, risk_adjusted=True), formula_style(fmt or money)),
            ]
        )
    rows.add([cell(ws, "Horizon (months)"), formula(ws, "Horizon", formula_style(NUMBER))])
    rows.add([cell(ws, "Discount rate (a year)"), formula(ws, "DiscountRate", formula_style(RATE))])
    rows.add([cell(ws, "Risk adjustment"), formula(ws, "RiskAdjustment", formula_style(RATE))])
    rows.add([cell(ws, "Benefit ramp"), formula(ws, "RampKind", formula_style())])
    rows.add([cell(ws, "Infrastructure"), formula(ws, "InfrastructureMode", formula_style())])
    rows.add()
    _estate(rows, c)
    rows.add()
    _overhead(rows, c, money)
    rows.add()
    _scenarios(rows, c, money)
    _notes(rows, c)
    for anchor, chart in zip(
        CHART_ANCHORS,
        (
            cumulative_chart(cash, cl, money),
            cost_breakdown_chart(cash, cl, money) if cl.cost_rows else None,
            yearly_chart(cash, cl, money),
        ),
        strict=True,
    ):
        if chart is not None:
            ws.add_chart(chart, anchor)


def _notes(rows: Rows, c: WorkbookContent) -> None:
    """The plan's and the scenario's notes, and whether the case still uses defaults."""
    if not c.notes:
        return
    ws = rows.ws
    rows.add()
    rows.add([cell(ws, "Notes", HEADER), cell(ws, "", HEADER)])
    for heading, text in c.notes:
        rows.add([cell(ws, heading, BOLD), cell(ws, text, NOTE)])


def _table(rows: Rows, title: str, lines: Sequence[tuple[str, object, Style]]) -> None:
    ws = rows.ws
    rows.add([cell(ws, title, HEADER), cell(ws, "", HEADER)])
    for label, value, style in lines:
        if isinstance(value, str) and value.startswith("="):
            rows.add([cell(ws, label), formula(ws, value[1:], style)])
        else:
            rows.add([cell(ws, label), cell(ws, value, style)])


def _estate(rows: Rows, c: WorkbookContent) -> None:
    inv = c.plan.inventory
    live = [w for w in inv.workloads.values() if not w.vanished]
    assigned = c.plan.schedule.assigned()
    count = app_value_style(NUMBER)
    _table(
        rows,
        "Estate",
        [
            ("Clusters", len(inv.clusters), count),
            ("Namespaces", len(inv.namespaces), count),
            ("Workloads", len(live), count),
            ("Pods", sum(w.pods for w in live), count),
            ("Waves", len(c.plan.schedule.waves), count),
            ("Workloads in a wave", sum(1 for w in live if w.key in assigned), count),
            ("Workloads in no wave", sum(1 for w in live if w.key not in assigned), count),
        ],
    )
    rows.add()
    last = max(2, len(c.findings) + 1)
    severities = absolute(FINDINGS, "A", 2) + f":$A${last}"
    _table(
        rows,
        "Readiness and schedule findings",
        [
            (s.capitalize(), f'=COUNTIF({severities},"{s}")', formula_style(NUMBER))
            for s in SEVERITIES
        ],
    )


def _overhead(rows: Rows, c: WorkbookContent, money: str) -> None:
    st = c.steady
    first = rows.next + 1
    cpu, mem = f"B{first + 3}", f"B{first + 4}"
    nodes = f"B{first + 6}"
    value = app_value_style(DECIMAL)
    _table(
        rows,
        "Mesh overhead once every wave is done",
        [
            ("Pods with a sidecar", st.sidecar_pods, app_value_style(NUMBER)),
            ("Nodes running a ztunnel", st.ztunnel_nodes, app_value_style(NUMBER)),
            ("Waypoints", st.waypoints, app_value_style(NUMBER)),
            ("CPU requests (vCPU)", st.cpu_m / 1000.0, value),
            ("Memory requests (GiB)", st.memory_bytes / GIB, value),
            (
                "Monthly cost of the overhead",
                f"=({cpu}*VcpuHour+{mem}*GbHour)*HoursPerMonth",
                formula_style(money),
            ),
            (
                "As nodes (at the target utilisation)",
                f"=MAX({cpu}/(NodeVcpu*NodeUtilisation),{mem}/(NodeMemoryGib*NodeUtilisation))",
                formula_style(DECIMAL),
            ),
            (
                "Extra nodes (whole)",
                f"=IF({nodes}>0,ROUNDUP({nodes}-0.000000001,0),0)",
                formula_style(NUMBER),
            ),
        ],
    )


def _scenarios(rows: Rows, c: WorkbookContent, money: str) -> None:
    ws = rows.ws
    heads = (
        "Scenarios (the app's figures at export)",
        "Total cost",
        "Total benefit",
        "ROI",
        "NPV",
        "Payback (months)",
    )
    rows.add([cell(ws, h, HEADER) for h in heads])
    for s in c.scenarios:
        m = s.metrics
        rows.add(
            [
                cell(ws, s.name or "the plan's assumptions"),
                cell(ws, m.total_cost, app_value_style(money)),
                cell(ws, m.total_benefit, app_value_style(money)),
                cell(ws, m.roi if m.roi is not None else "n/a", app_value_style(PERCENT)),
                cell(ws, m.npv, app_value_style(money)),
                cell(
                    ws,
                    m.payback_months if m.payback_months is not None else NO_PAYBACK,
                    app_value_style(MONTHS),
                ),
            ]
        )
