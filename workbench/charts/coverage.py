"""The coverage curve: the share of workloads and of pods meshed, month by month."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from workbench.charts.style import (
    LIGHT,
    Palette,
    Target,
    axes_rect,
    canvas,
    empty_note,
    legend,
    month_axis,
    root,
    set_title,
    style_axes,
)

ArrayLike = Sequence[float] | npt.NDArray[np.float64]


def coverage_figure(
    labels: Sequence[str],
    workloads: ArrayLike,
    pods: ArrayLike | None = None,
    *,
    title: str = "Mesh coverage",
    palette: Palette = LIGHT,
    size: tuple[float, float] = (8.0, 3.0),
    dpi: float = 100.0,
    target: Target | None = None,
) -> Figure:
    """Shares (0..1) per month as steps: month k's share spans x = k-1 .. k."""
    p = palette
    fig, size = canvas(target, p, size, dpi)
    ax = fig.add_axes(axes_rect(size, left=0.6))
    style_axes(ax, p)
    set_title(ax, p, title)
    if not labels:
        empty_note(ax, p, "No months in the horizon")
        return root(fig)
    x = np.arange(len(labels) + 1, dtype=np.float64)
    w = np.asarray(workloads, dtype=np.float64)
    line = ax.stairs(w, x, color=p.sidecar, linewidth=2.0, label="Workloads", baseline=None)
    line.set_gid("coverage-workloads")
    ax.fill_between(x, np.append(w, w[-1]), step="post", color=p.sidecar, alpha=0.12)
    if pods is not None:
        pp = np.asarray(pods, dtype=np.float64)
        pl = ax.stairs(
            pp, x, color=p.ambient, linewidth=1.4, linestyle="--", label="Pods", baseline=None
        )
        pl.set_gid("coverage-pods")
    ax.set_ylim(0, 1.05)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    month_axis(ax, list(labels), p, max_ticks=8)
    legend(ax, p, loc="upper left")
    return root(fig)
