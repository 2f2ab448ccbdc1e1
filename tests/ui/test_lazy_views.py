"""Opening a plan fills the inventory first; the other heavy views fill when shown."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from workbench.domain.commands import RenameWave
from workbench.ui.gantt.view import GanttView
from workbench.ui.graph.view import DependencyView
from workbench.ui.main_window import MainWindow


def test_hidden_views_fill_when_first_shown_and_see_edits_made_meanwhile(
    qtbot: QtBot, window: MainWindow, sample_plan_path: Path
) -> None:
    window.show()
    qtbot.waitExposed(window)
    window.show_view("inventory")
    assert window.open_plan(sample_plan_path)
    gantt, graph = window.views["gantt"], window.views["dependencies"]
    assert isinstance(gantt, GanttView) and isinstance(graph, DependencyView)
    assert gantt.plan_stale and graph.plan_stale
    assert not gantt.scene.bars  # nothing built for a view nobody looks at
    assert not graph.layout_running

    wave = window.document.plan.schedule.waves[0]
    window.execute(RenameWave(wave.id, "Renamed while hidden"))
    window.show_view("gantt")
    assert not gantt.plan_stale
    assert set(gantt.scene.bars) == {w.id for w in window.document.plan.schedule.waves}
    assert gantt.scene.plan is window.document.plan
    assert any("Renamed while hidden" in str(row) for row in gantt.scene.layout.rows)
    qtbot.waitUntil(lambda: gantt.live.ready, timeout=20_000)

    window.show_view("dependencies")
    assert not graph.plan_stale
    qtbot.waitUntil(
        lambda: graph.last_result is not None and not graph.layout_running, timeout=30_000
    )
    assert graph.graph_layout is not None
