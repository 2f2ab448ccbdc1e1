"""The migration's calendar as a Gantt chart: phases, activities, waves and milestones.

Rows run top-down: each phase as a band, then its activities and its waves by start
date; waves or activities whose phase is unknown come last, under "Other". A last row
holds the STRICT milestones: one diamond per namespace at its safe STRICT date and a
star at the mesh-wide STRICT date. Waves are coloured by data-plane mode; a wave that
targets STRICT mTLS gets a heavy outline; a wave with schedule violations gets a "!".
Every bar carries a gid (``phase:<id>``, ``activity:<id>``, ``wave:<id>``) so that
viewers and tests can find it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from workbench.charts.style import (
    LABEL_SIZE,
    LIGHT,
    SMALL_SIZE,
    TICK_SIZE,
    Palette,
    Target,
    canvas,
    empty_note,
    legend,
    root,
    set_title,
    style_axes,
)
from workbench.domain.schedule import Schedule

_BAR_HEIGHT = 0.62
_MAX_LABEL = 44


@dataclass(frozen=True, slots=True)
class _Row:
    kind: str  # phase, activity, wave, milestones
    id: str
    label: str
    start: date | None = None
    end: date | None = None


def _short(text: str, limit: int = _MAX_LABEL) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def gantt_rows(schedule: Schedule) -> list[tuple[str, str, str]]:
    """The chart's rows top-down as (kind, id, label); kind is phase, activity or wave."""
    return [(r.kind, r.id, r.label) for r in _rows(schedule)]


def _rows(schedule: Schedule) -> list[_Row]:
    rows: list[_Row] = []
    phases = sorted(schedule.phases, key=lambda p: (p.start, p.end))
    known = {p.id for p in phases}
    groups: list[tuple[str | None, str]] = [(p.id, p.name) for p in phases]
    orphans = [a for a in schedule.activities if a.phase not in known]
    orphans_w = [w for w in schedule.waves if w.phase not in known]
    if orphans or orphans_w:
        groups.append((None, "Other"))
    by_id = {p.id: p for p in phases}
    for pid, name in groups:
        if pid is not None:
            ph = by_id[pid]
            rows.append(_Row("phase", ph.id, ph.name, ph.start, ph.end))
            acts = [a for a in schedule.activities if a.phase == pid]
            waves = [w for w in schedule.waves if w.phase == pid]
        else:
            rows.append(_Row("phase", "", name))
            acts, waves = orphans, orphans_w
        for a in sorted(acts, key=lambda a: (a.start, a.end, a.name)):
            rows.append(_Row("activity", a.id, "  " + _short(a.name), a.start, a.end))
        for w in sorted(waves, key=lambda w: (w.start, w.end, w.id)):
            rows.append(_Row("wave", w.id, "  " + _short(f"{w.id} {w.name}"), w.start, w.end))
    return rows


def _span(schedule: Schedule, extra: list[date]) -> tuple[date, date] | None:
    days = [d for p in schedule.phases for d in (p.start, p.end)]
    days += [d for a in schedule.activities for d in (a.start, a.end)]
    days += [d for w in schedule.waves for d in (w.start, w.end)]
    days += extra
    if not days:
        return None
    return min(days), max(days)


def _num(day: date) -> float:
    return float(mdates.date2num(day))  # type: ignore[no-untyped-call]


def _bar(ax: Axes, y: float, start: date, end: date, gid: str, **style: object) -> None:
    # A bar covers its end day: it runs to the start of the next day.
    left = _num(start)
    width = max(_num(end + timedelta(days=1)) - left, 1.0)
    (rect,) = ax.barh([y], [width], left=[left], height=_BAR_HEIGHT, **style)  # type: ignore[arg-type]
    rect.set_gid(gid)


