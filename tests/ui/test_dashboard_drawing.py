"""The dashboard's charts are drawn in the chart worker, or here a step a turn of the
event loop: only those on screen, the newest data only, and only the charts an edit
changes; drawn in the worker or in steps, they end as drawn here at once. A worker that
fails leaves the charts to be drawn here."""

from __future__ import annotations

import dataclasses
import itertools
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from tests.ui.dashboard_support import SCREEN, dashboard_for, playbook_case, sample_document
from workbench.charts.chart_data import ChartData, same
from workbench.charts.formats import money
from workbench.domain.economics.model import BasisCache
from workbench.domain.economics.sensitivity import TornadoBar
from workbench.domain.plan import Plan
from workbench.io.plan_file import load_plan
from workbench.ops.economics import EconomicsReport, compute
from workbench.ui.dashboard import chart_renderer
from workbench.ui.dashboard.charts_panel import COMPUTING, ChartsPanel
from workbench.ui.dashboard.dashboard import EconomicsDashboard
from workbench.ui.stepwise_import import StepwiseImport

DRAWN = (
    "cashflow",
    "cost_breakdown",
    "tornado",
    "overhead",
    "sidecar_vs_ambient",
)  # no Monte Carlo here


WHERE = pytest.mark.parametrize("in_worker", [True, False], ids=["worker", "here"])


@contextmanager
def shown_dashboard(
    qtbot: QtBot, sample_plan_path: Path, in_worker: bool = True
) -> Iterator[EconomicsDashboard]:
    """The sample plan's dashboard on screen, its charts drawn (in the worker or here)."""
    with dashboard_for(qtbot, sample_document(sample_plan_path)) as dashboard:
        dashboard.charts.in_worker = in_worker
        dashboard.resize(*SCREEN)
        dashboard.show()
        qtbot.waitExposed(dashboard)
        settle(qtbot, dashboard.charts)
        yield dashboard


def settle(qtbot: QtBot, charts: ChartsPanel) -> None:
    qtbot.waitUntil(lambda: not charts.pending, timeout=20_000)
    qtbot.wait(2 * 150)  # a resize debounce that may have started meanwhile
    qtbot.waitUntil(lambda: not charts.pending, timeout=20_000)


def counts(charts: ChartsPanel) -> dict[str, int]:
    """Pictures drawn of each chart, here or in the worker."""
    return {key: slot.pictures for key, slot in charts.slots.items()}


def legend_texts(charts: ChartsPanel, key: str) -> list[str]:
    return [
        t.get_text()
        for ax in charts.figure(key).axes
        if ax.get_legend() is not None
        for t in ax.get_legend().get_texts()
    ]


def test_each_turn_builds_or_renders_one_chart_at_most(
    qtbot: QtBot, sample_plan_path: Path
) -> None:
    with shown_dashboard(qtbot, sample_plan_path, in_worker=False) as dashboard:
        charts = dashboard.charts
        for slot in charts.slots.values():
            slot.restyle()  # as a theme change does: every chart again
        steps = 0
        work = [sum(s.builds + s.renders for s in charts.slots.values())]
        while charts.draw_next():
            steps += 1
            work.append(sum(s.builds + s.renders for s in charts.slots.values()))
        assert [b - a for a, b in itertools.pairwise(work)] == [1] * steps
        assert steps == 2 * len(DRAWN)  # each chart: built, then rendered
        assert not charts.pending


@WHERE
def test_a_chart_drawn_in_the_worker_or_in_steps_ends_as_drawn_here_at_once(
    qtbot: QtBot, sample_plan_path: Path, in_worker: bool
) -> None:
    with shown_dashboard(qtbot, sample_plan_path, in_worker) as dashboard:
        slots = dashboard.charts.slots
        drawn = {key: slots[key].picture for key in DRAWN}
        for key, picture in drawn.items():
            slot = slots[key]
            assert picture is not None, key
            assert (slot.received, slot.renders > 0) == ((1, False) if in_worker else (0, True))
            assert picture.size() == slot.size(), key  # laid out for its room
            slot.rebuild()
            assert slot.picture == picture, key  # the same pixels


