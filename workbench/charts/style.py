"""One look for every chart: a palette (light and dark), fonts, and number formats.

Builders never touch matplotlib's global rcParams: each artist gets its colours and
sizes from a :class:`Palette`, so figures can be built on any thread and the UI can
switch between the light and the dark variant without side effects. The palettes
(:mod:`.palette`) and the number formats (:mod:`.formats`) live in modules of their
own that need no matplotlib; they are offered here too.
"""

from __future__ import annotations

import math
from typing import Any, Literal

from matplotlib.axes import Axes
from matplotlib.figure import Figure, SubFigure
from matplotlib.legend import Legend
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter

from workbench.charts.formats import currency_symbol as currency_symbol
from workbench.charts.formats import money as money
from workbench.charts.formats import percent as percent
from workbench.charts.palette import DARK as DARK
from workbench.charts.palette import LIGHT as LIGHT
from workbench.charts.palette import Palette as Palette
from workbench.charts.palette import palette as palette

FONT_FAMILY = "DejaVu Sans"  # ships with matplotlib: the same glyphs on every machine
TITLE_SIZE = 11.0
LABEL_SIZE = 9.0
TICK_SIZE = 8.0
SMALL_SIZE = 7.0

Target = Figure | SubFigure  # where a builder may draw
GridAxis = Literal["x", "y", "both"]


def new_figure(p: Palette, size: tuple[float, float] = (8.0, 4.5), dpi: float = 100.0) -> Figure:
    """An empty figure in the palette's background colour (no pyplot involved)."""
    return Figure(figsize=size, dpi=dpi, facecolor=p.background)


def style_axes(ax: Axes, p: Palette, *, grid_axis: GridAxis | None = "y") -> None:
    """Colours, spines, tick sizes and a light grid on one axis direction."""
    ax.set_facecolor(p.panel)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(p.grid)
    ax.tick_params(colors=p.muted, labelsize=TICK_SIZE, length=3)
    if grid_axis is not None:
        ax.grid(True, axis=grid_axis, color=p.grid, linewidth=0.6)
    ax.set_axisbelow(True)
    ax.xaxis.label.set_color(p.foreground)
    ax.yaxis.label.set_color(p.foreground)
    ax.xaxis.label.set_fontsize(LABEL_SIZE)
    ax.yaxis.label.set_fontsize(LABEL_SIZE)
    for text in (ax.xaxis.label, ax.yaxis.label, ax.title):
        text.set_fontfamily(FONT_FAMILY)


def set_title(ax: Axes, p: Palette, title: str, above: float | None = None) -> Text:
    """The chart's title over ``ax``, left-aligned: just above it, or ``above`` inches up
    (room for a legend or a note between the title and the plot)."""
    # A fixed title position spares matplotlib a layout pass on every draw.
    y = 1.02
    if above is not None:
        page = ax.get_figure(root=True)
        dpi = page.dpi if page is not None else 100.0
        y = 1.0 + above * dpi / max(ax.bbox.height, 1e-9)
    return ax.set_title(
        title, loc="left", color=p.foreground, fontsize=TITLE_SIZE, fontweight="bold", y=y
    )


def empty_note(ax: Axes, p: Palette, text: str) -> None:
    """A centred note for a chart without data (the axes stay, blank)."""
    ax.text(
        0.5,
        0.5,
        text,
        transform=ax.transAxes,
        ha="center",
        va="center",
        color=p.muted,
        fontsize=LABEL_SIZE,
    )
    ax.set_xticks([])
    ax.set_yticks([])


def money_axis(ax: Axes, currency: str, axis: str = "y") -> None:
    """Tick labels as compact money."""
    fmt = FuncFormatter(lambda v, _pos: money(v, currency, 1))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def month_axis(ax: Axes, labels: list[str], p: Palette, max_ticks: int = 12) -> None:
    """An x axis in months: x = k is the start of month k + 1, labelled with its label;
    at most ``max_ticks`` labels, fewer when the axes is too narrow for them side by side.

    Months run from x = 0 to x = len(labels); a month's cash at its end sits at x = m.
    """
    n = len(labels)
    ax.set_xlim(0, max(n, 1))
    if n == 0:
        return
    longest = max(len(t) for t in labels)
    page = ax.get_figure(root=True)
    room = ax.bbox.width / (page.dpi if page is not None else 100.0)
    fits = max(2, int(room / (text_inches(longest, TICK_SIZE) + 0.25)))
    step = max(1, math.ceil(n / min(max_ticks, fits)))
    for candidate in (1, 2, 3, 6, 12, 24):
        if candidate >= step:
            step = candidate
            break
    ticks = list(range(0, n, step))
    ax.set_xticks(ticks)
    ax.set_xticklabels([labels[k] for k in ticks], rotation=0, fontsize=TICK_SIZE, color=p.muted)


def text_inches(chars: int, size: float) -> float:
    """The rough width of ``chars`` characters of text at ``size`` points, in inches."""
    return chars * size * 0.6 / 72


def canvas(
    target: Target | None, p: Palette, size: tuple[float, float], dpi: float
) -> tuple[Target, tuple[float, float]]:
    """Where a builder draws: a new figure of ``size``, or ``target`` (a figure or a
    subfigure of a report page) with its own size in inches."""
    if target is None:
        return new_figure(p, size, dpi), size
    target.set_facecolor(p.background)
    page = root(target)
    return target, (target.bbox.width / page.dpi, target.bbox.height / page.dpi)


def root(target: Target) -> Figure:
    """The figure a (sub)figure belongs to."""
    page = target.get_figure(root=True)
    assert isinstance(page, Figure)
    return page


def axes_rect(
    size: tuple[float, float],
    left: float = 0.85,
    bottom: float = 0.45,
    right: float = 0.2,
    top: float = 0.5,
) -> tuple[float, float, float, float]:
    """An axes rectangle in figure fractions from margins in inches (room for the title
    above, tick labels left and below), so a chart looks the same at any size."""
    w, h = size
    x0, y0 = min(left / w, 0.45), min(bottom / h, 0.45)
    x1, y1 = max(1.0 - right / w, x0 + 0.1), max(1.0 - top / h, y0 + 0.1)
    return (x0, y0, x1 - x0, y1 - y0)


def legend(ax: Axes, p: Palette, **options: Any) -> Legend:
    """A frameless small legend in the palette's text colour."""
    box = ax.legend(fontsize=SMALL_SIZE, frameon=False, **options)
    for text in box.get_texts():
        text.set_color(p.foreground)
    title = box.get_title()
    title.set_color(p.foreground)
    return box
