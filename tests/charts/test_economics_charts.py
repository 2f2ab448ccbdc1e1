"""Overhead, sidecar vs ambient, tornado, Monte Carlo, coverage and cost breakdown charts."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle, StepPatch

from tests.charts.support import by_gid, by_gid_prefix, ink_share, render, texts
from workbench.charts.chart_data import wave_series
from workbench.charts.cost_breakdown import cost_breakdown_figure, yearly
from workbench.charts.coverage import coverage_figure
from workbench.charts.montecarlo import montecarlo_figure
from workbench.charts.overhead import overhead_by_wave_figure, sidecar_vs_ambient_figure
from workbench.charts.tornado import tornado_figure
from workbench.domain.economics.pricing import monthly_cost
from workbench.ops.economics import EconomicsReport


def test_wave_series_add_up_to_the_priced_overhead(ramp_report: EconomicsReport) -> None:
    basis = ramp_report.basis
    series = wave_series(basis)
    assert series[0][0] == "Control plane"
    assert len(series) == len(basis.plan.schedule.waves) + 1  # no traffic: no shared band
    total = sum(s for _, s in series)
    np.testing.assert_allclose(total, basis.timeline.monthly_total(), rtol=1e-9, atol=1e-6)
    # each wave's band is zero before its end month and its full step after
    wave = basis.plan.schedule.waves[0]
    step = basis.timeline.waves[0].cpu_m
    band = dict(series)[f"{wave.id} ({basis.timeline.waves[0].mode})"][0]
    assert band[0] == 0.0 and band[-1] == pytest.approx(step)


@pytest.mark.parametrize("unit", ["cpu", "memory", "cost"])
def test_overhead_per_wave_stacks_one_band_per_wave(
    ramp_report: EconomicsReport, unit: str
) -> None:
    basis = ramp_report.basis
    fig = overhead_by_wave_figure(basis, unit=unit)
    bands = by_gid_prefix(fig, "band:")
    assert len(bands) == len(basis.plan.schedule.waves) + 1
    total = basis.timeline.monthly_total()
    expected = {
        "cpu": total[0] / 1000.0,
        "memory": total[1] / 2**30,
        "cost": monthly_cost(total[0], total[1], ramp_report.assumptions.prices),
    }[unit]
    ax = fig.axes[0]
    assert ax.get_ylim()[1] >= expected.max() * 0.999
    assert any(t.startswith("Peak ") for t in texts(fig))


def test_overhead_unit_must_be_known(ramp_report: EconomicsReport) -> None:
    with pytest.raises(ValueError, match="unknown unit"):
        overhead_by_wave_figure(ramp_report.basis, unit="watts")


def test_sidecar_vs_ambient_bars_are_the_steady_overheads(ramp_report: EconomicsReport) -> None:
    by_mode = {"As planned": ramp_report.overhead}
    by_mode.update({f"All {m}": s for m, s in ramp_report.overhead_by_mode.items()})
    fig = sidecar_vs_ambient_figure(by_mode)
    amb = ramp_report.overhead_by_mode["ambient"]
    (bar,) = by_gid(fig, "cpu_m:All ambient:ambient")
    assert isinstance(bar, Rectangle)
    assert bar.get_height() == pytest.approx(amb.ambient_cpu_m / 1000.0)
    (side,) = by_gid(fig, "memory_bytes:All sidecar:sidecar")
    assert isinstance(side, Rectangle)
    sc = ramp_report.overhead_by_mode["sidecar"]
    assert side.get_height() == pytest.approx(sc.sidecar_memory_bytes / 2**30)
    assert sc.cpu_m > amb.cpu_m  # ambient is the lighter data plane here
    assert any("a month" in t for t in texts(fig))


def test_tornado_bars_run_from_the_base_npv_to_each_side(ramp_report: EconomicsReport) -> None:
    bars = ramp_report.tornado
    base = ramp_report.metrics.npv
    fig = tornado_figure(bars, base, top=5)
    assert len(by_gid_prefix(fig, "low:")) == 5 and len(by_gid_prefix(fig, "high:")) == 5
    biggest = max(bars, key=lambda b: b.swing)
    (low,) = by_gid(fig, f"low:{biggest.label}")
    (high,) = by_gid(fig, f"high:{biggest.label}")
    assert isinstance(low, Rectangle) and isinstance(high, Rectangle)
    assert low.get_x() == pytest.approx(base)
    assert low.get_x() + low.get_width() == pytest.approx(biggest.npv_low)
    assert high.get_x() + high.get_width() == pytest.approx(biggest.npv_high)
    assert low.get_y() < 0.5  # the largest swing is the top row


def test_tornado_without_inputs_says_so() -> None:
    assert "No inputs to vary" in texts(tornado_figure([], 0.0))


def test_montecarlo_ranges_and_histogram(ramp_report: EconomicsReport) -> None:
    mc = ramp_report.monte_carlo
    assert mc is not None
    fig = montecarlo_figure(mc)
    (band,) = by_gid(fig, "npv:p10-p90")
    assert isinstance(band, Rectangle)
    assert band.get_x() == pytest.approx(mc.npv_p10)
    assert band.get_x() + band.get_width() == pytest.approx(mc.npv_p90)
    (median,) = by_gid(fig, "npv:p50")
    assert isinstance(median, Line2D) and median.get_xdata()[0] == pytest.approx(mc.npv_p50)
    assert by_gid(fig, "payback:p10-p90")
    draws = np.random.default_rng(1).normal(mc.npv_p50, 1e6, 2000)
    hist = montecarlo_figure(mc, draws)
    bars = [b for b in by_gid(hist, "draws") if isinstance(b, Rectangle)]
    assert sum(b.get_height() for b in bars) == 2000
    (p50,) = by_gid(hist, "P50")
    assert isinstance(p50, Line2D) and p50.get_xdata()[0] == pytest.approx(mc.npv_p50)


def test_montecarlo_payback_beyond_the_horizon(ramp_report: EconomicsReport) -> None:
    mc = ramp_report.monte_carlo
    assert mc is not None
    late = replace(mc, payback_p90=None, payback_p50=None)
    fig = montecarlo_figure(late)
    assert not by_gid(fig, "payback:p10-p90")
    assert any("beyond the horizon at P50, P90" in t for t in texts(fig))


def test_coverage_steps_follow_the_shares(ramp_report: EconomicsReport) -> None:
    cov = ramp_report.basis.coverage
    fig = coverage_figure(ramp_report.month_labels, cov.workloads, cov.pods)
    (line,) = by_gid(fig, "coverage-workloads")
    assert isinstance(line, StepPatch)
    np.testing.assert_allclose(line.get_data().values, cov.workloads)
    (pods,) = by_gid(fig, "coverage-pods")
    assert isinstance(pods, StepPatch)
    np.testing.assert_allclose(pods.get_data().values, cov.pods)
    assert "No months in the horizon" in texts(coverage_figure([], []))


def test_cost_breakdown_stacks_lines_per_year(ramp_report: EconomicsReport) -> None:
    flow = ramp_report.evaluation.cash_flow
    names = ramp_report.evaluation.inputs.cost_names
    per_year = yearly(flow.costs)
    assert per_year.shape == (len(names), 3)
    assert per_year.sum() == pytest.approx(ramp_report.metrics.total_cost)
    fig = cost_breakdown_figure(names, flow.costs)
    (first,) = by_gid(fig, f"{names[0]}:1")
    assert isinstance(first, Rectangle)
    assert first.get_height() == pytest.approx(per_year[0, 0])
    assert any(t.startswith("Total $7.05M") for t in texts(fig))
    assert yearly(np.ones((1, 14))).tolist() == [[12.0, 2.0]]


def test_every_economics_chart_draws_ink(ramp_report: EconomicsReport) -> None:
    mc = ramp_report.monte_carlo
    assert mc is not None
    for fig in (
        overhead_by_wave_figure(ramp_report.basis),
        tornado_figure(ramp_report.tornado, ramp_report.metrics.npv),
        montecarlo_figure(mc),
    ):
        assert ink_share(render(fig)) > 0.02
