"""The cumulative cash-flow chart: lines follow the cash flow, payback sits where computed."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.lines import Line2D

from tests.charts.support import by_gid, ink_share, render, texts
from workbench.charts.cashflow import cashflow_figure
from workbench.charts.style import DARK
from workbench.domain.economics.metrics import payback
from workbench.ops.economics import EconomicsReport


def _figure(report: EconomicsReport, **kw: object):  # type: ignore[no-untyped-def]
    flow = report.evaluation.cash_flow
    return cashflow_figure(
        report.month_labels,
        flow.cost_total,
        flow.benefit_total,
        report.metrics.payback_months,
        **kw,  # type: ignore[arg-type]
    )


def test_payback_marker_sits_at_the_computed_payback_month(ramp_report: EconomicsReport) -> None:
    months = ramp_report.metrics.payback_months
    assert months is not None and 15.0 < months < 17.0  # the seed case: about 16 months
    fig = _figure(ramp_report)
    (marker,) = by_gid(fig, "payback")
    assert isinstance(marker, Line2D)
    assert marker.get_xdata()[0] == pytest.approx(months)
    assert marker.get_ydata()[0] == 0.0
    assert any(f"month {months:.1f}" in t for t in texts(fig))


def test_net_line_is_the_cumulative_net_and_crosses_zero_at_payback(
    ramp_report: EconomicsReport,
) -> None:
    flow = ramp_report.evaluation.cash_flow
    fig = _figure(ramp_report)
    (line,) = by_gid(fig, "cumulative-net")
    assert isinstance(line, Line2D)
    x = np.asarray(line.get_xdata(), dtype=float)
    y = np.asarray(line.get_ydata(), dtype=float)
    assert len(x) == len(ramp_report.month_labels) + 1 and y[0] == 0.0
    np.testing.assert_allclose(y[1:], flow.cumulative_net)
    months = ramp_report.metrics.payback_months
    assert months is not None
    assert abs(float(np.interp(months, x, y))) < 1e-6 * float(np.abs(y).max())


def test_no_payback_within_the_horizon_says_so_and_draws_no_marker() -> None:
    costs = np.full(12, 100.0)
    benefits = np.full(12, 50.0)
    assert payback(benefits - costs) is None
    fig = cashflow_figure([f"M{i}" for i in range(1, 13)], costs, benefits, None)
    assert not by_gid(fig, "payback")
    assert any("No payback within 12 months" in t for t in texts(fig))


def test_chart_is_not_blank_and_takes_the_dark_palette(ramp_report: EconomicsReport) -> None:
    light = render(_figure(ramp_report))
    assert ink_share(light) > 0.03
    dark_fig = _figure(ramp_report, palette=DARK)
    assert dark_fig.get_facecolor()[:3] != (1.0, 1.0, 1.0)
    pixels = render(dark_fig)
    corner = tuple(int(v) for v in pixels[2, 2])
    assert sum(corner) < 200  # a dark background
    assert ink_share(pixels, corner) > 0.03  # type: ignore[arg-type]
