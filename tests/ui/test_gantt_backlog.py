"""The remediation backlog's lanes on the Gantt chart: shown, and emptied by a mute."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.conftest import require
from tests.ui.gantt_helpers import _clear_histories, open_gantt
from workbench.domain.commands_mutes import MuteRule
from workbench.domain.plan import Mute
from workbench.io.plan_file import load_plan
from workbench.ops.planning import remediation_backlog

__all__ = ["_clear_histories"]


def test_backlog_lanes_follow_the_backlog_and_a_mute_empties_one(
    qtbot: QtBot, repo_root: Path
) -> None:
    sample = repo_root / "plans" / "seed-playbook.meshplan"
    require(sample.is_file(), "the sample plan plans/seed-playbook.meshplan")
    plan = load_plan(sample)
    expected = remediation_backlog(plan)
    doc, view = open_gantt(qtbot, plan)
    view.scene.today = date(2027, 6, 1)
    view.reload()
    view.flush()
    lanes = view.scene.backlog
    assert sum(len(lane.keys) for lane in lanes) == len(expected) > 0
    assert {lane.namespace for lane in lanes} == {i.namespace for i in expected}
    rows = [r for r in view.scene.layout.rows if r.kind == "backlog-lane"]
    assert [r.key for r in rows] == [lane.namespace for lane in lanes]
    assert set(view.scene.backlog_bars) == {lane.namespace for lane in lanes}
    bar = view.scene.backlog_bars[lanes[0].namespace]
    assert lanes[0].rules[0][0] in bar.toolTip() and "Fix:" in bar.toolTip()
    view.canvas.verticalScrollBar().setValue(view.canvas.verticalScrollBar().maximum())
    view.flush()
    image = view.grab().toImage()
    for folder in (repo_root / "docs" / "screenshots", repo_root / "test-artifacts"):
        folder.mkdir(parents=True, exist_ok=True)
        assert image.save(str(folder / "gantt-backlog.png"))

    # muting the rule that keeps a namespace's workloads out returns them to planning
    single = {i.namespace for i in expected if i.cause.others}
    lane = next(lane for lane in lanes if len(lane.rules) == 1 and lane.namespace not in single)
    rule = lane.rules[0][0]
    doc.execute(MuteRule(Mute(rule, lane.namespace, "accepted for the test")))
    view.flush()
    qtbot.waitUntil(lambda: view.live.ready, timeout=10_000)
    view.flush()
    assert lane.namespace not in {b.namespace for b in view.scene.backlog}
    doc.undo_stack.undo()
    qtbot.waitUntil(lambda: view.live.ready, timeout=10_000)
    view.flush()
    assert lane.namespace in {b.namespace for b in view.scene.backlog}
