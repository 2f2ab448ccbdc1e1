"""The economics dashboard's charts of a report as plain data, and the job that draws
one in a worker process (:func:`render_chart`), so the window never runs matplotlib."""

from __future__ import annotations

from workbench.charts.chart_data import ChartData, ChartPixels, ChartRequest, grouped_wave_series
from workbench.domain.economics.montecarlo import MonteCarloResult
from workbench.ops.economics import EconomicsReport

RENDER_CHART = "workbench.ops.dashboard_charts:render_chart"
WARM_CHARTS = "workbench.ops.dashboard_charts:warm"


def chart_data(report: EconomicsReport) -> dict[str, ChartData]:
    """What each chart of ``report`` draws (all but the Monte Carlo one)."""
    flow = report.evaluation.cash_flow
    cur = report.currency
    m = report.metrics
    basis = report.basis
    by_mode = {
        "As planned": report.overhead,
        "All sidecar": report.overhead_by_mode["sidecar"],
        "All ambient": report.overhead_by_mode["ambient"],
    }
    return {
        "cashflow": ChartData(
            "cashflow",
            (report.month_labels, flow.cost_total, flow.benefit_total, m.payback_months),
            {"currency": cur},
        ),
        "cost_breakdown": ChartData(
            "cost_breakdown",
            (list(report.evaluation.inputs.cost_names), flow.costs),
            {"currency": cur},
        ),
        "tornado": ChartData(
            "tornado",
            (report.tornado, m.npv),
            {"step": report.assumptions.sensitivity_step, "top": 8, "currency": cur},
        ),
        "overhead": ChartData(
            "overhead",
            (basis.grid.labels(), grouped_wave_series(basis), basis.assumptions.prices),
            {"unit": "cost", "currency": cur, "title": "Overhead per wave, a month"},
        ),
        "sidecar_vs_ambient": ChartData(
            "sidecar_vs_ambient", (by_mode,), {"currency": cur, "title": "Sidecar vs ambient"}
        ),
    }


def monte_carlo_data(result: MonteCarloResult, currency: str) -> ChartData:
    """The Monte Carlo chart of ``result``: the NPV of its draws."""
    return ChartData(
        "montecarlo",
        (result, result.npv_draws),
        {"currency": currency, "title": "Monte Carlo: NPV of the draws"},
    )


def render_chart(request: ChartRequest) -> ChartPixels:
    """``request``'s chart drawn to pixels (the worker process's job)."""
    from workbench.charts.dashboard import draw  # the plotting library: here, not in the window

    return draw(request)


def warm() -> None:
    """Load the plotting library and the chart builders (a worker started ahead of need)."""
    import workbench.charts.dashboard  # noqa: F401
