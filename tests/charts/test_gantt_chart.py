"""The Gantt chart: a bar per phase, activity and wave at its dates; today; milestones."""

from __future__ import annotations

from datetime import date, timedelta

import matplotlib.dates as mdates
import pytest
from matplotlib.collections import PathCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from tests.charts.support import by_gid, by_gid_prefix, texts
from workbench.charts.gantt import gantt_figure, gantt_rows
from workbench.domain.plan import Plan
from workbench.domain.schedule import Activity, Phase, Schedule, Wave


def _num(d: date) -> float:
    return float(mdates.date2num(d))


def _schedule() -> Schedule:
    s = Schedule()
    s.phases += [
        Phase("pilot", "Pilot", date(2027, 1, 1), date(2027, 3, 31)),
        Phase("core", "Core", date(2027, 4, 1), date(2027, 8, 31)),
    ]
    s.activities.append(
        Activity("install", "Install Istio", "pilot", date(2027, 1, 4), date(2027, 1, 29))
    )
    s.insert_wave(
        Wave("wave-01", "first", "pilot", date(2027, 2, 1), date(2027, 2, 26), members=["a"])
    )
    s.insert_wave(
        Wave(
            "wave-02",
            "second",
            "core",
            date(2027, 4, 5),
            date(2027, 5, 28),
            mode="ambient",
            mtls="STRICT",
            members=["b", "c"],
        )
    )
    s.insert_wave(Wave("wave-09", "stray", "nowhere", date(2027, 6, 1), date(2027, 6, 4)))
    return s


def test_every_item_is_a_bar_spanning_its_days() -> None:
    s = _schedule()
    fig = gantt_figure(s)
    for kind, items in (("phase", s.phases), ("activity", s.activities), ("wave", s.waves)):
        for item in items:
            (bar,) = by_gid(fig, f"{kind}:{item.id}")
            assert isinstance(bar, Rectangle)
            assert bar.get_x() == pytest.approx(_num(item.start))
            assert bar.get_width() == pytest.approx((item.end - item.start).days + 1)


def test_rows_group_by_phase_and_put_unknown_phases_last() -> None:
    rows = gantt_rows(_schedule())
    kinds = [(k, i) for k, i, _ in rows]
    assert kinds == [
        ("phase", "pilot"),
        ("activity", "install"),
        ("wave", "wave-01"),
        ("phase", "core"),
        ("wave", "wave-02"),
        ("phase", ""),
        ("wave", "wave-09"),
    ]
    fig = gantt_figure(_schedule())
    (bar,) = by_gid(fig, "wave:wave-09")
    assert isinstance(bar, Rectangle)
    assert bar.get_y() + bar.get_height() / 2 == pytest.approx(len(rows) - 1)


def test_waves_show_mode_strict_target_and_violations() -> None:
    fig = gantt_figure(_schedule(), violations={"wave-02": 3})
    (w1,) = by_gid(fig, "wave:wave-01")
    (w2,) = by_gid(fig, "wave:wave-02")
    assert isinstance(w1, Rectangle) and isinstance(w2, Rectangle)
    assert w1.get_facecolor() != w2.get_facecolor()  # sidecar vs ambient
    assert w2.get_linewidth() > w1.get_linewidth()  # STRICT outline
    assert by_gid(fig, "violation:wave-02") and not by_gid(fig, "violation:wave-01")
    assert "2 workloads · STRICT" in texts(fig)


def test_today_line_and_strict_milestones() -> None:
    today = date(2027, 3, 15)
    strict = {"c1/a": date(2027, 3, 1), "c1/b": date(2027, 6, 10), "c1/c": None}
    fig = gantt_figure(
        _schedule(), today=today, namespace_strict=strict, mesh_strict=date(2027, 6, 10)
    )
    (line,) = by_gid(fig, "today")
    assert isinstance(line, Line2D)
    assert line.get_xdata()[0] == pytest.approx(_num(today))
    (diamonds,) = by_gid(fig, "strict-namespaces")
    assert isinstance(diamonds, PathCollection)
    xs = sorted(float(x) for x, _ in diamonds.get_offsets())
    assert xs == [pytest.approx(_num(date(2027, 3, 1))), pytest.approx(_num(date(2027, 6, 10)))]
    (star,) = by_gid(fig, "strict-mesh")
    assert isinstance(star, PathCollection)
    assert float(star.get_offsets()[0][0]) == pytest.approx(_num(date(2027, 6, 10)))
    assert "STRICT milestones" in texts(fig)


def test_today_outside_the_schedule_is_not_drawn_and_does_not_stretch_the_axis() -> None:
    s = _schedule()
    fig = gantt_figure(s, today=date(2031, 1, 1))
    assert not by_gid(fig, "today")
    _lo, hi = fig.axes[0].get_xlim()
    assert hi < _num(date(2028, 1, 1))


def test_empty_schedule_says_so() -> None:
    fig = gantt_figure(Schedule())
    assert "Nothing scheduled yet" in texts(fig)
    assert not by_gid_prefix(fig, "wave:")


def test_sample_plan_gantt_has_all_waves(sample: Plan) -> None:
    fig = gantt_figure(sample.schedule, today=sample.schedule.waves[0].start + timedelta(days=3))
    assert len(by_gid_prefix(fig, "wave:")) == len(sample.schedule.waves)
    assert len(by_gid_prefix(fig, "activity:")) == len(sample.schedule.activities)
    assert by_gid(fig, "today")
