"""Pictures of the Gantt chart for the docs, rendered offscreen at 1600x1000."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from tests.conftest import require
from tests.ui.gantt_helpers import _clear_histories, open_gantt
from workbench.domain.commands import RescheduleWave
from workbench.domain.planning.autoplan import AutoPlanOptions
from workbench.io.plan_file import load_plan
from workbench.ops.generate import generate_plan
from workbench.ops.planning import auto_plan
from workbench.ui.gantt import GanttView

__all__ = ["_clear_histories"]
SIZE = (1600, 1000)


def _save(view: GanttView, repo_root: Path, name: str) -> QImage:
    view.flush()
    image = view.grab().toImage()
    assert (image.width(), image.height()) == SIZE
    for folder in (repo_root / "docs" / "screenshots", repo_root / "test-artifacts"):
        folder.mkdir(parents=True, exist_ok=True)
        assert image.save(str(folder / name))
    assert (repo_root / "docs" / "screenshots" / name).stat().st_size > 20_000
    return image


def test_gantt_screenshot_of_the_sample_plan(qtbot: QtBot, repo_root: Path) -> None:
    sample = repo_root / "plans" / "seed-playbook.meshplan"
    require(sample.is_file(), "the sample plan plans/seed-playbook.meshplan")
    plan = load_plan(sample)
    doc, view = open_gantt(qtbot, plan)
    view.scene.today = date(2027, 6, 12)
    view.reload()
    view.save_baseline()
    wave = plan.schedule.wave("wave-02")  # dragged out of its phase: a violation to show
    doc.execute(RescheduleWave("wave-02", wave.start - timedelta(42), wave.end - timedelta(42)))
    view.set_expanded("wave-01", True)
    view.scene.bars["wave-03"].setSelected(True)
    assert view.scene.bars["wave-02"].marker.isVisible()
    _save(view, repo_root, "gantt.png")


def test_gantt_screenshot_of_a_1000_workload_plan_after_auto_plan(
    qtbot: QtBot, repo_root: Path
) -> None:
    plan = generate_plan(1000, 2, 7)
    plan.schedule.waves.clear()
    plan.schedule.reindex()
    auto_plan(plan, AutoPlanOptions(max_workloads=60, wave_length_days=21)).do(plan)
    assert len(plan.schedule.waves) >= 10
    _, view = open_gantt(qtbot, plan)
    view.scene.today = date(2026, 3, 2)
    view.reload()
    first = min(w.start for w in plan.schedule.waves)
    view.canvas.scroll_to(first)
    view.canvas.horizontalScrollBar().setValue(int(view.scene.axis.x_of(first)) - 240)
    view.scene.bars[plan.schedule.waves[3].id].setSelected(True)
    _save(view, repo_root, "gantt-1000.png")
