"""Tornado: how far each input moves the NPV when lowered and raised by the same share."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from workbench.charts.style import (
    LIGHT,
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
from workbench.domain.economics.sensitivity import TornadoBar

_MAX_LABEL = 34


def tornado_figure(
    bars: Sequence[TornadoBar],
    base_npv: float,
    *,
    step: float = 0.10,
    top: int = 10,
    currency: str = "USD",
    title: str | None = None,
    palette: Palette = LIGHT,
    size: tuple[float, float] = (8.0, 4.5),
    dpi: float = 100.0,
    target: Target | None = None,
) -> Figure:
    """The ``top`` inputs by NPV swing, largest on top, as bars from the base NPV to the
    NPV with the input lowered (one colour) and raised (the other)."""
    p = palette
    shown = sorted(bars, key=lambda b: -b.swing)[:top]
    fig, size = canvas(target, p, size, dpi)
    # names cut to the room left of the bars (at most 45% of the width), never clipped
    fits = int((size[0] * 0.45 - 0.25) / (TICK_SIZE * 0.6 / 72))
    most = max(8, min(_MAX_LABEL, fits))
    labels = [b.label if len(b.label) <= most else b.label[: most - 1] + "…" for b in shown]
    longest = max((len(t) for t in labels), default=10)
    left = 0.25 + longest * TICK_SIZE * 0.55 / 72
    ax = fig.add_axes(axes_rect(size, left=left, right=0.3, top=0.8))
    style_axes(ax, p, grid_axis="x")
    ranged = any((b.factor_low, b.factor_high) != (1.0 - step, 1.0 + step) for b in bars)
    default_title = (
        "NPV sensitivity (each line across its range)"
        if ranged
        else f"NPV sensitivity (each input -/+ {step:.0%})"
    )
    heading = set_title(ax, p, title or default_title, above=0.26)
    # from the figure's left margin, over the input names: a long title is not cut
    box = ax.get_position()
    heading.set_x(-(box.x0 * size[0] - 0.15) / max(box.width * size[0], 1e-9))
    if not shown:
        empty_note(ax, p, "No inputs to vary")
        return root(fig)
    y = np.arange(len(shown), dtype=np.float64)
    low = np.array([b.npv_low for b in shown])
    high = np.array([b.npv_high for b in shown])
    lows = ax.barh(
        y,
        low - base_npv,
        left=base_npv,
        height=0.6,
        color=p.negative,
        label="input low" if ranged else f"input -{step:.0%}",
    )
    highs = ax.barh(
        y,
        high - base_npv,
        left=base_npv,
        height=0.6,
        color=p.positive,
        label="input high" if ranged else f"input +{step:.0%}",
    )
    for rect, b in zip(lows, shown, strict=True):
        rect.set_gid(f"low:{b.label}")
    for rect, b in zip(highs, shown, strict=True):
        rect.set_gid(f"high:{b.label}")
    ax.axvline(
        base_npv, color=p.foreground, linewidth=1.0, label=f"base NPV {money(base_npv, currency)}"
    )
    ax.set_yticks(y)
    ax.set_yticklabels(labels, fontsize=TICK_SIZE, color=p.foreground)
    ax.set_ylim(len(shown) - 0.4, -0.6)
    ax.tick_params(axis="y", length=0)
    money_axis(ax, currency, axis="x")
    # a money label every 0.75 inch or more: "$100K$150K" never runs together
    inches = ax.get_position().width * size[0]
    ax.xaxis.set_major_locator(MaxNLocator(nbins=max(2, int(inches / 0.75))))
    lo = float(min(low.min(), high.min(), base_npv))
    hi = float(max(low.max(), high.max(), base_npv))
    pad = (hi - lo) * 0.08 or abs(base_npv) * 0.05 or 1.0
    ax.set_xlim(lo - pad, hi + pad)
    # A line of its own between the title and the bars.
    legend(
        ax,
        p,
        loc="lower right",
        bbox_to_anchor=(1.0, 1.0),
        ncol=3,
        borderaxespad=0.2,
        handlelength=1.2,
        columnspacing=1.2,
    )
    return root(fig)
