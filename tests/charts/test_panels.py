"""KPI panel, findings summary, and the shared style."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from tests.charts.support import by_gid, by_gid_prefix, ink_share, render, texts
from workbench.charts.findings import findings_figure, rule_rows
from workbench.charts.kpis import Kpi, kpi_figure
from workbench.charts.style import DARK, LIGHT, money, month_axis, palette, percent
from workbench.domain.findings import Finding


def _finding(rule: str, severity: str, message: str = "seen") -> Finding:
    return Finding(rule, severity, "readiness", ("c/ns/Deployment/x",), message, "why", "fix")


def test_kpi_panel_has_a_tile_per_kpi_with_its_value() -> None:
    tiles = [Kpi("ROI", "134%", "risk-adjusted 98%", "good"), Kpi("Payback", "6.5 mo")]
    fig = kpi_figure(tiles, title="Plan", subtitle="line one\nline two")
    assert len(by_gid_prefix(fig, "tile:")) == 2
    (value,) = by_gid(fig, "value:ROI")
    assert value.get_text() == "134%"  # type: ignore[attr-defined]
    assert value.get_color() == LIGHT.positive  # type: ignore[attr-defined]
    assert {"Plan", "line one", "line two", "risk-adjusted 98%"} <= set(texts(fig))
    assert ink_share(render(fig)) > 0.05


def test_findings_summary_counts_each_severity() -> None:
    findings = [
        _finding("R1", "blocker"),
        _finding("R1", "blocker"),
        _finding("R3", "high", "x" * 300),
        _finding("R9", "low"),
        _finding("R9", "blocker"),
    ]
    fig = findings_figure(findings)
    (blockers,) = by_gid(fig, "severity:blocker")
    assert isinstance(blockers, Rectangle) and blockers.get_width() == 3
    (info,) = by_gid(fig, "severity:info")
    assert isinstance(info, Rectangle) and info.get_width() == 0
    rows = rule_rows(findings, top=10)
    assert [(r, s, n) for r, s, n, _ in rows] == [
        ("R1", "blocker", 2),
        ("R9", "blocker", 2),
        ("R3", "high", 1),
    ]
    assert len(rows[2][3]) <= 130
    assert by_gid(fig, "rules")
    assert "No active findings." in texts(findings_figure([]))


def test_money_and_percent_formats() -> None:
    assert money(7_050_000) == "$7.05M"
    assert money(-120_000) == "-$120K"
    assert money(950) == "$950"
    assert money(1_500_000, "EUR") == "€1.5M"
    assert money(2_000, "SEK") == "2K SEK"
    assert money(float("nan")) == "-"
    assert percent(1.3404) == "134%" and percent(None) == "-"


def test_palettes_differ_and_month_axis_labels_starts() -> None:
    assert palette(dark=True) is DARK and palette() is LIGHT
    assert DARK.background != LIGHT.background
    assert LIGHT.colour(len(LIGHT.series)) == LIGHT.colour(0)
    fig = Figure()
    ax = fig.add_subplot()
    labels = [f"2027-{m:02d}" for m in range(1, 13)] * 3
    month_axis(ax, labels, LIGHT, max_ticks=8)
    ticks = list(ax.get_xticks())
    assert ticks == [0, 6, 12, 18, 24, 30]
    assert ax.get_xlim() == pytest.approx((0, 36))


def test_table_figure_lays_out_every_cell() -> None:
    from workbench.charts.kpis import table_figure

    fig = table_figure(["Scenario", "NPV"], [["base", "$1M"], ["fast", "$2M"]], highlight=1)
    (table,) = by_gid(fig, "table")
    cells = table.get_celld()  # type: ignore[attr-defined]
    assert len(cells) == 6
    assert cells[(2, 0)].get_text().get_text() == "fast"
    assert cells[(2, 1)].get_text().get_fontweight() == "bold"
    assert cells[(1, 1)].get_text().get_fontweight() != "bold"
