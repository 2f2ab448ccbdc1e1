"""The mesh's resource overhead: per wave over time, and sidecar against ambient.

Per wave over time (the series of :func:`~workbench.charts.chart_data.wave_series`):
each wave adds its step (the requests it brings once done, see
:class:`~workbench.domain.economics.overhead.WaveOverhead`) from its end date on, in
the same month shares as the economics (a wave ending mid-month counts for the rest of
that month); the control plane runs from month 1. The stacked areas add up to the
overhead the cash flow prices.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt
from matplotlib.figure import Figure

from workbench.charts.chart_data import grouped_wave_series
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
    month_axis,
    root,
    set_title,
    style_axes,
    text_inches,
)
from workbench.domain.assumptions import Prices
from workbench.domain.economics.model import PlanBasis
from workbench.domain.economics.pricing import GIB, monthly_cost

FloatArray = npt.NDArray[np.float64]
UNITS = ("cpu", "memory", "cost")


def overhead_by_wave_figure(
    basis: PlanBasis,
    *,
    unit: str = "cpu",
    currency: str = "USD",
    title: str | None = None,
    palette: Palette = LIGHT,
    size: tuple[float, float] = (8.0, 4.5),
    dpi: float = 100.0,
    target: Target | None = None,
) -> Figure:
    """Stacked areas of the overhead by month, one band per wave; ``unit`` is one of
    ``cpu`` (vCPU), ``memory`` (GiB) or ``cost`` (priced a month)."""
    return overhead_series_figure(
        basis.grid.labels(),
        grouped_wave_series(basis),
        basis.assumptions.prices,
        unit=unit,
        currency=currency,
        title=title,
        palette=palette,
        size=size,
        dpi=dpi,
        target=target,
    )


def _in_unit(values: FloatArray, unit: str, prices: Prices) -> FloatArray:
    if unit == "cpu":
        return np.asarray(values[0] / 1000.0)
    if unit == "memory":
        return np.asarray(values[1] / GIB)
    return monthly_cost(values[0], values[1], prices)


def overhead_series_figure(
    labels: Sequence[str],
    series: Sequence[tuple[str, FloatArray]],
    prices: Prices,
    *,
    unit: str = "cpu",
    currency: str = "USD",
    title: str | None = None,
    palette: Palette = LIGHT,
    size: tuple[float, float] = (8.0, 4.5),
    dpi: float = 100.0,
    target: Target | None = None,
) -> Figure:
    """:func:`overhead_by_wave_figure` from its data: the month ``labels`` and the
    (label, (2, months) cpu_m and memory bytes) ``series`` of
    :func:`grouped_wave_series` (plain data, that a worker process can draw)."""
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r} (use {', '.join(UNITS)})")
    p = palette
    fig, size = canvas(target, p, size, dpi)
    ax = fig.add_axes(axes_rect(size, left=0.75, right=min(2.6, size[0] * 0.35)))
    style_axes(ax, p)
    names = {"cpu": "vCPU requested", "memory": "Memory requested", "cost": "Monthly cost"}
    set_title(ax, p, title or f"Mesh overhead per wave: {names[unit].lower()}")
    if not labels:
        empty_note(ax, p, "No months in the horizon")
        return root(fig)
    # Step plot: month k's value spans x = k-1 .. k.
    x = np.repeat(np.arange(len(labels) + 1, dtype=np.float64), 2)[1:-1]
    values = [_in_unit(s, unit, prices) for _, s in series]
    stacked = np.repeat(np.vstack(values), 2, axis=1)
    colours = [p.control_plane] + [p.colour(i) for i in range(len(series) - 1)]
    polys = ax.stackplot(
        x, stacked, labels=[n for n, _ in series], colors=colours, alpha=0.85, linewidth=0
    )
    for poly, (name, _) in zip(polys, series, strict=True):
        poly.set_gid(f"band:{name}")
    month_axis(ax, list(labels), p, max_ticks=8)
    if unit == "cost":
        money_axis(ax, currency)
        peak_text = money(float(np.vstack(values).sum(axis=0).max()), currency) + " a month"
    elif unit == "cpu":
        ax.set_ylabel("vCPU")
        peak_text = f"{float(np.vstack(values).sum(axis=0).max()):,.1f} vCPU"
    else:
        ax.set_ylabel("GiB")
        peak_text = f"{float(np.vstack(values).sum(axis=0).max()):,.1f} GiB"
    # In the legend's column, under it: clear of the title and of the bands.
    ax.text(
        1.03,
        0.0,
        f"Peak {peak_text}",
        transform=ax.transAxes,
        ha="left",
        va="bottom",
        fontsize=SMALL_SIZE,
        color=p.muted,
    )
    legend(ax, p, loc="upper left", bbox_to_anchor=(1.01, 1.0), reverse=True)
    return root(fig)


class OverheadFigures(Protocol):
    """Steady-state overhead of one data-plane choice (what the economics report holds)."""

    @property
    def sidecar_cpu_m(self) -> float: ...
    @property
    def sidecar_memory_bytes(self) -> float: ...
    @property
    def ambient_cpu_m(self) -> float: ...
    @property
    def ambient_memory_bytes(self) -> float: ...
    @property
    def control_plane_cpu_m(self) -> float: ...
    @property
    def control_plane_memory_bytes(self) -> float: ...
    @property
    def monthly_cost(self) -> float: ...


def sidecar_vs_ambient_figure(
    by_mode: Mapping[str, OverheadFigures],
    *,
    currency: str = "USD",
    title: str = "Sidecar vs ambient: steady-state overhead",
    palette: Palette = LIGHT,
    size: tuple[float, float] = (8.0, 4.0),
    dpi: float = 100.0,
    target: Target | None = None,
) -> Figure:
    """Side by side per choice (e.g. "As planned", "All sidecar", "All ambient"): vCPU and
    GiB stacked by component, the monthly cost above each pair of bars."""
    p = palette
    fig, size = canvas(target, p, size, dpi)
    names = list(by_mode)
    x0, y0, w, h = axes_rect(size, left=0.7, bottom=0.6, top=0.75)
    cpu_ax = fig.add_axes((x0, y0, w * 0.42, h))
    mem_ax = fig.add_axes((x0 + w * 0.56, y0, w * 0.44, h))
    parts = (
        ("Sidecars", "sidecar", p.sidecar),
        ("ztunnel + waypoints", "ambient", p.ambient),
        ("Control plane", "control_plane", p.control_plane),
    )
    x = np.arange(len(names), dtype=np.float64)
    for ax, dim, unit, scale in (
        (cpu_ax, "cpu_m", "vCPU", 1000.0),
        (mem_ax, "memory_bytes", "GiB", GIB),
    ):
        style_axes(ax, p)
        ax.set_ylabel(unit)
        bottom = np.zeros(len(names))
        for label, part, colour in parts:
            heights = np.array([getattr(by_mode[n], f"{part}_{dim}") / scale for n in names])
            bars = ax.bar(x, heights, 0.6, bottom=bottom, color=colour, label=label)
            for rect, n in zip(bars, names, strict=True):
                rect.set_gid(f"{dim}:{n}:{part}")
            bottom += heights
        ax.set_xticks(x)
        ax.set_xticklabels(
            _choice_labels(by_mode, currency, ax.bbox.width / root(fig).dpi),
            fontsize=TICK_SIZE,
            color=p.foreground,
        )
        ax.set_ylim(0, max(float(bottom.max()), 1e-9) * 1.18)
        for xi, total in zip(x, bottom, strict=True):
            ax.text(
                xi,
                total,
                f"{total:,.1f}",
                ha="center",
                va="bottom",
                fontsize=SMALL_SIZE,
                color=p.foreground,
            )
    # The title on top, the legend on a line of its own under it, then the bars.
    set_title(cpu_ax, p, title, above=0.26)
    legend(
        cpu_ax,
        p,
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0 + 0.02 / (h * size[1])),
        ncol=3,
        borderaxespad=0.0,
        handlelength=1.2,
        columnspacing=1.2,
    )
    return root(fig)


def _choice_labels(
    by_mode: Mapping[str, OverheadFigures], currency: str, axes_inches: float
) -> list[str]:
    """The x labels, "All sidecar / $791 a month"; shortened ("Sidecar / $791/mo") when a
    bar's slot is too narrow for the long form."""
    costs = {n: money(f.monthly_cost, currency) for n, f in by_mode.items()}
    slot = axes_inches / max(len(by_mode), 1) - 0.08
    longest = max((max(len(n), len(c) + 8) for n, c in costs.items()), default=0)
    if text_inches(longest, TICK_SIZE) <= slot:
        return [f"{n}\n{c} a month" for n, c in costs.items()]
    return [f"{n.split()[-1].capitalize()}\n{c}/mo" for n, c in costs.items()]
