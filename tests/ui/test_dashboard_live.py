"""The dashboard follows the plan: scenarios, wave moves, Monte Carlo, the comparison."""

from __future__ import annotations

import copy
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from tests.ui.dashboard_support import (
    cumulative_net,
    dashboard_for,
    payback_marker_x,
    sample_document,
    tile,
)
from workbench.charts.style import money
from workbench.domain.commands import AssignWorkloads, RescheduleWave, SetAssumption
from workbench.domain.commands_lines import SetActiveScenario
from workbench.domain.economics.model import BasisCache
from workbench.domain.economics.montecarlo import MonteCarloResult
from workbench.ops.economics import compute
from workbench.ops.generate import generate_plan
from workbench.ui.document import PlanDocument


def months(text: str) -> float:
    assert text.endswith(" mo"), text
    return float(text.removesuffix(" mo"))


def test_dashboard_scenario_switch_updates_charts_and_tiles(
    qtbot: QtBot, sample_plan_path: Path
) -> None:
    document = sample_document(sample_plan_path)
    with dashboard_for(qtbot, document) as dashboard:
        picker = dashboard.scenarios
        assert picker.combo.currentText() == "playbook"
        net_before = cumulative_net(dashboard.charts.figure("cashflow"))
        assert tile(dashboard, "payback") == "6.5 mo"
        assert payback_marker_x(dashboard.charts.figure("cashflow")) == pytest.approx(6.5, abs=0.05)

        index = picker.combo.findText("ramp-with-migration")
        picker.combo.setCurrentIndex(index)
        picker.combo.activated.emit(index)  # as a user picking it
        assert document.plan.active_scenario == "ramp-with-migration"
        dashboard.refresh_now()

        net_after = cumulative_net(dashboard.charts.figure("cashflow"))
        assert net_after.shape == net_before.shape
        assert not np.allclose(net_after, net_before)
        assert net_after[-1] < net_before[-1]  # benefits ramp up instead of starting in full
        expected = compute(document.plan, cache=BasisCache()).metrics
        assert expected.payback_months is not None
        assert 15.5 <= expected.payback_months <= 17
        assert tile(dashboard, "payback") == f"{expected.payback_months:.1f} mo"
        assert tile(dashboard, "roi") == f"{expected.roi * 100:.0f}%"  # type: ignore[operator]
        assert dashboard.tiles.tile("payback").delta_text().startswith("▲")
        assert payback_marker_x(dashboard.charts.figure("cashflow")) == pytest.approx(
            expected.payback_months
        )
        assert "linearly" in picker.description.text()

        document.undo_stack.undo()
        assert document.plan.active_scenario == "playbook"
        assert picker.combo.currentText() == "playbook"
        dashboard.refresh_now()
        np.testing.assert_allclose(cumulative_net(dashboard.charts.figure("cashflow")), net_before)
        assert tile(dashboard, "payback") == "6.5 mo"


def _coverage_document(sample_plan_path: Path) -> PlanDocument:
    """The sample plan on the coverage ramp, every workload in a wave."""
    document = sample_document(sample_plan_path)
    plan = document.plan
    assigned = plan.schedule.assigned()
    rest = sorted(k for k in plan.inventory.workloads if k not in assigned)
    document.execute(AssignWorkloads(rest, plan.schedule.waves[-1].id))
    document.execute(SetActiveScenario(None))
    document.execute(SetAssumption("ramp.kind", "coverage"))
    document.undo_stack.setClean()
    return document


def test_dashboard_wave_reschedule_moves_payback(qtbot: QtBot, sample_plan_path: Path) -> None:
    document = _coverage_document(sample_plan_path)
    with dashboard_for(qtbot, document) as dashboard:
        before = months(tile(dashboard, "payback"))
        steps = document.undo_stack.count()
        wave = document.plan.schedule.waves[-1]
        start, end = wave.start, wave.end
        # a drag: several moves of one wave, merged into one undo step
        for days in (20, 45, 90):
            document.execute(
                RescheduleWave(wave.id, start + timedelta(days), end + timedelta(days))
            )
        assert document.undo_stack.count() == steps + 1
        qtbot.waitUntil(lambda: months(tile(dashboard, "payback")) != before, timeout=2000)
        after = months(tile(dashboard, "payback"))
        assert after > before + 1.5  # three months later in the schedule: later payback
        expected = compute(document.plan, cache=BasisCache()).metrics.payback_months
        assert after == pytest.approx(expected, abs=0.05)
        delta = dashboard.tiles.tile("payback").delta_text()
        assert delta.startswith("▲ ") and delta.endswith(" mo")
        # the tiles show rounded months; the delta is rounded from the exact figures
        assert float(delta[2:-3]) == pytest.approx(after - before, abs=0.1 + 1e-9)
        qtbot.waitUntil(
            lambda: (
                payback_marker_x(dashboard.charts.figure("cashflow")) == pytest.approx(expected)
            ),
            timeout=3000,
        )

        document.undo_stack.undo()
        assert (wave.start, wave.end) == (start, end)
        dashboard.refresh_now()
        assert months(tile(dashboard, "payback")) == before


