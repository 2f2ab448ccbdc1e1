"""Native Excel charts over the Cash flow sheet: they redraw when an assumption changes."""

from __future__ import annotations

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.axis import ChartLines
from openpyxl.chart.series import SeriesLabel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from workbench.io.excel.cashflow_grid import LABEL_ROW, CashFlowLayout
from workbench.io.excel.refs import FIRST_MONTH_COLUMN

WIDTH_CM = 19.0
HEIGHT_CM = 8.0


def _frame(chart: LineChart | BarChart, title: str, money: str) -> None:
    """Title, money on the value axis with gridlines, both axes shown, the standard size."""
    chart.title = title
    chart.y_axis.number_format = money
    chart.y_axis.majorGridlines = ChartLines()
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.width = WIDTH_CM
    chart.height = HEIGHT_CM
    if chart.legend is not None:
        chart.legend.position = "b"


def _months(sheet: WriteOnlyWorksheet, row: int, count: int) -> Reference:
    """The first ``count`` cells of a month grid's ``row``."""
    return Reference(
        sheet, min_col=FIRST_MONTH_COLUMN, max_col=FIRST_MONTH_COLUMN + count - 1, min_row=row
    )


def _row_series(
    chart: LineChart | BarChart, sheet: WriteOnlyWorksheet, row: int, count: int, title: str
) -> None:
    chart.add_data(_months(sheet, row, count), from_rows=True, titles_from_data=False)
    chart.series[-1].tx = SeriesLabel(v=title)


def cumulative_chart(cash: WriteOnlyWorksheet, lay: CashFlowLayout, money: str) -> LineChart:
    """Cumulative net cash flow by month; payback is where the line crosses zero."""
    chart = LineChart()
    _frame(chart, "Cumulative net cash flow", money)
    chart.y_axis.title = "Cumulative net"
    chart.x_axis.title = "Month"
    _row_series(chart, cash, lay.cumulative_row, lay.months, "As planned")
    _row_series(chart, cash, lay.risk_adjusted_cumulative_row, lay.months, "Risk-adjusted")
    chart.set_categories(_months(cash, LABEL_ROW, lay.months))
    for s in chart.series:
        s.smooth = False
        s.marker.symbol = "none"
    chart.x_axis.tickLblPos = "low"  # month labels below the plot, not on the zero line
    return chart


def cost_breakdown_chart(cash: WriteOnlyWorksheet, lay: CashFlowLayout, money: str) -> BarChart:
    """Each cost line's total over the horizon."""
    chart = BarChart()
    chart.type = "bar"
    chart.legend = None
    _frame(chart, "Cost breakdown over the horizon", money)
    first, last = lay.cost_rows[0], lay.cost_rows[-1]
    chart.add_data(Reference(cash, min_col=2, min_row=first, max_row=last), titles_from_data=False)
    chart.series[-1].tx = SeriesLabel(v="Total cost")
    chart.set_categories(Reference(cash, min_col=1, min_row=first, max_row=last))
    return chart


def yearly_chart(cash: WriteOnlyWorksheet, lay: CashFlowLayout, money: str) -> BarChart:
    """Costs against benefits, year by year."""
    chart = BarChart()
    chart.type = "col"
    _frame(chart, "Costs and benefits by year", money)
    _row_series(chart, cash, lay.year_cost_row, lay.years, "Costs")
    _row_series(chart, cash, lay.year_benefit_row, lay.years, "Benefits")
    chart.set_categories(_months(cash, lay.year_header_row, lay.years))
    return chart
