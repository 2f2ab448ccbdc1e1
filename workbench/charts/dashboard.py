"""The economics dashboard's charts drawn from their data (:mod:`.chart_data`): the
figure of each, and its pixels, the same in the window and in a worker process."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from matplotlib.backends.backend_agg import FigureCanvasAgg  # isort: skip
from matplotlib.figure import Figure

from workbench.charts.cashflow import cashflow_figure
from workbench.charts.chart_data import ChartData, ChartPixels, ChartRequest
from workbench.charts.cost_breakdown import cost_breakdown_figure
from workbench.charts.montecarlo import montecarlo_figure
from workbench.charts.overhead import overhead_series_figure, sidecar_vs_ambient_figure
from workbench.charts.palette import Palette
from workbench.charts.style import empty_note, new_figure, set_title, style_axes
from workbench.charts.tornado import tornado_figure


def placeholder(
    title: str, text: str, *, palette: Palette, size: tuple[float, float], dpi: float
) -> Figure:
    """A titled, empty chart with a note (when there is nothing to draw, or it cannot be)."""
    fig = new_figure(palette, size, dpi)
    ax = fig.add_axes((0.08, 0.1, 0.86, 0.76))
    style_axes(ax, palette, grid_axis=None)
    set_title(ax, palette, title)
    empty_note(ax, palette, text)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    return fig


# ChartData.figure -> the builder, called with the data's arguments and options and the
# palette, size and dpi as keywords.
FIGURES: dict[str, Callable[..., Figure]] = {
    "note": placeholder,
    "cashflow": cashflow_figure,
    "cost_breakdown": cost_breakdown_figure,
    "tornado": tornado_figure,
    "overhead": overhead_series_figure,
    "sidecar_vs_ambient": sidecar_vs_ambient_figure,
    "montecarlo": montecarlo_figure,
}


def figure(
    data: ChartData,
    title: str,
    palette: Palette,
    size: tuple[float, float],
    dpi: float,
    previous: Figure | None = None,
) -> Figure:
    """The figure of ``data``, or a note saying why it cannot be drawn (a chart must
    never take the view down). It gets an Agg canvas, for :func:`pixels`: the canvas of
    the ``previous`` figure of the chart, which it replaces. The canvas keeps its renderer
    while the size stays, and with it matplotlib's measures of the texts drawn before
    (the tick labels, legends and titles a new figure of the chart mostly repeats)."""
    builder = FIGURES.get(data.figure)
    options: dict[str, Any] = {**data.options, "palette": palette, "size": size, "dpi": dpi}
    try:
        if builder is None:
            raise ValueError(f"there is no chart named {data.figure!r}")
        fig = builder(*data.args, **options)
    except (ValueError, ArithmeticError) as exc:
        fig = placeholder(
            title, f"Cannot draw this chart: {exc}", palette=palette, size=size, dpi=dpi
        )
    canvas = previous.canvas if previous is not None else None
    if isinstance(canvas, FigureCanvasAgg):
        canvas.figure = fig
        fig.set_canvas(canvas)
    else:
        FigureCanvasAgg(fig)
    return fig


def pixels(fig: Figure, pixel_ratio: float) -> ChartPixels:
    """``fig`` rendered for a screen of ``pixel_ratio`` device pixels per logical pixel
    (sharp on a high-density display; the layout, in inches, stays the same)."""
    logical_dpi = fig.dpi
    if pixel_ratio != 1.0:
        fig.set_dpi(logical_dpi * pixel_ratio)
    try:
        canvas = fig.canvas
        assert isinstance(canvas, FigureCanvasAgg)
        canvas.draw()  # type: ignore[no-untyped-call]
        rgba = np.asarray(canvas.buffer_rgba())  # type: ignore[no-untyped-call]
        height, width = rgba.shape[:2]
        # A copy: the renderer reuses its buffer for the next draw.
        drawn = ChartPixels(width, height, rgba.tobytes(), pixel_ratio)
    finally:
        if pixel_ratio != 1.0:
            fig.set_dpi(logical_dpi)
    return drawn


# The last figure drawn of each chart: its canvas (and text measures) serve the next.
_previous: dict[str, Figure] = {}


def draw(request: ChartRequest) -> ChartPixels:
    """A chart drawn start to end, as a worker process does it."""
    fig = figure(
        request.data,
        request.title,
        request.palette,
        request.size,
        request.dpi,
        _previous.get(request.key),
    )
    _previous[request.key] = fig
    return pixels(fig, request.pixel_ratio)
