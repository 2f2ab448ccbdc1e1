"""Pictures of the economics dashboard for the docs, rendered offscreen at 1600x1000."""

from __future__ import annotations

from pathlib import Path

from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.text import Text
from pytestqt.qtbot import QtBot

from tests.ui.dashboard_support import SCREEN, dashboard_for, document_for, sample_document, tile
from workbench.domain.plan import Plan
from workbench.ops.generate import generate_plan
from workbench.ui.dashboard.charts_panel import NO_CASE, NO_OVERHEAD
from workbench.ui.dashboard.dashboard import EconomicsDashboard
from workbench.ui.document import PlanDocument


def _shoot(qtbot: QtBot, document: PlanDocument, repo_root: Path, name: str) -> EconomicsDashboard:
    with dashboard_for(qtbot, document, with_monte_carlo=True) as dashboard:
        dashboard.resize(*SCREEN)
        dashboard.show()
        qtbot.waitExposed(dashboard)
        qtbot.waitUntil(lambda: dashboard.recompute.monte_carlo is not None, timeout=10_000)
        for slot in dashboard.charts.slots.values():
            slot.rebuild()  # at the final size, without waiting for the resize debounce
        qtbot.wait(50)
        image = dashboard.grab().toImage()
        assert (image.width(), image.height()) == SCREEN
        for folder in (repo_root / "docs" / "screenshots", repo_root / "test-artifacts"):
            folder.mkdir(parents=True, exist_ok=True)
            assert image.save(str(folder / name))
        assert (repo_root / "docs" / "screenshots" / name).stat().st_size > 50_000
        for slot in dashboard.charts.slots.values():
            assert slot.width() >= 300 and slot.height() >= 250, slot.key
        return dashboard


def test_dashboard_screenshot_sample_plan(
    qtbot: QtBot, repo_root: Path, sample_plan_path: Path
) -> None:
    dashboard = _shoot(qtbot, sample_document(sample_plan_path), repo_root, "dashboard.png")
    assert tile(dashboard, "cost") == "$7.05M"


def test_dashboard_screenshot_generated_1000(qtbot: QtBot, repo_root: Path) -> None:
    plan = generate_plan(1000, 3, 7)
    plan.meta.title = "Generated estate (1,000 workloads)"
    plan.assumptions.infrastructure = "computed"  # the overhead priced into the cash flow
    dashboard = _shoot(qtbot, document_for(plan), repo_root, "dashboard-1000.png")
    assert tile(dashboard, "nodes").startswith("+")
    names = dashboard.recompute.report.evaluation.inputs.cost_names  # type: ignore[union-attr]
    assert "Observability (computed)" in names and "Infrastructure (computed)" in names
    assert "Platform team (schedule)" in names
    assert dashboard.defaults_note.isVisible()  # a new plan's case says it is untouched
    assert "shipped defaults" in dashboard.defaults_note.text()


def _drawn_labels(axis: Axis, limits: tuple[float, float]) -> list[Text]:
    """The tick labels the axis draws: those of ticks inside its view limits."""
    lo, hi = sorted(limits)
    return [
        tick.label1
        for tick in axis.get_major_ticks()
        if lo <= tick.get_loc() <= hi and tick.label1.get_visible() and tick.label1.get_text()
    ]


def legend_clashes(figure: Figure) -> list[str]:
    """Tick labels (and axis offset texts) a legend of the figure is drawn over."""
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    legends = [ax.get_legend() for ax in figure.axes if ax.get_legend() is not None]
    texts = [
        text
        for ax in figure.axes
        for text in [
            *_drawn_labels(ax.xaxis, ax.get_xlim()),
            *_drawn_labels(ax.yaxis, ax.get_ylim()),
            ax.xaxis.get_offset_text(),
            ax.yaxis.get_offset_text(),
        ]
        if text.get_visible() and text.get_text()
    ]
    return [
        text.get_text()
        for box in legends
        for text in texts
        if box.get_window_extent(renderer).overlaps(text.get_window_extent(renderer))
    ]


def test_dashboard_legends_stay_clear_of_the_axes(qtbot: QtBot, sample_plan_path: Path) -> None:
    with dashboard_for(qtbot, sample_document(sample_plan_path)) as dashboard:
        for size in ((1600, 1000), (880, 760)):  # the docs' size and a 1400x900 window's
            dashboard.resize(*size)
            dashboard.show()
            qtbot.waitExposed(dashboard)
            for slot in dashboard.charts.slots.values():
                slot.rebuild()
                assert not legend_clashes(slot.figure), (size, slot.key)


def test_empty_plan_charts_say_what_is_missing(qtbot: QtBot, repo_root: Path) -> None:
    """No workloads and no business case: each chart names what it needs instead of
    drawing axes of zeros ("$0 $0 -$0") under a legend."""
    with dashboard_for(qtbot, document_for(Plan())) as dashboard:
        dashboard.resize(*SCREEN)
        dashboard.show()
        qtbot.waitExposed(dashboard)
        for slot in dashboard.charts.slots.values():
            slot.rebuild()
            texts = [t.get_text() for ax in slot.figure.axes for t in ax.texts]
            expected = NO_OVERHEAD if slot.key in ("overhead", "sidecar_vs_ambient") else NO_CASE
            assert texts == [expected], (slot.key, texts)
            for ax in slot.figure.axes:
                assert ax.get_legend() is None
                assert not [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
        assert tile(dashboard, "payback") == "-"
        assert "no costs or benefits" in dashboard.tiles.tile("payback").note.text()
        qtbot.wait(50)
        image = dashboard.grab().toImage()
        folder = repo_root / "docs" / "screenshots"
        assert image.save(str(folder / "dashboard-empty.png"))
