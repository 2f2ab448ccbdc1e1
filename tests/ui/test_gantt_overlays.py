"""What the Gantt chart shows over the bars: violations, zoom, baselines, milestones."""

from __future__ import annotations

from datetime import timedelta

from pytestqt.qtbot import QtBot

from tests.ui.gantt_helpers import _clear_histories, add_call, coverage_plan, open_gantt
from workbench.domain.commands import RescheduleWave, SetWaveTargets
from workbench.ui.gantt.items import ViolationMarker
from workbench.ui.gantt.time_axis import PX_PER_DAY, Zoom

__all__ = ["_clear_histories"]


def test_gantt_strict_before_callers_shows_a_violation_marker_naming_the_rule(
    qtbot: QtBot,
) -> None:
    plan = coverage_plan()
    sched = plan.schedule
    callee = sched.wave("wave-01").members[0]
    caller = sched.wave("wave-03").members[0]
    add_call(plan, caller, callee)
    doc, view = open_gantt(qtbot, plan)

    def marker() -> ViolationMarker:
        return view.scene.bars["wave-01"].marker

    assert "S02" not in marker().rules()

    doc.execute(SetWaveTargets("wave-01", mtls="STRICT"))  # the caller is meshed months later
    assert marker().isVisible()
    assert marker().rules()["S02"] == 1
    tip = marker().tooltip_text()
    assert "S02" in tip and "STRICT mTLS before every caller is meshed" in tip
    assert "Fix:" in tip and caller in tip
    assert "STRICT" in view.scene.bars["wave-01"].text

    # moving the caller's wave before the STRICT wave ends clears it, live
    w1, w3 = sched.wave("wave-01"), sched.wave("wave-03")
    length = w3.end - w3.start
    doc.execute(RescheduleWave("wave-03", w1.end - length - timedelta(5), w1.end - timedelta(5)))
    assert "S02" not in marker().rules()
    doc.undo_stack.undo()
    assert marker().rules()["S02"] == 1


def test_gantt_zoom_levels_change_scale_ticks_and_snap(qtbot: QtBot) -> None:
    doc, view = open_gantt(qtbot, coverage_plan())
    wave = doc.plan.schedule.wave("wave-02")
    days = (wave.end - wave.start).days + 1
    labels = {}
    for zoom in Zoom:
        view.zoom_actions[zoom].trigger()
        axis = view.scene.axis
        assert axis.zoom is zoom and axis.px_per_day == PX_PER_DAY[zoom]
        assert view.scene.bars["wave-02"].rect().width() == days * axis.px_per_day
        ticks = axis.minor_ticks(wave.start, wave.end)
        labels[zoom] = {t.label for t in ticks}
        assert all(t.x == axis.x_of(t.day) for t in ticks)
    assert labels[Zoom.QUARTERS] <= {"Q1", "Q2", "Q3", "Q4"}
    assert "Aug" in labels[Zoom.MONTHS]
    assert all(label.isdigit() for label in labels[Zoom.WEEKS])  # day of the Monday
    assert view.scene.axis.snap_days == 7  # quarters snap to weeks
    assert PX_PER_DAY[Zoom.WEEKS] > PX_PER_DAY[Zoom.MONTHS] > PX_PER_DAY[Zoom.QUARTERS]


def test_gantt_baseline_ghost_bars_stay_where_the_waves_were(qtbot: QtBot) -> None:
    doc, view = open_gantt(qtbot, coverage_plan())
    assert view.scene.ghosts == {}
    view.save_baseline()
    assert [b.name for b in doc.plan.meta.baselines] == ["Baseline 1"]
    assert view.baseline_combo.currentText() == "Baseline 1"
    assert set(view.scene.ghosts) == {w.id for w in doc.plan.schedule.waves}
    wave = doc.plan.schedule.wave("wave-02")
    ghost_x = view.scene.ghosts["wave-02"].rect().left()
    assert ghost_x == view.scene.bars["wave-02"].rect().left()

    doc.execute(RescheduleWave("wave-02", wave.start + timedelta(30), wave.end + timedelta(30)))
    assert view.scene.ghosts["wave-02"].rect().left() == ghost_x
    assert view.scene.bars["wave-02"].rect().left() > ghost_x
    assert "Baseline 1" in view.scene.ghosts["wave-02"].toolTip()

    view.show_baseline(None)
    assert view.scene.ghosts == {}
    view.show_baseline("Baseline 1")
    assert len(view.scene.ghosts) == 3
    doc.undo_stack.undo()  # the reschedule
    doc.undo_stack.undo()  # the baseline
    assert doc.plan.meta.baselines == []
    assert view.baseline_combo.currentText() == "No baseline" and view.scene.ghosts == {}


def test_gantt_milestones_show_namespace_and_mesh_wide_strict_dates(qtbot: QtBot) -> None:
    plan = coverage_plan()
    for key in plan.unassigned():
        plan.schedule.assign(key, "wave-03")
    doc, view = open_gantt(qtbot, plan)
    last_end = max(w.end for w in doc.plan.schedule.waves)
    assert view.live.milestone == last_end
    assert view.scene.strict_line is not None and view.scene.strict_line.day == last_end
    dated = {d.date for d in view.live.strict_dates.values() if d.date and not d.already}
    shown = {m.day for m in view.scene.milestones if not m.mesh_wide}
    assert shown == dated and shown
    wave = doc.plan.schedule.wave("wave-03")
    doc.execute(RescheduleWave("wave-03", wave.start, wave.end + timedelta(14)))

    assert view.live.milestone == last_end + timedelta(14)
    assert view.scene.strict_line.day == last_end + timedelta(14)


def test_gantt_today_line_and_coverage_strip(qtbot: QtBot) -> None:
    doc, view = open_gantt(qtbot, coverage_plan())
    line = view.scene.today_line
    assert line is not None and line.rect().left() == view.scene.axis.x_of(view.scene.today)
    shares = view.canvas.coverage.workloads_share()
    assert len(shares) == doc.plan.assumptions.horizon_months
    assert shares == sorted(shares) and 0.0 <= shares[0] < shares[-1] <= 1.0
