"""The Gantt time axis: positions, snapping and ticks (no widgets involved)."""

from __future__ import annotations

from datetime import date, timedelta

from tests.ui.plans import build_plan
from workbench.ui.gantt.layout import layout_rows
from workbench.ui.gantt.time_axis import TimeAxis, Zoom


def test_gantt_axis_maps_dates_both_ways_and_snaps() -> None:
    axis = TimeAxis(date(2027, 1, 1), Zoom.WEEKS)
    assert axis.x_of(date(2027, 1, 11)) == 10 * axis.px_per_day
    assert axis.date_at(axis.x_of(date(2027, 3, 5)) + 1) == date(2027, 3, 5)
    assert axis.end_x(date(2027, 1, 1)) == axis.px_per_day
    assert axis.days_for(2.6 * axis.px_per_day) == 3
    weekly = TimeAxis(date(2027, 1, 1), Zoom.QUARTERS)
    assert weekly.days_for(9 * weekly.px_per_day) == 7
    assert weekly.days_for(2 * weekly.px_per_day) == 0
    assert weekly.snap_date(date(2027, 1, 6)).weekday() == 0
    assert TimeAxis(date(2027, 1, 1), Zoom.QUARTERS, snap=1).days_for(2 * weekly.px_per_day) == 2


def test_gantt_axis_ticks_per_zoom_level() -> None:
    first, last = date(2027, 1, 15), date(2028, 2, 10)
    weeks = TimeAxis(first, Zoom.WEEKS).minor_ticks(first, last)
    assert all(t.day.weekday() == 0 for t in weeks)
    assert weeks[1].day - weeks[0].day == timedelta(weeks=1)
    months = TimeAxis(first, Zoom.MONTHS).minor_ticks(first, last)
    assert [t.label for t in months[:3]] == ["Jan", "Feb", "Mar"] and len(months) == 14
    quarters = TimeAxis(first, Zoom.QUARTERS).minor_ticks(first, last)
    assert [t.label for t in quarters] == ["Q1", "Q2", "Q3", "Q4", "Q1"]
    years = TimeAxis(first, Zoom.QUARTERS).major_ticks(first, last)
    assert [t.label for t in years] == ["2027", "2028"]
    assert TimeAxis(first, Zoom.WEEKS).major_ticks(first, last)[0].label == "January 2027"


def test_gantt_rows_group_by_phase_and_list_members_only_when_expanded() -> None:
    plan = build_plan(60)
    rows = layout_rows(plan, set())
    kinds = [r.kind for r in rows.rows]
    assert kinds[0] == "milestones" and kinds.count("phase") == 4
    assert "member" not in kinds
    assert [r.key for r in rows.rows if r.kind == "wave"] == ["wave-01", "wave-02", "wave-03"]
    open_ = layout_rows(plan, {"wave-02"})
    members = [r.key for r in open_.rows if r.kind == "member"]
    assert members == plan.schedule.wave("wave-02").members
    assert open_.row_at(open_.waves["wave-03"].centre) == open_.waves["wave-03"]
    assert all(a.bottom == b.top for a, b in zip(open_.rows, open_.rows[1:], strict=False))