def test_dashboard_monte_carlo_runs_in_the_background(qtbot: QtBot, sample_plan_path: Path) -> None:
    document = sample_document(sample_plan_path)
    with dashboard_for(qtbot, document, with_monte_carlo=True) as dashboard:
        recompute = dashboard.recompute
        with qtbot.waitSignal(recompute.monte_carlo_ready, timeout=10_000) as blocker:
            pass
        result = blocker.args[0] if blocker.args else recompute.monte_carlo
        assert isinstance(result, MonteCarloResult)
        assert result.npv_p10 < result.npv_p50 < result.npv_p90
        figure = dashboard.charts.figure("montecarlo")
        p50 = [
            ln for ax in figure.axes for ln in ax.get_lines() if ln.get_gid() in ("P50", "npv:p50")
        ]
        assert p50 and float(np.asarray(p50[0].get_xdata())[0]) == pytest.approx(result.npv_p50)
        headline = dashboard.headline.text()
        assert money(result.npv_p50) in headline and money(result.npv_mean) in headline
        assert "deterministic" in headline and "below zero" in headline

        # an edit starts a new run; the result belongs to the edited plan
        document.execute(SetAssumption("benefit_lines[Incident Reduction].annual", 3_000_000.0))
        with qtbot.waitSignal(recompute.monte_carlo_ready, timeout=10_000):
            recompute.refresh_now()
        assert recompute.monte_carlo is not None
        assert recompute.monte_carlo.npv_p50 > result.npv_p50


def test_dashboard_scenario_comparison_side_by_side(qtbot: QtBot, sample_plan_path: Path) -> None:
    document = sample_document(sample_plan_path)
    with dashboard_for(qtbot, document) as dashboard:
        dialog = dashboard.scenarios.show_comparison()
        table = dialog.table
        assert table.columnCount() == 3
        headers = [table.horizontalHeaderItem(c).text() for c in range(3)]
        assert headers == ["Plan assumptions", "playbook\n(active)", "ramp-with-\nmigration"]
        header = table.horizontalHeader()
        for c, text in enumerate(headers):  # no scenario name is clipped
            widest = max(header.fontMetrics().horizontalAdvance(t) for t in text.split("\n"))
            assert header.sectionSize(c) >= widest, text
        assert table.cell_text("Total cost", "playbook") == "$7.05M"
        assert table.cell_text("Total benefit", "playbook") == "$16.5M"
        assert table.cell_text("ROI", "playbook") == "134%"
        ramp = compute(document.plan, "ramp-with-migration", cache=BasisCache()).metrics
        assert table.cell_text("Payback", "ramp-with-migration") == (
            f"{ramp.payback_months:.1f} months"
        )
        # the open comparison follows edits
        document.execute(SetAssumption("cost_lines[Training].one_time", 1_300_000.0))
        dashboard.refresh_now()
        assert table.cell_text("Total cost", "playbook") == "$8.05M"
        dialog.close()


def test_dashboard_follows_a_replaced_plan(qtbot: QtBot, sample_plan_path: Path) -> None:
    document = sample_document(sample_plan_path)
    with dashboard_for(qtbot, document) as dashboard:
        assert tile(dashboard, "cost") == "$7.05M"
        plan = generate_plan(60, 1, 3)
        plan.assumptions.cost_lines = plan.assumptions.cost_lines[:2]
        document.replace(plan, None)
        assert dashboard.scenarios.combo.currentText() == "Plan assumptions"
        assert not dashboard.scenarios.compare_button.isEnabled()
        assert dashboard.editor.cost_lines.names() == ["Tools & licences"]
        qtbot.waitUntil(lambda: tile(dashboard, "cost") != "$7.05M", timeout=2000)
        assert tile(dashboard, "cost") == money(
            compute(plan, cache=BasisCache()).metrics.total_cost
        )


def test_kpi_deltas_follow_edits_not_undo_or_redo(qtbot: QtBot, sample_plan_path: Path) -> None:
    document = sample_document(sample_plan_path)
    with dashboard_for(qtbot, document) as dashboard:
        cost = dashboard.tiles.tile("cost")
        npv = dashboard.tiles.tile("npv")
        assert cost.delta_text() == "" and npv.delta_text() == ""  # nothing to compare with
        before = tile(dashboard, "npv")
        # a bad edit: training costs ten times more
        training = next(c for c in document.plan.assumptions.cost_lines if c.name == "Training")
        document.execute(SetAssumption("cost_lines[Training].annual", training.annual * 10 + 1e5))
        dashboard.refresh_now()
        assert cost.delta_text().startswith("▲") and npv.delta_text().startswith("▼")
        assert "c8553d" in npv.delta.styleSheet()  # bad news in red

        document.undo_stack.undo()
        dashboard.refresh_now()
        assert tile(dashboard, "npv") == before
        # the figures are back where they were: no green "improvement" over the bad edit
        assert cost.delta_text() == "" and npv.delta_text() == ""

        document.undo_stack.redo()
        dashboard.refresh_now()
        assert npv.delta_text() == ""  # redo returns to a state already seen

        document.undo_stack.undo()
        dashboard.refresh_now()
        # a new edit compares with the state it starts from (the restored one)
        document.execute(SetAssumption("cost_lines[Training].annual", training.annual / 2))
        dashboard.refresh_now()
        assert cost.delta_text().startswith("▼") and npv.delta_text().startswith("▲")

        document.replace(copy.deepcopy(document.plan), None)  # another plan takes over
        dashboard.refresh_now()
        assert cost.delta_text() == "" and npv.delta_text() == ""
