"""The dashboard's figures: what each chart draws for an economics report, and how a
figure becomes a picture for the screen.

This is the part of the dashboard that needs matplotlib; the panel
(:mod:`.charts_panel`) loads it in steps, one module per event-loop turn
(:mod:`.chart_imports`), so showing the dashboard never waits for all of it at once.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtGui import QImage

from matplotlib.backends.backend_agg import FigureCanvasAgg  # isort: skip
from matplotlib.figure import Figure

from workbench.charts.cashflow import cashflow_figure
from workbench.charts.cost_breakdown import cost_breakdown_figure
from workbench.charts.montecarlo import montecarlo_figure
from workbench.charts.overhead import overhead_by_wave_figure, sidecar_vs_ambient_figure
from workbench.charts.style import empty_note, new_figure, set_title, style_axes
from workbench.charts.tornado import tornado_figure
from workbench.domain.economics.montecarlo import MonteCarloResult
from workbench.ops.economics import EconomicsReport
from workbench.ui.theme import chart_palette

Builder = Callable[[tuple[float, float], float], Figure]


def placeholder(title: str, note: str, size: tuple[float, float], dpi: float) -> Figure:
    """A titled, empty chart with a note (when there is nothing to draw, or it cannot be)."""
    p = chart_palette()
    fig = new_figure(p, size, dpi)
    ax = fig.add_axes((0.08, 0.1, 0.86, 0.76))
    style_axes(ax, p, grid_axis=None)
    set_title(ax, p, title)
    empty_note(ax, p, note)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    return fig


def report_builders(report: EconomicsReport) -> dict[str, Builder]:
    """The builder of each chart that shows ``report`` (all but the Monte Carlo one)."""
    flow = report.evaluation.cash_flow
    cur = report.currency
    m = report.metrics
    names = list(report.evaluation.inputs.cost_names)
    by_mode = {
        "As planned": report.overhead,
        "All sidecar": report.overhead_by_mode["sidecar"],
        "All ambient": report.overhead_by_mode["ambient"],
    }
    step = report.assumptions.sensitivity_step
    return {
        "cashflow": lambda size, dpi: cashflow_figure(
            report.month_labels,
            flow.cost_total,
            flow.benefit_total,
            m.payback_months,
            currency=cur,
            palette=chart_palette(),
            size=size,
            dpi=dpi,
        ),
        "cost_breakdown": lambda size, dpi: cost_breakdown_figure(
            names, flow.costs, currency=cur, palette=chart_palette(), size=size, dpi=dpi
        ),
        "tornado": lambda size, dpi: tornado_figure(
            report.tornado,
            m.npv,
            step=step,
            top=8,
            currency=cur,
            palette=chart_palette(),
            size=size,
            dpi=dpi,
        ),
        "overhead": lambda size, dpi: overhead_by_wave_figure(
            report.basis,
            unit="cost",
            currency=cur,
            title="Overhead per wave, a month",
            palette=chart_palette(),
            size=size,
            dpi=dpi,
        ),
        "sidecar_vs_ambient": lambda size, dpi: sidecar_vs_ambient_figure(
            by_mode,
            currency=cur,
            title="Sidecar vs ambient",
            palette=chart_palette(),
            size=size,
            dpi=dpi,
        ),
    }


def report_figure(
    key: str, report: EconomicsReport, size: tuple[float, float], dpi: float
) -> Figure:
    """Chart ``key`` of ``report`` (see :func:`report_builders`)."""
    return report_builders(report)[key](size, dpi)


def monte_carlo_figure(
    result: MonteCarloResult, currency: str, size: tuple[float, float], dpi: float
) -> Figure:
    return montecarlo_figure(
        result,
        result.npv_draws,
        currency=currency,
        title="Monte Carlo: NPV of the draws",
        palette=chart_palette(),
        size=size,
        dpi=dpi,
    )


def build(
    builder: Builder,
    title: str,
    size: tuple[float, float],
    dpi: float,
    previous: Figure | None = None,
) -> Figure:
    """The figure of ``builder``, or a note saying why it cannot be drawn (a chart must
    never take the view down). It gets an Agg canvas, for :func:`picture`: the canvas of
    the ``previous`` figure of the chart, which it replaces. The canvas keeps its renderer
    while the size stays, and with it matplotlib's measures of the texts drawn before
    (the tick labels, legends and titles a new figure of the chart mostly repeats)."""
    try:
        fig = builder(size, dpi)
    except (ValueError, ArithmeticError) as exc:
        fig = placeholder(title, f"Cannot draw this chart: {exc}", size, dpi)
    canvas = previous.canvas if previous is not None else None
    if isinstance(canvas, FigureCanvasAgg):
        canvas.figure = fig
        fig.set_canvas(canvas)
    else:
        FigureCanvasAgg(fig)
    return fig


def picture(fig: Figure, pixel_ratio: float) -> QImage:
    """``fig`` rendered for a screen of ``pixel_ratio`` device pixels per logical pixel
    (sharp on a high-density display; the layout, in inches, stays the same)."""
    logical_dpi = fig.dpi
    if pixel_ratio != 1.0:
        fig.set_dpi(logical_dpi * pixel_ratio)
    try:
        canvas = fig.canvas
        assert isinstance(canvas, FigureCanvasAgg)
        canvas.draw()  # type: ignore[no-untyped-call]
        pixels = np.asarray(canvas.buffer_rgba())  # type: ignore[no-untyped-call]
        height, width = pixels.shape[:2]
        # The image gets its own pixels, copied in (the renderer's are reused by the next
        # draw; an image over a Python buffer leaves its lifetime to Qt).
        image = QImage(width, height, QImage.Format.Format_RGBA8888)
        rows = np.frombuffer(image.bits(), np.uint8).reshape(height, image.bytesPerLine())
        rows[:, : 4 * width] = pixels.reshape(height, 4 * width)
    finally:
        if pixel_ratio != 1.0:
            fig.set_dpi(logical_dpi)
    image.setDevicePixelRatio(pixel_ratio)
    return image