def test_the_window_loads_no_plotting_library_while_the_worker_draws(
    qtbot: QtBot, sample_plan_path: Path
) -> None:
    import subprocess

    script = (
        "import os, sys\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from workbench.ui.dashboard.charts_panel import ChartsPanel\n"
        "from workbench.ops.economics import compute\n"
        "from workbench.io.plan_file import load_plan\n"
        "if __name__ == '__main__':\n"
        "    app = QApplication([])\n"
        "    panel = ChartsPanel(); panel.resize(1500, 600); panel.show()\n"
        f"    panel.show_report(compute(load_plan({str(sample_plan_path)!r})))\n"
        "    while panel.pending: app.processEvents()\n"
        "    assert all(s.received for k, s in panel.slots.items() if k != 'montecarlo')\n"
        "    print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


@contextmanager
def shown_panel(
    qtbot: QtBot, plan: Plan, cache: BasisCache, in_worker: bool = True
) -> Iterator[ChartsPanel]:
    """The charts alone, on screen at a fixed size, showing ``plan``'s figures."""
    panel = ChartsPanel(in_worker=in_worker)
    qtbot.addWidget(panel)
    panel.resize(1500, 600)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_report(compute(plan, cache=cache))
    settle(qtbot, panel)
    yield panel


def at_rate(plan: Plan, rate: float, cache: BasisCache) -> EconomicsReport:
    plan.assumptions.discount_rate = rate
    return compute(plan, cache=cache)


@WHERE
def test_rapid_edits_draw_only_the_latest_and_only_the_charts_they_change(
    qtbot: QtBot, sample_plan_path: Path, in_worker: bool
) -> None:
    plan = playbook_case(load_plan(sample_plan_path))
    cache = BasisCache()  # as the dashboard's: the basis stays while the schedule does
    with shown_panel(qtbot, plan, cache, in_worker) as charts:
        before = counts(charts)
        for rate in (0.12, 0.14, 0.11):  # faster than the charts are drawn
            charts.show_report(at_rate(plan, rate, cache))
        assert counts(charts) == before  # nothing drawn yet: a turn each
        settle(qtbot, charts)
        after = counts(charts)
        assert after["tornado"] == before["tornado"] + 1  # once, for the last rate
        report = charts.report
        assert report is not None and report.assumptions.discount_rate == 0.11
        assert f"base NPV {money(report.metrics.npv)}" in legend_texts(charts, "tornado")
        for key in ("cashflow", "cost_breakdown", "overhead", "sidecar_vs_ambient"):
            assert after[key] == before[key], f"{key} does not depend on the discount rate"
        charts.show_report(at_rate(plan, 0.11, cache))  # the same figures again
        assert not charts.pending


@WHERE
def test_charts_off_screen_wait_until_they_are_shown(
    qtbot: QtBot, sample_plan_path: Path, in_worker: bool
) -> None:
    plan = playbook_case(load_plan(sample_plan_path))
    cache = BasisCache()
    with shown_panel(qtbot, plan, cache, in_worker) as charts:
        before = counts(charts)
        charts.hide()
        charts.show_report(at_rate(plan, 0.2, cache))
        qtbot.wait(400)
        assert counts(charts) == before
        assert not charts.draw_next()  # nothing to do off screen
        charts.show()
        qtbot.waitExposed(charts)
        settle(qtbot, charts)
        assert counts(charts)["tornado"] == before["tornado"] + 1
        report = charts.report
        assert report is not None
        assert f"base NPV {money(report.metrics.npv)}" in legend_texts(charts, "tornado")


@WHERE
def test_an_edit_redraws_only_the_charts_it_moves_and_its_deltas_move_no_chart(
    qtbot: QtBot, sample_plan_path: Path, in_worker: bool
) -> None:
    with shown_dashboard(qtbot, sample_plan_path, in_worker) as dashboard:
        charts = dashboard.charts
        before, tiles = counts(charts), dashboard.tiles.geometry()
        report = dashboard.recompute.report
        dashboard.editor.fields["discount_rate"].set_text("14%")
        qtbot.waitUntil(lambda: dashboard.recompute.report is not report, timeout=5_000)
        assert dashboard.tiles.tile("npv").delta_text()  # the tiles show what moved
        settle(qtbot, charts)
        assert dashboard.tiles.geometry() == tiles
        assert counts(charts) == before | {"tornado": before["tornado"] + 1}


@WHERE
def test_a_resized_chart_is_laid_out_again_once_the_resizing_stops(
    qtbot: QtBot, sample_plan_path: Path, in_worker: bool
) -> None:
    with shown_dashboard(qtbot, sample_plan_path, in_worker) as dashboard:
        slot = dashboard.charts.slots["cashflow"]
        before = slot.pictures
        dashboard.resize(SCREEN[0] - 300, SCREEN[1] - 200)
        qtbot.wait(20)
        assert slot.pictures == before  # the old picture, stretched, while resizing
        settle(qtbot, dashboard.charts)
        assert slot.pictures == before + 1
        assert slot.picture is not None and slot.picture.size() == slot.size()


def test_charts_say_computing_until_the_first_figures(qtbot: QtBot, sample_plan_path: Path) -> None:
    dashboard = EconomicsDashboard(sample_document(sample_plan_path), with_monte_carlo=False)
    qtbot.addWidget(dashboard)
    try:
        dashboard.resize(*SCREEN)
        dashboard.show()  # no turn of the event loop yet: nothing computed
        slot = dashboard.charts.slots["cashflow"]
        assert slot.picture is None and slot.pictures == slot.builds == 0  # painted by Qt
        image = slot.grab().toImage()
        ink = {image.pixel(x, y) for x in range(0, image.width(), 3) for y in range(0, 60, 2)}
        assert len(ink) > 2, "the title is not painted"
        texts = [t.get_text() for ax in slot.figure.axes for t in ax.texts]  # asked for: built
        assert texts == [COMPUTING]
        qtbot.waitUntil(lambda: dashboard.charts.report is not None, timeout=20_000)
        settle(qtbot, dashboard.charts)
        assert slot.picture is not None
        assert [t.get_text() for ax in slot.figure.axes for t in ax.texts] != [COMPUTING]
    finally:
        dashboard.recompute.shutdown()
        dashboard.document.undo_stack.setClean()
        dashboard.document.undo_stack.clear()


def test_the_plotting_library_loads_a_module_a_step(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("colorsys", "wave"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    loading = StepwiseImport(("colorsys", "no_such_module_anywhere", "wave"))
    loading.step()
    assert "colorsys" in sys.modules and "wave" not in sys.modules
    loading.step()  # a module another matplotlib version lacks is skipped
    assert not loading.done
    loading.step()
    assert "wave" in sys.modules and loading.done
    with pytest.raises(ImportError):  # the last one, the figures, must load
        StepwiseImport(("colorsys", "no_such_module_anywhere")).finish()


def test_chart_data_compares_by_value_arrays_by_content() -> None:
    row = (np.arange(3.0), [1.0, 2.0], {"a": np.ones(2)}, "USD")
    assert same(row, (np.arange(3.0), [1.0, 2.0], {"a": np.ones(2)}, "USD"))
    assert not same(row, (np.arange(3.0) + 1, [1.0, 2.0], {"a": np.ones(2)}, "USD"))
    assert not same(np.zeros(2), np.zeros(3)) and not same(np.zeros(2), [0.0, 0.0])
    bar = TornadoBar("Velocity", None, 1.0, 2.0, 3.0, 0.7, 1.3)
    assert same([bar], [dataclasses.replace(bar)])
    assert not same([bar], [dataclasses.replace(bar, npv_high=3.5)])
    chart = ChartData("tornado", ([bar], 5.0), {"currency": "USD"})
    assert chart.same_as(
        ChartData("tornado", ([dataclasses.replace(bar)], 5.0), {"currency": "USD"})
    )
    assert not chart.same_as(ChartData("tornado", ([bar], 5.0), {"currency": "EUR"}))
    assert not chart.same_as(ChartData("cashflow", ([bar], 5.0), {"currency": "USD"}))
    assert not chart.same_as(None)


def test_pixels_drawn_for_older_data_are_dropped(qtbot: QtBot, sample_plan_path: Path) -> None:
    plan = playbook_case(load_plan(sample_plan_path))
    cache = BasisCache()
    with shown_panel(qtbot, plan, cache) as charts:
        slot = charts.slots["tornado"]
        charts.show_report(at_rate(plan, 0.13, cache))
        qtbot.waitUntil(lambda: charts._in_flight is slot, timeout=5_000)
        received = slot.received
        charts.show_report(at_rate(plan, 0.09, cache))  # while 13% is being drawn
        settle(qtbot, charts)
        assert slot.received == received + 1  # the 13% picture never shown
        shown = slot.picture
        slot.rebuild()  # here, now, from the newest data
        assert slot.picture == shown
        assert f"base NPV {money(at_rate(plan, 0.09, cache).metrics.npv)}" in legend_texts(
            charts, "tornado"
        )


def test_a_failing_chart_worker_leaves_the_charts_to_be_drawn_here(
    qtbot: QtBot, sample_plan_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        chart_renderer, "RENDER_CHART", "workbench.ops.dashboard_charts:no_such_function"
    )
    plan = playbook_case(load_plan(sample_plan_path))
    with shown_panel(qtbot, plan, BasisCache()) as charts:
        assert not charts.in_worker
        assert charts.worker_error is not None and "no such function" in charts.worker_error
        for key in DRAWN:
            slot = charts.slots[key]
            assert slot.picture is not None and slot.renders == 1 and slot.received == 0, key
