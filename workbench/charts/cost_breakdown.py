"""Cost breakdown: each cost line's amount per year of the horizon, stacked."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from matplotlib.figure import Figure

from workbench.charts.style import (
    LIGHT,
    SMALL_SIZE,
    TICK_SIZE,
    Palette,
    Target,
    axes_rect,
    canvas,
    empty_note,
    legend,
    money,
    money_axis,
    root,
    set_title,
    style_axes,
)


def yearly(costs: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """(lines, months) -> (lines, years): sums over runs of 12 months (the last may be short)."""
    lines, months = costs.shape
    years = max(1, -(-months // 12))
    padded = np.zeros((lines, years * 12))
    padded[:, :months] = costs
    return np.asarray(padded.reshape(lines, years, 12).sum(axis=2))


def cost_breakdown_figure(
    names: Sequence[str],
    costs: npt.NDArray[np.float64],
    *,
    currency: str = "USD",
    title: str = "Costs by year",
    palette: Palette = LIGHT,
    size: tuple[float, float] = (8.0, 4.5),
    dpi: float = 100.0,
    target: Target | None = None,
) -> Figure:
    """``costs`` is (lines, months), one row per name (the cash flow's cost matrix)."""
    p = palette
    fig, size = canvas(target, p, size, dpi)
    ax = fig.add_axes(axes_rect(size, right=min(3.4, size[0] * 0.45)))
    style_axes(ax, p)
    set_title(ax, p, title)
    data = np.asarray(costs, dtype=np.float64)
    if not len(names) or data.size == 0 or not np.any(data):
        empty_note(ax, p, "No cost lines" if not len(names) else "No costs yet")
        return root(fig)
    data = data.reshape(len(names), -1)
    per_year = yearly(data)
    x = np.arange(per_year.shape[1], dtype=np.float64)
    bottom = np.zeros(per_year.shape[1])
    order = np.argsort(-per_year.sum(axis=1), kind="stable")
    for rank, i in enumerate(order):
        bars = ax.bar(
            x,
            per_year[i],
            0.6,
            bottom=bottom,
            color=p.colour(rank),
            label=f"{names[i]} ({money(float(per_year[i].sum()), currency)})",
        )
        for year, rect in enumerate(bars):
            rect.set_gid(f"{names[i]}:{year + 1}")
        bottom += per_year[i]
    for xi, total in zip(x, bottom, strict=True):
        ax.text(
            xi,
            total,
            money(float(total), currency),
            ha="center",
            va="bottom",
            fontsize=SMALL_SIZE,
            color=p.foreground,
        )
    ax.set_xticks(x)
    ax.set_xticklabels(
        [f"Year {k + 1}" for k in range(len(x))], fontsize=TICK_SIZE, color=p.foreground
    )
    ax.set_ylim(0, float(bottom.max()) * 1.12 or 1.0)
    money_axis(ax, currency)
    legend(
        ax,
        p,
        loc="upper left",
        bbox_to_anchor=(1.02, 1.0),
        reverse=True,
        title=f"Total {money(float(bottom.sum()), currency)}",
        title_fontsize=SMALL_SIZE + 1,
    )
    return root(fig)
