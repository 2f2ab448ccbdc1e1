"""Findings at a glance: counts by severity and the most frequent rules with an example."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from matplotlib.figure import Figure

from workbench.charts.style import (
    LIGHT,
    SMALL_SIZE,
    TICK_SIZE,
    Palette,
    Target,
    axes_rect,
    canvas,
    root,
    set_title,
    style_axes,
)
from workbench.domain.findings import SEVERITIES, SEVERITY_RANK, Finding, count_by_severity

_MESSAGE = 130


def rule_rows(findings: Sequence[Finding], top: int) -> list[tuple[str, str, int, str]]:
    """(rule, severity, count, an example message) for the ``top`` rules, most severe and
    most frequent first; a rule reported at several severities counts under its worst."""
    counts: Counter[str] = Counter()
    worst: dict[str, Finding] = {}
    for f in findings:
        counts[f.rule] += 1
        held = worst.get(f.rule)
        if held is None or SEVERITY_RANK[f.severity] < SEVERITY_RANK[held.severity]:
            worst[f.rule] = f
    ranked = sorted(counts, key=lambda r: (SEVERITY_RANK[worst[r].severity], -counts[r], r))
    rows = []
    for rule in ranked[:top]:
        f = worst[rule]
        text = f.message if len(f.message) <= _MESSAGE else f.message[: _MESSAGE - 1] + "…"
        rows.append((rule, f.severity, counts[rule], text))
    return rows


def findings_figure(
    findings: Sequence[Finding],
    *,
    top: int = 12,
    title: str = "Readiness and schedule findings",
    palette: Palette = LIGHT,
    size: tuple[float, float] = (11.0, 7.0),
    dpi: float = 100.0,
    target: Target | None = None,
) -> Figure:
    p = palette
    fig, size = canvas(target, p, size, dpi)
    w, h = size
    counts = count_by_severity(findings)
    bars_h = min(2.4, h * 0.35)
    x0, y0, bw, bh = axes_rect(size, left=0.9, bottom=h - bars_h, top=0.55, right=w * 0.45)
    ax = fig.add_axes((x0, y0, bw, bh))
    style_axes(ax, p, grid_axis="x")
    set_title(ax, p, title)
    y = list(range(len(SEVERITIES)))
    bars = ax.barh(y, [counts[s] for s in SEVERITIES], color=[p.severity[s] for s in SEVERITIES])
    for rect, sev in zip(bars, SEVERITIES, strict=True):
        rect.set_gid(f"severity:{sev}")
        ax.text(
            rect.get_width(),
            rect.get_y() + rect.get_height() / 2,
            f" {counts[sev]}",
            va="center",
            fontsize=SMALL_SIZE,
            color=p.foreground,
        )
    ax.set_yticks(y)
    ax.set_yticklabels(SEVERITIES, fontsize=TICK_SIZE, color=p.foreground)
    ax.set_ylim(len(SEVERITIES) - 0.5, -0.5)
    ax.set_xlim(0, max(max(counts.values()) * 1.15, 1))
    by_source = Counter(f.source for f in findings)
    summary = [f"{len(findings)} active findings"]
    summary += [f"{n} from {src}" for src, n in sorted(by_source.items())]
    fig.text(0.6, y0 + bh, "\n".join(summary), va="top", fontsize=TICK_SIZE + 1, color=p.muted)
    rows = rule_rows(findings, top)
    table_top = y0 - 0.45 / h
    tax = fig.add_axes((x0 * 0.4, 0.03, 0.96 - x0 * 0.4, max(table_top - 0.03, 0.05)))
    tax.set_axis_off()
    if not rows:
        tax.text(0.0, 1.0, "No active findings.", va="top", fontsize=TICK_SIZE, color=p.muted)
        return root(fig)
    cells = [[rule, sev, str(n), text] for rule, sev, n, text in rows]
    table = tax.table(
        cellText=cells,
        colLabels=["Rule", "Severity", "Count", "What was seen (an example)"],
        colWidths=[0.08, 0.08, 0.06, 0.78],
        cellLoc="left",
        loc="upper left",
    )
    table.auto_set_font_size(False)
    table.set_fontsize(SMALL_SIZE)
    row_h = min(0.3 / (h * max(table_top - 0.03, 0.05)), 1.0 / (len(rows) + 1))
    for (r, c), cell in table.get_celld().items():
        cell.set_height(row_h)
        cell.PAD = 0.01 if c == 3 else 0.08
        cell.set_edgecolor(p.grid)
        cell.set_facecolor(p.phase_band if r == 0 else p.panel)
        cell.get_text().set_color(p.foreground)
        if r > 0 and c == 1:
            cell.get_text().set_color(p.severity.get(cells[r - 1][1], p.foreground))
        if r == 0:
            cell.get_text().set_fontweight("bold")
    table.set_gid("rules")
    return root(fig)
