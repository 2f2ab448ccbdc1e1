"""The report cover's parts: KPI tiles (big figures, short labels) and a small table."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from workbench.charts.style import (
    LABEL_SIZE,
    LIGHT,
    SMALL_SIZE,
    Palette,
    Target,
    axes_rect,
    canvas,
    root,
)


@dataclass(frozen=True, slots=True)
class Kpi:
    label: str  # "3-year ROI"
    value: str  # "134%", already formatted
    detail: str = ""  # a line under the value ("risk-adjusted 98%")
    tone: str = "neutral"  # neutral, good, bad: colours the value


def kpi_figure(
    tiles: Sequence[Kpi],
    *,
    title: str | None = None,
    subtitle: str | None = None,
    columns: int = 4,
    palette: Palette = LIGHT,
    size: tuple[float, float] = (8.0, 4.0),
    dpi: float = 100.0,
    target: Target | None = None,
) -> Figure:
    """Tiles in rows of ``columns``, under an optional title and subtitle."""
    p = palette
    fig, size = canvas(target, p, size, dpi)
    top = 0.97
    if title:
        fig.text(
            0.05,
            top,
            title,
            fontsize=20,
            fontweight="bold",
            color=p.foreground,
            va="top",
            wrap=True,
            gid="title",
        )
        top -= 0.55 / size[1]
    if subtitle:
        for line in subtitle.splitlines():
            fig.text(0.05, top, line, fontsize=LABEL_SIZE + 1, color=p.muted, va="top")
            top -= 0.22 / size[1]
        top -= 0.03
    if not tiles:
        return root(fig)
    columns = max(1, min(columns, len(tiles)))
    rows = math.ceil(len(tiles) / columns)
    gap = 0.02
    bottom = 0.04
    width = (0.9 - gap * (columns - 1)) / columns
    height = min((top - bottom - gap * (rows - 1)) / rows, 1.6 / size[1])
    tone = {"good": p.positive, "bad": p.negative, "neutral": p.foreground}
    by_height = height * size[1] * 72 * 0.3
    for k, tile in enumerate(tiles):
        r, c = divmod(k, columns)
        x = 0.05 + c * (width + gap)
        y = top - (r + 1) * height - r * gap
        box = FancyBboxPatch(
            (x, y),
            width,
            height,
            boxstyle="round,pad=0,rounding_size=0.01",
            transform=fig.transSubfigure,
            facecolor=p.phase_band,
            edgecolor=p.grid,
            linewidth=0.8,
            gid=f"tile:{tile.label}",
        )
        fig.add_artist(box)
        fig.text(
            x + 0.015,
            y + height * 0.82,
            tile.label,
            fontsize=LABEL_SIZE,
            color=p.muted,
            va="center",
        )
        fig.text(
            x + 0.015,
            y + height * 0.47,
            tile.value,
            fontsize=_value_size(tile.value, by_height, (width - 0.03) * size[0]),
            fontweight="bold",
            color=tone.get(tile.tone, p.foreground),
            va="center",
            gid=f"value:{tile.label}",
        )
        if tile.detail:
            fig.text(
                x + 0.015,
                y + height * 0.14,
                tile.detail,
                fontsize=min(SMALL_SIZE, (width - 0.03) * size[0] * 72 / (0.55 * len(tile.detail))),
                color=p.muted,
                va="center",
            )
    return root(fig)


def _value_size(text: str, by_height: float, width_in: float) -> float:
    """The value's font size: as large as the tile allows, 10 to 24 points."""
    by_width = width_in * 72 / (0.62 * max(len(text), 5))
    return max(10.0, min(24.0, by_height, by_width))


def table_figure(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    title: str | None = None,
    highlight: int | None = None,
    palette: Palette = LIGHT,
    size: tuple[float, float] = (8.0, 2.5),
    dpi: float = 100.0,
    target: Target | None = None,
) -> Figure:
    """A small table of figures (e.g. scenarios side by side); row ``highlight`` in bold."""
    p = palette
    fig, size = canvas(target, p, size, dpi)
    x0, y0, w, h = axes_rect(size, left=0.55, bottom=0.25, right=0.55, top=0.5)
    ax = fig.add_axes((x0, y0, w, h))
    ax.set_axis_off()
    if title:
        ax.set_title(
            title,
            loc="left",
            color=p.foreground,
            fontsize=LABEL_SIZE + 2,
            fontweight="bold",
            y=1.02,
        )
    if not rows:
        return root(fig)
    table = ax.table(
        cellText=[list(r) for r in rows],
        colLabels=list(header),
        loc="upper left",
        cellLoc="right",
        colLoc="right",
    )
    table.auto_set_font_size(False)
    table.set_fontsize(LABEL_SIZE)
    row_h = min(0.28 / (h * size[1]), 1.0 / (len(rows) + 1))
    for (r, c), cell in table.get_celld().items():
        cell.set_height(row_h)
        cell.set_edgecolor(p.grid)
        cell.set_facecolor(p.phase_band if r == 0 else p.panel)
        text = cell.get_text()
        text.set_color(p.foreground)
        if c == 0:
            text.set_horizontalalignment("left")
            cell.PAD = 0.03
        if r == 0 or (highlight is not None and r == highlight + 1):
            text.set_fontweight("bold")
    table.set_gid("table")
    return root(fig)
