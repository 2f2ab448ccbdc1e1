"""Monte Carlo: the distribution of NPV over the draws, with P10, P50 and P90 marked.

With the draws' NPVs at hand the chart is a histogram; with only the percentiles (what
:class:`~workbench.domain.economics.montecarlo.MonteCarloResult` keeps) it shows the
P10-P90 ranges of NPV and of the payback month as bars with the median marked.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from workbench.charts.style import (
    LIGHT,
    SMALL_SIZE,
    TICK_SIZE,
    Palette,
    Target,
    axes_rect,
    canvas,
    legend,
    money,
    money_axis,
    percent,
    root,
    set_title,
    style_axes,
)
from workbench.domain.economics.metrics import payback_text
from workbench.domain.economics.montecarlo import MonteCarloResult


def montecarlo_figure(
    result: MonteCarloResult,
    npv_draws: Sequence[float] | npt.NDArray[np.float64] | None = None,
    *,
    currency: str = "USD",
    title: str = "Monte Carlo: NPV and payback, P10 / P50 / P90",
    palette: Palette = LIGHT,
    size: tuple[float, float] = (8.0, 4.0),
    dpi: float = 100.0,
    target: Target | None = None,
) -> Figure:
    """A histogram of the NPV draws when given, else the P10-P90 ranges of NPV and payback."""
    p = palette
    fig, size = canvas(target, p, size, dpi)
    x0, y0, w, h = axes_rect(size, left=1.3, bottom=0.45, top=0.75, right=0.5)
    note = (
        f"{result.draws:,} draws · NPV > 0 in {percent(result.probability_npv_positive)}"
        f" · pays back within the horizon in {percent(result.probability_payback)}"
    )
    # Title, then the note under it, then the plot: each on a line of its own.
    fig.text(x0, y0 + h * 0.9 + 0.08 / size[1], note, fontsize=SMALL_SIZE + 0.5, color=p.muted)
    title_above = 0.27  # inches over the plot
    npv = (result.npv_p10, result.npv_p50, result.npv_p90)
    if npv_draws is not None and len(npv_draws):
        ax = fig.add_axes((x0, y0, w, h * 0.9))
        style_axes(ax, p)
        set_title(ax, p, title, above=title_above)
        counts, edges = np.histogram(np.asarray(npv_draws, dtype=np.float64), bins=50)
        bars = ax.bar(edges[:-1], counts, np.diff(edges), align="edge", color=p.sidecar, alpha=0.75)
        for patch in bars:
            patch.set_gid("draws")
        ax.set_ylabel("Draws")
        for name, value in zip(("P10", "P50", "P90"), npv, strict=True):
            ax.axvline(
                value,
                color=p.accent if name == "P50" else p.muted,
                linewidth=1.4,
                linestyle="-" if name == "P50" else "--",
                gid=name,
                label=f"{name} {money(value, currency)}",
            )
        # The legend in the upper corner over the thinner tail of the histogram.
        middle = len(counts) // 2
        side = "right" if counts[middle:].sum() <= counts[:middle].sum() else "left"
        legend(ax, p, loc=f"upper {side}", handlelength=1.6)
        ax.set_ylim(0, float(counts.max()) * 1.08)
        money_axis(ax, currency, axis="x")
        return root(fig)
    payback = (result.payback_p10, result.payback_p50, result.payback_p90)
    top = fig.add_axes((x0, y0 + h * 0.5, w, h * 0.4))
    bottom = fig.add_axes((x0, y0, w, h * 0.4))
    set_title(top, p, title, above=title_above)
    _range(top, p, "NPV", npv, lambda v: money(v, currency), "npv")
    money_axis(top, currency, axis="x")
    if all(v is not None for v in payback):
        values = (float(payback[0] or 0), float(payback[1] or 0), float(payback[2] or 0))
        _range(bottom, p, "Payback", values, payback_text, "payback")
    else:
        style_axes(bottom, p, grid_axis=None)
        bottom.set_yticks([0.0])
        bottom.set_yticklabels(["Payback"], fontsize=TICK_SIZE, color=p.foreground)
        bottom.set_xticks([])
        beyond = [n for n, v in zip(("P10", "P50", "P90"), payback, strict=True) if v is None]
        bottom.text(
            0.0,
            0.0,
            f"beyond the horizon at {', '.join(beyond)}",
            va="center",
            fontsize=SMALL_SIZE + 1,
            color=p.negative,
        )
    return root(fig)


def _range(
    ax: Axes,
    p: Palette,
    label: str,
    values: tuple[float, float, float],
    fmt: Callable[[float], str],
    gid: str,
) -> None:
    """One horizontal bar from P10 to P90 with the median marked and every value labelled."""
    lo, mid, hi = values
    style_axes(ax, p, grid_axis="x")
    ax.barh(
        [0.0], [hi - lo], left=lo, height=0.5, color=p.sidecar, alpha=0.35, gid=f"{gid}:p10-p90"
    )
    ax.plot(
        [mid],
        [0.0],
        marker="|",
        markersize=18,
        markeredgewidth=2.5,
        color=p.accent,
        linestyle="none",
        gid=f"{gid}:p50",
    )
    ax.text(
        mid,
        0.3,
        f"P50 {fmt(mid)}",
        ha="center",
        va="bottom",
        fontsize=SMALL_SIZE,
        color=p.foreground,
    )
    ax.text(
        lo, 0.0, f"P10 {fmt(lo)} ", ha="right", va="center", fontsize=SMALL_SIZE, color=p.foreground
    )
    ax.text(
        hi, 0.0, f" P90 {fmt(hi)}", ha="left", va="center", fontsize=SMALL_SIZE, color=p.foreground
    )
    pad = (hi - lo) * 0.6 or abs(mid) * 0.2 or 1.0
    ax.set_xlim(lo - pad, hi + pad)
    ax.set_ylim(-0.6, 0.9)
    ax.set_yticks([0.0])
    ax.set_yticklabels([label], fontsize=TICK_SIZE, color=p.foreground)
    ax.tick_params(axis="y", length=0)
