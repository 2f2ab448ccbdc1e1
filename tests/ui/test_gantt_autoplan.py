"""Auto-plan from the Gantt chart: options, a preview that changes nothing, one-step apply."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QPaintEvent, QRegion
from pytestqt.qtbot import QtBot

from tests.ui.gantt_helpers import _clear_histories, open_gantt
from tests.ui.plans import build_plan
from workbench.ui.gantt.autoplan_dialog import AutoPlanDialog

__all__ = ["_clear_histories"]


def test_gantt_autoplan_preview_then_apply_is_one_undo_step(qtbot: QtBot) -> None:
    doc, view = open_gantt(qtbot, build_plan(80))
    original = copy.deepcopy(doc.plan.schedule)
    unassigned = doc.plan.unassigned()
    assert unassigned

    dialog = AutoPlanDialog(doc, view.live.runner, view)
    qtbot.addWidget(dialog)
    dialog.max_workloads.setValue(15)
    dialog.pilot_size.setValue(4)
    assert dialog.options().max_workloads == 15
    assert not dialog.apply_button.isEnabled()
    dialog.preview()
    qtbot.waitUntil(lambda: dialog.proposal is not None, timeout=10_000)
    proposal = dialog.proposal
    assert proposal is not None and proposal.waves
    assert dialog.table.rowCount() == len(proposal.waves) + len(proposal.joins)
    assert dialog.table.item(0, 0).text().startswith(proposal.waves[0].id)
    assert all(len(w.members) <= 15 for w in proposal.waves)
    assert doc.plan.schedule == original  # the preview changed nothing
    assert dialog.apply_button.isEnabled()

    steps = doc.undo_stack.count()
    dialog.apply()
    assert doc.undo_stack.count() == steps + 1
    new_ids = {w.id for w in proposal.waves}
    assert new_ids <= set(view.scene.bars)  # the chart shows the new waves
    assert len(doc.plan.unassigned()) < len(unassigned)

    doc.undo_stack.undo()
    assert doc.plan.schedule == original
    assert not new_ids & set(view.scene.bars)


def test_gantt_autoplan_preview_reports_bad_options(qtbot: QtBot) -> None:
    doc, view = open_gantt(qtbot, build_plan(30))
    dialog = AutoPlanDialog(doc, view.live.runner, view)
    qtbot.addWidget(dialog)
    dialog.mode.addItem("mystery")
    dialog.mode.setCurrentText("mystery")
    dialog.preview()
    qtbot.waitUntil(lambda: dialog.preview_button.isEnabled(), timeout=10_000)
    assert dialog.proposal is None and "mystery" in dialog.stage.text()
    assert not dialog.apply_button.isEnabled()


def test_gantt_autoplan_preview_counts_what_apply_assigns(qtbot: QtBot, repo_root: Path) -> None:
    plan = build_plan(80)
    keys = plan.unassigned()
    plan.schedule.assign(keys[0], plan.schedule.waves[0].id)  # a wave others may join
    doc, view = open_gantt(qtbot, plan)
    dialog = AutoPlanDialog(doc, view.live.runner, view)
    qtbot.addWidget(dialog)
    dialog.resize(900, 640)
    dialog.show()
    dialog.max_workloads.setValue(12)
    dialog.parallel.setValue(3)
    dialog.freezes.setText("2027-12-20:2028-01-03")
    options = dialog.options()
    assert options.parallel == 3 and options.freezes == ((date(2027, 12, 20), date(2028, 1, 3)),)
    dialog.preview()
    qtbot.waitUntil(lambda: dialog.proposal is not None, timeout=10_000)
    proposal = dialog.proposal
    assert proposal is not None
    shown = sum(int(dialog.table.item(r, 4).text()) for r in range(dialog.table.rowCount()))
    assert shown == proposal.assigned_count()
    assert f"{proposal.assigned_count()} workload(s) planned" in dialog.summary.text()
    image = dialog.grab().toImage()
    folder = repo_root / "test-artifacts"
    folder.mkdir(exist_ok=True)
    assert image.save(str(folder / "autoplan-dialog.png"))
    before = set(doc.plan.schedule.assigned())
    dialog.apply()
    assert len(set(doc.plan.schedule.assigned()) - before) == shown
    assert doc.plan.schedule.max_concurrent_waves == 3


def test_gantt_autoplan_refuses_a_bad_freeze_window(qtbot: QtBot) -> None:
    doc, view = open_gantt(qtbot, build_plan(20))
    dialog = AutoPlanDialog(doc, view.live.runner, view)
    qtbot.addWidget(dialog)
    dialog.freezes.setText("2028-01-05:2027-12-20")
    assert not dialog.preview_button.isEnabled() and "ends before" in dialog.stage.text()
    dialog.freezes.setText("")
    assert dialog.preview_button.isEnabled()


def test_gantt_autoplan_takes_a_team_throughput_from_the_metadata(qtbot: QtBot) -> None:
    from workbench.domain.business import BusinessInfo

    plan = build_plan(20)
    for key in sorted(plan.inventory.workloads)[::2]:
        plan.business[key] = BusinessInfo(owner="team-a")
    doc, view = open_gantt(qtbot, plan)
    dialog = AutoPlanDialog(doc, view.live.runner, view)
    qtbot.addWidget(dialog)
    dialog.teams.setText("team-b=1")
    assert not dialog.preview_button.isEnabled() and "team-b" in dialog.stage.text()
    dialog.teams.setText("team-a=x")
    assert not dialog.preview_button.isEnabled() and "TEAM=N" in dialog.stage.text()
    dialog.teams.setText("team-a=1")
    assert dialog.preview_button.isEnabled()
    assert dialog.options().team_parallel == (("team-a", 1),)


class _PaintedRegion(QObject):
    """Collects the regions a widget repaints."""

    def __init__(self) -> None:
        super().__init__()
        self.region = QRegion()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QPaintEvent):
            self.region = self.region.united(event.region())
        return False


def test_gantt_autoplan_repaints_the_whole_chart(qtbot: QtBot) -> None:
    """The phase separators are drawn on the background: after Auto-plan changes the rows,
    every pixel of the chart is repainted, so no line of the old layout stays behind."""
    doc, view = open_gantt(qtbot, build_plan(80))
    qtbot.wait(50)
    separators = list(view.scene.layout.groups)
    viewport = view.canvas.viewport()
    painted = _PaintedRegion()
    viewport.installEventFilter(painted)
    dialog = AutoPlanDialog(doc, view.live.runner, view)
    qtbot.addWidget(dialog)
    dialog.max_workloads.setValue(10)
    dialog.preview()
    qtbot.waitUntil(lambda: dialog.proposal is not None, timeout=10_000)
    painted.region = QRegion()
    dialog.apply()
    qtbot.waitUntil(lambda: painted.region.contains(viewport.rect()), timeout=3_000)
    assert list(view.scene.layout.groups) != separators  # the rows did move
    viewport.removeEventFilter(painted)