def gantt_figure(
    schedule: Schedule,
    *,
    today: date | None = None,
    namespace_strict: Mapping[str, date | None] | None = None,
    mesh_strict: date | None = None,
    violations: Mapping[str, int] | None = None,
    title: str = "Migration schedule",
    palette: Palette = LIGHT,
    size: tuple[float, float] | None = None,
    dpi: float = 100.0,
    target: Target | None = None,
) -> Figure:
    """The schedule as a Gantt chart; ``violations`` counts schedule findings per wave id.

    The today line is drawn only when today falls within the schedule's span.
    """
    p = palette
    rows = _rows(schedule)
    strict_days = [d for d in (namespace_strict or {}).values() if d is not None]
    has_milestones = bool(strict_days) or mesh_strict is not None
    n = len(rows) + (1 if has_milestones else 0)
    if size is None:
        size = (11.0, min(max(2.5, 1.3 + 0.26 * n), 30.0))
    fig, size = canvas(target, p, size, dpi)
    top, bottom = 1.0 - 0.55 / size[1], 0.4 / size[1]
    row_height_pt = size[1] * (top - bottom) * 72 / max(n, 1)
    font = max(4.5, min(LABEL_SIZE, row_height_pt * 0.55))
    longest = max([len(r.label) for r in rows] + [len("STRICT milestones")])
    label_share = min(0.45, 0.03 + longest * font * 0.52 / 72 / size[0])
    ax = fig.add_axes((label_share, bottom, 0.97 - label_share, top - bottom))
    style_axes(ax, p, grid_axis="x")
    set_title(ax, p, title)
    extra = [d for d in (mesh_strict,) if d is not None] + strict_days
    span = _span(schedule, extra)
    if span is None:
        empty_note(ax, p, "Nothing scheduled yet")
        return root(fig)
    flagged = violations or {}
    waves = {w.id: w for w in schedule.waves}
    for y, row in enumerate(rows):
        if row.start is None or row.end is None:
            continue
        if row.kind == "phase":
            _bar(ax, y, row.start, row.end, f"phase:{row.id}", color=p.phase_band, edgecolor=p.grid)
        elif row.kind == "activity":
            _bar(ax, y, row.start, row.end, f"activity:{row.id}", color=p.control_plane)
        else:
            w = waves[row.id]
            strict = w.mtls == "STRICT"
            _bar(
                ax,
                y,
                row.start,
                row.end,
                f"wave:{row.id}",
                color=p.mode_colour(w.mode),
                edgecolor=p.milestone if strict else p.mode_colour(w.mode),
                linewidth=2.0 if strict else 0.5,
            )
            count = len(w.members)
            note = f"{count} workload{'' if count == 1 else 's'}" + (" · STRICT" if strict else "")
            ax.text(
                _num(row.end + timedelta(days=1)) + 2,
                y,
                note,
                va="center",
                fontsize=min(font, SMALL_SIZE),
                color=p.muted,
            )
            if flagged.get(w.id, 0) > 0:
                ax.text(
                    _num(row.start) - 2,
                    y,
                    "!",
                    va="center",
                    ha="right",
                    fontsize=font + 1,
                    fontweight="bold",
                    color=p.accent,
                    gid=f"violation:{w.id}",
                )
    labels = [r.label for r in rows]
    if has_milestones:
        y = len(rows)
        labels.append("STRICT milestones")
        if strict_days:
            ax.scatter(
                [_num(d) for d in strict_days],
                [y] * len(strict_days),
                marker="D",
                s=28,
                color=p.milestone,
                zorder=4,
                gid="strict-namespaces",
            )
        if mesh_strict is not None:
            ax.scatter(
                [_num(mesh_strict)],
                [y],
                marker="*",
                s=180,
                color=p.accent,
                edgecolors=p.background,
                zorder=5,
                gid="strict-mesh",
            )
            ax.axvline(_num(mesh_strict), color=p.milestone, linestyle="--", linewidth=0.8)
            ax.text(
                _num(mesh_strict) - 3,
                y,
                f"mesh-wide STRICT {mesh_strict.isoformat()}",
                ha="right",
                va="center",
                fontsize=min(font, SMALL_SIZE),
                color=p.milestone,
            )
    ax.set_yticks(range(len(labels)))
    ax.set_yticklabels(labels, fontsize=font, color=p.foreground)
    for tick, row in zip(ax.get_yticklabels(), rows, strict=False):
        if row.kind == "phase":
            tick.set_fontweight("bold")
    ax.set_ylim(len(labels) - 0.4, -0.6)
    lo, hi = span
    pad = max((hi - lo).days * 0.03, 5)
    ax.set_xlim(_num(lo) - pad, _num(hi) + pad * 3)
    locator = mdates.AutoDateLocator(minticks=4, maxticks=12)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    ax.tick_params(axis="x", labelsize=TICK_SIZE)
    ax.tick_params(axis="y", length=0)
    if today is not None and lo <= today <= hi:
        line = ax.axvline(_num(today), color=p.accent, linewidth=1.2)
        line.set_gid("today")
        ax.text(
            _num(today),
            -0.55,
            " today",
            color=p.accent,
            fontsize=SMALL_SIZE,
            va="top",
        )
    _legend(ax, p, schedule)
    return root(fig)


def _legend(ax: Axes, p: Palette, schedule: Schedule) -> None:
    handles = [Patch(color=p.control_plane, label="Activity")]
    modes = sorted({w.mode for w in schedule.waves})
    handles += [Patch(color=p.mode_colour(m), label=f"Wave ({m})") for m in modes]
    if any(w.mtls == "STRICT" for w in schedule.waves):
        handles.append(
            Patch(facecolor=p.panel, edgecolor=p.milestone, linewidth=2, label="STRICT target")
        )
    legend(ax, p, handles=handles, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=len(handles))
