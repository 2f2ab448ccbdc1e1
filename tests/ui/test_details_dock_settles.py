"""The details dock redraws once after a burst of edits (a drag), only while shown; it
keeps what is known of callers across edits that cannot change it, and in the window
reads it from the inventory's background computation."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

import workbench.ui.details_dock as details_module
from workbench.domain.commands import RenameWave, RescheduleWave
from workbench.domain.evidence import caller_evidence
from workbench.domain.plan import Plan
from workbench.ui.main_window import MainWindow


def _count_caller_evidence(monkeypatch: pytest.MonkeyPatch) -> list[Plan]:
    """The plans the details dock computes caller knowledge for, from now on."""
    computed: list[Plan] = []

    def counting(plan: Plan) -> object:
        computed.append(plan)
        return caller_evidence(plan)

    monkeypatch.setattr(details_module, "caller_evidence", counting)
    return computed


def _drag(qtbot: QtBot, window: MainWindow, frames: int) -> None:
    """Frames of a wave drag: one reschedule each, 16 ms apart, from the event loop."""
    wave = window.document.plan.schedule.waves[0]
    start, end = wave.start, wave.end
    for day in range(1, frames + 1):
        shift = timedelta(days=day)
        window.execute(RescheduleWave(wave.id, start + shift, end + shift))
        qtbot.wait(16)


def test_a_drag_redraws_the_dock_once_when_it_pauses(
    qtbot: QtBot, window: MainWindow, plan_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    computed = _count_caller_evidence(monkeypatch)
    window.show()
    qtbot.waitExposed(window)
    assert window.open_plan(plan_path)
    wave = window.document.plan.schedule.waves[0]
    key = wave.members[0]
    window.details.show_key(key)
    assert window.details.isVisible()
    qtbot.waitUntil(lambda: "Callers known: unknown" in window.details.text(), timeout=10_000)
    qtbot.waitUntil(lambda: not window.document.analysis.busy, timeout=20_000)
    qtbot.wait(details_module.SETTLE_MS * 2)
    before = window.details.redraws
    arrivals: list[None] = []  # findings arriving mid-drag redraw it (a loaded machine)
    window.document.analysis.updated.connect(lambda *_: arrivals.append(None))

    _drag(qtbot, window, 20)
    assert window.details.redraws - before <= len(arrivals)  # no frame of the drag did
    qtbot.waitUntil(lambda: window.details.redraws > before, timeout=5_000)
    qtbot.wait(details_module.SETTLE_MS * 3)
    assert window.details.redraws - before <= 2  # the pause, and findings arriving
    moved = window.document.plan.schedule.wave(wave.id)
    assert moved.start.isoformat() in window.details.text()  # shows where it ended
    assert computed == []  # the window's dock computes no caller knowledge itself


def test_a_dock_on_its_own_keeps_caller_knowledge_across_schedule_edits(
    qtbot: QtBot, plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbench.ui.details_dock import DetailsDock
    from workbench.ui.document import PlanDocument

    computed = _count_caller_evidence(monkeypatch)
    document = PlanDocument()
    document.replace(plan, None)
    dock = DetailsDock(document)
    qtbot.addWidget(dock)
    dock.show()
    wave = plan.schedule.waves[0]
    dock.show_key(wave.members[0])
    assert len(computed) == 1
    document.execute(RescheduleWave(wave.id, wave.start, wave.end + timedelta(days=3)))
    qtbot.waitUntil(lambda: wave.end.isoformat() in dock.text(), timeout=5_000)
    assert len(computed) == 1  # a schedule edit keeps it
    document.undo_stack.clear()
    document.jobs.shutdown()


def test_a_hidden_dock_redraws_only_when_shown_again(
    qtbot: QtBot, window: MainWindow, plan_path: Path
) -> None:
    window.show()
    qtbot.waitExposed(window)
    assert window.open_plan(plan_path)
    wave = window.document.plan.schedule.waves[0]
    window.details.show_key(f"wave:{wave.id}")
    window.details.hide()
    before = window.details.redraws
    window.execute(RenameWave(wave.id, "Renamed while the dock is hidden"))
    qtbot.wait(details_module.SETTLE_MS * 3)
    assert window.details.redraws == before
    window.details.show()
    assert window.details.redraws == before + 1
    assert "Renamed while the dock is hidden" in window.details.text()
