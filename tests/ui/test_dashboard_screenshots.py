"""Pictures of the economics dashboard for the docs, rendered offscreen at 1600x1000."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.ui.dashboard_support import SCREEN, dashboard_for, document_for, sample_document, tile
from workbench.ops.generate import generate_plan
from workbench.ui.dashboard import EconomicsDashboard
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
