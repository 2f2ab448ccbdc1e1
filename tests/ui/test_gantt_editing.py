"""Editing waves on the Gantt chart with the mouse, the keyboard and drops."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.gantt_helpers import _clear_histories, bar_point, coverage_plan, open_gantt
from workbench.ui.gantt.time_axis import Zoom
from workbench.ui.mime import workloads_mime

__all__ = ["_clear_histories"]
LEFT = Qt.MouseButton.LeftButton
NONE = Qt.KeyboardModifier.NoModifier


def _drag(view: object, start: QPoint, dx: int, steps: int = 6) -> None:
    viewport = view.canvas.viewport()  # type: ignore[attr-defined]
    QTest.mousePress(viewport, LEFT, NONE, start)
    for i in range(1, steps + 1):
        QTest.mouseMove(viewport, start + QPoint(round(dx * i / steps), 0))
    QTest.mouseRelease(viewport, LEFT, NONE, start + QPoint(dx, 0))


def test_gantt_drag_moves_dates_coverage_and_payback_and_one_undo_restores(
    qtbot: QtBot,
) -> None:
    doc, view = open_gantt(qtbot, coverage_plan())
    view.set_zoom(Zoom.WEEKS)
    wave = doc.plan.schedule.wave("wave-02")
    before_dates = (wave.start, wave.end)
    before_cov = view.canvas.coverage.workloads_share()
    before_payback = view.kpis.values["payback"]
    assert before_payback is not None
    steps_before = doc.undo_stack.count()

    days = 45
    _drag(view, bar_point(view, "wave-02"), round(days * view.scene.axis.px_per_day))

    assert (wave.start, wave.end) == (
        before_dates[0] + timedelta(days),
        before_dates[1] + timedelta(days),
    )
    assert view.canvas.coverage.workloads_share() != before_cov
    assert view.kpis.values["payback"] is not None
    assert view.kpis.values["payback"] > before_payback  # meshed later: benefits later
    assert doc.undo_stack.count() == steps_before + 1  # the whole drag is one step
    bar = view.scene.bars["wave-02"].rect()
    assert bar.left() == view.scene.axis.x_of(wave.start)

    doc.undo_stack.undo()
    assert (wave.start, wave.end) == before_dates
    assert view.canvas.coverage.workloads_share() == before_cov
    assert view.kpis.values["payback"] == before_payback
    assert view.scene.bars["wave-02"].rect().left() == view.scene.axis.x_of(before_dates[0])


def test_gantt_drag_end_grip_resizes_and_multi_select_moves_together(qtbot: QtBot) -> None:
    doc, view = open_gantt(qtbot, coverage_plan())
    view.set_zoom(Zoom.WEEKS)
    ppd = view.scene.axis.px_per_day
    w2, w3 = doc.plan.schedule.wave("wave-02"), doc.plan.schedule.wave("wave-03")
    start2, end2 = w2.start, w2.end
    _drag(view, bar_point(view, "wave-02", "end"), round(-5 * ppd))
    assert (w2.start, w2.end) == (start2, end2 - timedelta(days=5))

    start3 = w3.start
    view.scene.bars["wave-02"].setSelected(True)
    view.scene.bars["wave-03"].setSelected(True)
    steps = doc.undo_stack.count()
    _drag(view, bar_point(view, "wave-03"), round(7 * ppd))
    assert (w2.start, w3.start) == (start2 + timedelta(7), start3 + timedelta(7))
    assert doc.undo_stack.count() == steps + 1
    doc.undo_stack.undo()
    assert (w2.start, w3.start) == (start2, start3)


def test_gantt_keyboard_nudges_move_and_resize_by_the_snap_unit(qtbot: QtBot) -> None:
    doc, view = open_gantt(qtbot, coverage_plan())
    wave = doc.plan.schedule.wave("wave-01")
    start, end = wave.start, wave.end
    view.scene.bars["wave-01"].setSelected(True)
    view.canvas.setFocus()
    QTest.keyClick(view.canvas, Qt.Key.Key_Right)
    assert (wave.start, wave.end) == (start + timedelta(1), end + timedelta(1))
    QTest.keyClick(view.canvas, Qt.Key.Key_Left)
    QTest.keyClick(view.canvas, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert (wave.start, wave.end) == (start, end + timedelta(1))
    view.set_zoom(Zoom.QUARTERS)  # snaps to weeks
    QTest.keyClick(view.canvas, Qt.Key.Key_Left)
    assert (wave.start, wave.end) == (start - timedelta(7), end - timedelta(6))
    assert view.scene.bars["wave-01"].rect().left() == view.scene.axis.x_of(wave.start)


def _send_drop(view: object, pos: QPoint, keys: list[str]) -> None:
    viewport = view.canvas.viewport()  # type: ignore[attr-defined]
    mime = workloads_mime(keys)
    action = Qt.DropAction.MoveAction
    enter = QDragEnterEvent(pos, action, mime, LEFT, NONE)
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()
    move = QDragMoveEvent(pos, action, mime, LEFT, NONE)
    QApplication.sendEvent(viewport, move)
    assert move.isAccepted()
    QApplication.sendEvent(viewport, QDropEvent(QPointF(pos), action, mime, LEFT, NONE))


def test_gantt_dropping_workloads_on_a_wave_assigns_them(qtbot: QtBot) -> None:
    doc, view = open_gantt(qtbot, coverage_plan())
    sched = doc.plan.schedule
    free = doc.plan.unassigned()[:2]
    moved = sched.wave("wave-01").members[0]
    before = len(sched.wave("wave-03").members)
    _send_drop(view, bar_point(view, "wave-03"), [*free, moved, "no/such/Deployment/x"])
    assert [sched.wave_of(k) for k in [*free, moved]] == ["wave-03"] * 3
    assert len(sched.wave("wave-03").members) == before + 3
    assert "3" in view.scene.bars["wave-03"].text  # the bar's label counts its members
    doc.undo_stack.undo()
    assert [sched.wave_of(k) for k in free] == [None, None]
    assert sched.wave_of(moved) == "wave-01"


def test_gantt_expanded_rows_list_members_and_accept_drops(qtbot: QtBot) -> None:
    doc, view = open_gantt(qtbot, coverage_plan(600))
    members = doc.plan.schedule.wave("wave-01").members
    assert view.scene.members == {}  # member rows are made only for expanded waves
    view.toggle_expanded("wave-01")
    assert set(view.scene.members) == set(members)
    row = view.scene.layout.members[members[0]]
    bar = view.scene.members[members[0]]
    assert bar.rect().top() >= row.top and bar.rect().bottom() <= row.bottom
    # a drop on a member row goes to that member's wave
    free = doc.plan.unassigned()[0]
    pos = view.canvas.mapFromScene(bar.rect().center())
    view.canvas.ensureVisible(bar.rect())
    pos = view.canvas.mapFromScene(bar.rect().center())
    _send_drop(view, pos, [free])
    assert doc.plan.schedule.wave_of(free) == "wave-01"
    assert free in view.scene.members  # the expanded wave shows its new member
    view.toggle_expanded("wave-01")
    assert view.scene.members == {}


def test_costly_outputs_follow_an_edit_in_the_next_turn(qtbot: QtBot) -> None:
    """When the whole-plan outputs are not cheap (a large estate), an edit updates the
    chart at once and the coverage and business-case strips in the next turn: two short
    stalls instead of one long one."""
    doc, view = open_gantt(qtbot, coverage_plan())
    view.set_zoom(Zoom.WEEKS)
    before_cov = view.canvas.coverage.workloads_share()
    wave = doc.plan.schedule.wave("wave-02")
    start = wave.start
    _drag(view, bar_point(view, "wave-02"), round(45 * view.scene.axis.px_per_day))
    moved_cov = view.canvas.coverage.workloads_share()
    assert moved_cov != before_cov
    view.live.last_outputs_s = 1.0  # as measured on a large estate
    doc.undo_stack.undo()
    assert wave.start == start  # the edit and the chart: now
    assert view.scene.bars["wave-02"].rect().left() == view.scene.axis.x_of(start)
    assert view.canvas.coverage.workloads_share() == moved_cov  # the strips: not yet
    qtbot.waitUntil(lambda: view.canvas.coverage.workloads_share() == before_cov, timeout=2_000)
