"""Cumulative cash flow with the payback point.

The x axis is in months: x = m is the end of month m, where that month's cash lands
(see :mod:`workbench.domain.economics.metrics`). The cumulative net runs from 0 at
x = 0 and is linear within a month, so the payback month, interpolated the same way,
sits exactly where the line crosses zero for the last time.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from workbench.charts.style import (
    LABEL_SIZE,
    LIGHT,
    SMALL_SIZE,
    Palette,
    Target,
    axes_rect,
    canvas,
    legend,
    money,
    money_axis,
    month_axis,
    root,
    set_title,
    style_axes,
    text_inches,
)
from workbench.domain.economics.metrics import months_text

ArrayLike = Sequence[float] | npt.NDArray[np.float64]


def _from_zero(monthly: ArrayLike) -> npt.NDArray[np.float64]:
    return np.concatenate([[0.0], np.cumsum(np.asarray(monthly, dtype=np.float64))])


def _clear_spot(
    ax: Axes,
    x: npt.NDArray[np.float64],
    lines: Sequence[ArrayLike],
    marker_x: float,
    size: tuple[float, float],
) -> tuple[float, float]:
    """Where (axes fractions, the text's lower right corner) the payback label crosses no
    line: the first clear spot of the right-hand half, lowest first (the legend holds the
    upper left) and off the payback marker's line; the lower right corner when none is clear."""
    x_lo, x_hi = ax.get_xlim()
    y_lo, y_hi = ax.get_ylim()
    width = ax.get_position().width * size[0]
    height = ax.get_position().height * size[1]
    box_w = text_inches(22, LABEL_SIZE) / max(width, 1e-9)
    box_h = 0.22 / max(height, 1e-9)
    fine = np.linspace(x_lo, x_hi, 400)
    fx = (fine - x_lo) / (x_hi - x_lo)
    curves = [(np.interp(fine, x, np.asarray(y)) - y_lo) / (y_hi - y_lo) for y in lines]
    zero = (0.0 - y_lo) / (y_hi - y_lo)
    for bottom in np.arange(0.03, 0.9, 0.04):
        for right in (0.98, 0.8):
            if right - box_w <= (marker_x - x_lo) / (x_hi - x_lo) <= right:
                continue
            inside = (fx >= right - box_w) & (fx <= right)
            spans = [bottom - 0.02, bottom + box_h]
            if spans[0] <= zero <= spans[1]:
                continue
            if not any(((c[inside] >= spans[0]) & (c[inside] <= spans[1])).any() for c in curves):
                return right, float(bottom)
    return 0.98, 0.03


def cashflow_figure(
    labels: Sequence[str],
    costs: ArrayLike,
    benefits: ArrayLike,
    payback_months: float | None,
    *,
    currency: str = "USD",
    title: str = "Cumulative cash flow",
    palette: Palette = LIGHT,
    size: tuple[float, float] = (8.0, 4.5),
    dpi: float = 100.0,
    target: Target | None = None,
) -> Figure:
    """Cumulative cost, benefit and net by month, the payback point marked on the net line.

    ``costs`` and ``benefits`` are the monthly totals (positive amounts), one per label.
    """
    p = palette
    cost = _from_zero(costs)
    benefit = _from_zero(benefits)
    net = benefit - cost
    x = np.arange(len(net), dtype=np.float64)
    fig, size = canvas(target, p, size, dpi)
    ax = fig.add_axes(axes_rect(size))
    style_axes(ax, p)
    set_title(ax, p, title)
    ax.axhline(0.0, color=p.muted, linewidth=0.8, zorder=1)
    ax.plot(x, benefit, color=p.positive, linewidth=1.2, linestyle="--", label="Cumulative benefit")
    ax.plot(x, cost, color=p.negative, linewidth=1.2, linestyle="--", label="Cumulative cost")
    (line,) = ax.plot(x, net, color=p.sidecar, linewidth=2.2, label="Cumulative net", zorder=3)
    line.set_gid("cumulative-net")
    ax.fill_between(x, net, 0.0, where=net >= 0, color=p.positive, alpha=0.12, interpolate=True)
    ax.fill_between(x, net, 0.0, where=net < 0, color=p.negative, alpha=0.12, interpolate=True)
    month_axis(ax, list(labels), p, max_ticks=8)
    money_axis(ax, currency)
    if payback_months is not None:
        (marker,) = ax.plot(
            [payback_months],
            [0.0],
            marker="o",
            markersize=9,
            color=p.accent,
            markeredgecolor=p.background,
            markeredgewidth=1.5,
            linestyle="none",
            zorder=5,
        )
        marker.set_gid("payback")
        ax.axvline(payback_months, color=p.accent, linewidth=0.8, linestyle=":", zorder=2)
        x_at, y_at = _clear_spot(ax, x, (benefit, cost, net), payback_months, size)
        ax.text(
            x_at,
            y_at,
            f"Payback at month {payback_months:.1f}"
            if payback_months > 0
            else "Pays back from the start",
            transform=ax.transAxes,
            ha="right",
            va="bottom",
            color=p.accent,
            fontsize=LABEL_SIZE,
            fontweight="bold",
        ).set_gid("payback-label")
    else:
        ax.text(
            0.99,
            0.04,
            f"No payback within {months_text(len(labels))}",
            transform=ax.transAxes,
            ha="right",
            color=p.negative,
            fontsize=LABEL_SIZE,
            fontweight="bold",
        ).set_gid("payback-label")
    end = float(net[-1])
    ax.annotate(
        f"Net {money(end, currency)}",
        xy=(float(x[-1]), end),
        xytext=(-4, 8 if end >= 0 else -14),
        textcoords="offset points",
        ha="right",
        color=p.foreground,
        fontsize=SMALL_SIZE,
    )
    legend(ax, p, loc="upper left")
    return root(fig)
