"""The Cash flow sheet's year table and results: totals, ROI, NPV, payback and IRR.

Payback follows the app: the cumulative net is interpolated linearly within the month
after the last month that ends below zero; 0 when it never does; "beyond horizon" when
it is still below zero at the end. NPV uses explicit month-end discount factors.
"""

from __future__ import annotations

from openpyxl.workbook.workbook import Workbook

from workbench.io.excel.cashflow_grid import DISCOUNT_ROW, YEAR_ROW, CashFlowLayout
from workbench.io.excel.refs import CASH_FLOW, Rows, add_name, month_column, month_span
from workbench.io.excel.styles import (
    HEADER,
    MONTHS,
    NUMBER,
    PERCENT,
    SECTION,
    cell,
    formula,
    formula_style,
)

RESULT_NAMES = {
    "cost": "TotalCost",
    "benefit": "TotalBenefit",
    "net": "NetBenefit",
    "roi": "ROI",
    "npv": "NPV",
    "payback": "PaybackMonths",
    "mirr": "MIRR",
}
NO_PAYBACK = "beyond horizon"
IRR_GUESSES = (0.01, -0.02, 0.1, -0.1, 0.5)  # monthly rates to start the IRR search from
NOT_AVAILABLE = "n/a"


def write_years(rows: Rows, lay: CashFlowLayout, n: int, money: str) -> None:
    ws = rows.ws
    years = (n + 11) // 12
    lay.years = years
    year_span = month_span(YEAR_ROW, n)
    rows.add([cell(ws, "By year", SECTION)])
    lay.year_header_row = rows.add(
        [cell(ws, "Year", HEADER), cell(ws, "Total", HEADER)]
        + [cell(ws, f"Year {y}", HEADER) for y in range(1, years + 1)]
    )
    style = formula_style(money)

    def by_year(label: str, source: int) -> int:
        r = rows.next
        cells = [cell(ws, label), formula(ws, f"SUM(C{r}:{month_column(years)}{r})", style)]
        for y in range(1, years + 1):
            cells.append(formula(ws, f"SUMIF({year_span},{y},{month_span(source, n)})", style))
        return rows.add(cells)

    lay.year_cost_row = by_year("Costs", lay.cost_total_row)
    lay.year_benefit_row = by_year("Benefits", lay.benefit_total_row)
    lay.year_net_row = by_year("Net", lay.net_row)
    r = rows.next
    cum = [cell(ws, "Cumulative net"), None]
    for y in range(1, years + 1):
        col = month_column(y)
        text = (
            f"{col}{lay.year_net_row}"
            if y == 1
            else f"{month_column(y - 1)}{r}+{col}{lay.year_net_row}"
        )
        cum.append(formula(ws, text, style))
    rows.add(cum)


def _irr(flows: str, guess: float) -> str:
    """IRR a year, trying several starting points: the spreadsheet's IRR iterates from a
    guess and gives up when the guess is far from the root (after an edit, say)."""
    text = f'"{NOT_AVAILABLE}"'
    for start in reversed((guess, *IRR_GUESSES)):
        text = f"IFERROR((1+IRR({flows},{start!r}))^12-1,{text})"
    return text


def _mirr(net: str, discount: str) -> str:
    """MIRR a year as the app computes it: (1 + i) x (PV of inflows / -PV of outflows)
    ^ (1 / horizon) - 1 a month, annualised; n/a when the flow does not change sign."""
    pos = f"SUMPRODUCT(({net}>0)*{net},{discount})"
    neg = f"SUMPRODUCT(({net}<0)*{net},{discount})"
    return (
        f'IF(OR({pos}<=0,{neg}>=0),"{NOT_AVAILABLE}",'
        f"((1+MonthlyRate)*({pos}/-{neg})^(1/Horizon))^12-1)"
    )


def write_results(
    wb: Workbook,
    rows: Rows,
    lay: CashFlowLayout,
    n: int,
    money: str,
    plain: tuple[int, ...],
    risky: tuple[int, ...],
    irr_guess: tuple[float, float],
) -> None:
    """Totals, ROI, NPV, payback and IRR for the plain (B) and risk-adjusted (C) flows."""
    ws = rows.ws
    rows.add(
        [
            cell(ws, "Results", SECTION),
            cell(ws, "As planned", SECTION),
            cell(ws, "Risk-adjusted", SECTION),
        ]
    )
    r = rows.add(
        [
            cell(ws, "Monthly discount rate"),
            formula(ws, "(1+DiscountRate)^(1/12)-1", formula_style("0.000000%")),
        ]
    )
    add_name(wb, "MonthlyRate", CASH_FLOW, "B", r)
    base = rows.next
    keys = ("cost", "benefit", "net", "roi", "npv", "below", "payback", "irr", "mirr")
    lay.results = {k: base + i for i, k in enumerate(keys)}
    R = lay.results
    labels = {
        "cost": "Total cost",
        "benefit": "Total benefit",
        "net": "Net benefit",
        "roi": "ROI (net benefit / total cost)",
        "npv": "NPV",
        "below": "Last month ending below zero",
        "payback": "Payback (months)",
        "irr": "IRR (a year)",
        "mirr": "MIRR (a year; financed and reinvested at the discount rate)",
    }
    formats = {
        "roi": PERCENT,
        "below": NUMBER,
        "payback": MONTHS,
        "irr": PERCENT,
        "mirr": PERCENT,
    }

    def texts(src: tuple[int, ...], col: str, guess: float) -> dict[str, str]:
        cost, ben, net, cum, _discounted, helper = src
        cum_span = month_span(cum, n)
        k = f"{col}{R['below']}"

        def at(i: str) -> str:
            return f"INDEX({cum_span},1,{i})"

        return {
            "cost": f"SUM({month_span(cost, n)})",
            "benefit": f"SUM({month_span(ben, n)})",
            "net": f"{col}{R['benefit']}-{col}{R['cost']}",
            "roi": f'IF({col}{R["cost"]}=0,"{NOT_AVAILABLE}",{col}{R["net"]}/{col}{R["cost"]})',
            "npv": f"SUMPRODUCT({month_span(net, n)},{month_span(DISCOUNT_ROW, n)})",
            "below": f"MAX({month_span(helper, n)})",
            "payback": (
                f'IF({at(str(n))}<0,"{NO_PAYBACK}",IF({k}=0,0,'
                f"{k}-{at(k)}/({at(k + '+1')}-{at(k)})))"
            ),
            "irr": _irr(month_span(net, n), guess),
            "mirr": _mirr(month_span(net, n), month_span(DISCOUNT_ROW, n)),
        }

    b, c = texts(plain, "B", irr_guess[0]), texts(risky, "C", irr_guess[1])
    for key in keys:
        fmt = formats.get(key, money)
        bold = key in RESULT_NAMES
        rows.add(
            [
                cell(ws, labels[key]),
                formula(ws, b[key], formula_style(fmt, bold=bold)),
                formula(ws, c[key], formula_style(fmt)),
            ]
        )
        if key in RESULT_NAMES:
            add_name(wb, RESULT_NAMES[key], CASH_FLOW, "B", R[key])
