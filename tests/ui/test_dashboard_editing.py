"""Editing the business case on the dashboard: tiles follow, undo restores, bad input refused."""

from __future__ import annotations

import copy
from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.ui.dashboard_support import dashboard_for, sample_document, tile
from workbench.charts.style import money, percent
from workbench.domain.assumptions import overhead_profile
from workbench.domain.economics.model import BasisCache
from workbench.domain.plan import Plan
from workbench.ops.economics import compute
from workbench.ui.dashboard.dashboard import EconomicsDashboard


def expected_npv(plan: Plan) -> str:
    return money(compute(plan, cache=BasisCache()).metrics.npv)


def row_of(dashboard: EconomicsDashboard, name: str) -> int:
    return dashboard.editor.cost_lines.names().index(name)


def test_dashboard_assumption_edit_updates_tiles_and_undo_restores(
    qtbot: QtBot, sample_plan_path: Path
) -> None:
    document = sample_document(sample_plan_path)
    with dashboard_for(qtbot, document) as dashboard:
        before = {key: tile(dashboard, key) for key in dashboard.tiles.tiles}
        assert before["cost"] == "$7.05M" and before["benefit"] == "$16.5M"
        assert before["roi"] == "134%"
        original = copy.deepcopy(document.plan)

        dashboard.editor.fields["discount_rate"].set_text("20%")
        assert document.plan.assumptions.discount_rate == 0.20
        # the tiles follow on their own once the debounce has run
        qtbot.waitUntil(lambda: tile(dashboard, "npv") != before["npv"], timeout=2000)
        assert tile(dashboard, "npv") == expected_npv(document.plan)
        assert dashboard.tiles.tile("npv").delta_text().startswith("▼")  # NPV fell
        assert tile(dashboard, "cost") == before["cost"]

        dashboard.editor.fields["discount_rate"].set_text("25")  # merges into one step
        assert document.undo_stack.count() == 1
        document.undo_stack.undo()
        assert document.plan == original
        dashboard.refresh_now()
        assert {key: tile(dashboard, key) for key in dashboard.tiles.tiles} == before
        assert dashboard.editor.fields["discount_rate"].text() == "10%"


def test_dashboard_cost_line_amount_edit_moves_cost_tile(
    qtbot: QtBot, sample_plan_path: Path
) -> None:
    document = sample_document(sample_plan_path)
    with dashboard_for(qtbot, document) as dashboard:
        table = dashboard.editor.cost_lines
        table.set_cell(row_of(dashboard, "Training"), 2, "$250k")  # annual 100K -> 250K
        dashboard.refresh_now()
        assert tile(dashboard, "cost") == money(7_050_000 + 3 * 150_000)
        assert dashboard.tiles.tile("cost").delta_text() == "▲ $450K"
        assert "annual $1.8M" in table.total.text()
        document.undo_stack.undo()
        dashboard.refresh_now()
        assert tile(dashboard, "cost") == "$7.05M"
        assert table.table.item(row_of(dashboard, "Training"), 2).text() == "100,000"


def test_dashboard_add_and_remove_cost_line(qtbot: QtBot, sample_plan_path: Path) -> None:
    document = sample_document(sample_plan_path)
    with dashboard_for(qtbot, document) as dashboard:
        table = dashboard.editor.cost_lines
        original = copy.deepcopy(document.plan)
        table.add_button.click()
        assert table.names()[-1] == "New cost line"
        assert document.plan.assumptions.cost_lines[-1].name == "New cost line"
        table.add_button.click()
        assert table.names()[-1] == "New cost line 2"

        row = table.names().index("New cost line")
        table.set_cell(row, 0, "Service mesh support")
        table.set_cell(row, 1, "1.2M")
        dashboard.refresh_now()
        assert tile(dashboard, "cost") == "$8.25M"

        table.table.selectRow(table.names().index("Service mesh support"))
        table.remove_button.click()
        dashboard.refresh_now()
        assert "Service mesh support" not in table.names()
        assert tile(dashboard, "cost") == "$7.05M"

        while document.undo_stack.canUndo():
            document.undo_stack.undo()
        assert document.plan == original
        assert table.names() == [c.name for c in original.assumptions.cost_lines]


def test_dashboard_rejects_invalid_input_and_changes_nothing(
    qtbot: QtBot, sample_plan_path: Path
) -> None:
    document = sample_document(sample_plan_path)
    with dashboard_for(qtbot, document) as dashboard:
        editor = dashboard.editor
        original = copy.deepcopy(document.plan)
        cost = tile(dashboard, "cost")
        cases = [
            ("discount_rate", "abc", "Discount rate: 'abc' is not a number"),
            ("discount_rate", "-150%", "Discount rate: must be above -100%"),
            ("horizon_months", "0", "Horizon: must be at least 1 and at most 600"),
            ("horizon_months", "12.5", "Horizon: must be a whole number"),
            ("risk_adjustment", "100%", "Risk adjustment: must be at least 0% and below 100%"),
            ("prices.vcpu_hour", "", "vCPU: enter a number"),
            ("overhead.sidecar_memory_request_bytes", "-1", "must be at least 0"),
        ]
        for path, text, message in cases:
            field = editor.fields[path]
            field.set_text(text)
            assert message in editor.error.text(), (path, text, editor.error.text())
            assert editor.error.isVisibleTo(dashboard)
            assert field.error  # the field itself is marked
            assert field.text() == field.shown and field.text() != text  # the last valid value
            assert f"kept {field.shown}" in editor.error.text()
        table = editor.cost_lines
        training = row_of(dashboard, "Training")
        before = table.table.item(training, 2).text()
        table.set_cell(training, 2, "-5000abc")
        assert "Training, annual: '-5000abc' is not a number" in editor.error.text()
        assert table.table.item(training, 2).text() == before  # reverted at once
        assert f"kept {before}" in editor.error.text()
        table.set_cell(training, 2, "-5")
        assert "Training, annual: must be at least 0" in editor.error.text()
        assert table.table.item(training, 2).text() == before
        table.set_cell(training, 0, "Platform Team")
        assert "already a cost line named 'Platform Team'" in editor.error.text()
        assert table.table.item(training, 0).text() == "Training"  # the cell shows the plan
        table.set_cell(training, 0, "Train[ing]")
        assert "cannot contain" in editor.error.text()

        assert document.plan == original
        assert document.undo_stack.count() == 0
        dashboard.refresh_now()
        assert tile(dashboard, "cost") == cost

        editor.fields["discount_rate"].set_text("8%")  # a valid edit clears the message
        assert not editor.error.isVisibleTo(dashboard)
        assert not editor.fields["discount_rate"].error


def test_dashboard_scenario_override_is_read_only(qtbot: QtBot, sample_plan_path: Path) -> None:
    document = sample_document(sample_plan_path)
    with dashboard_for(qtbot, document) as dashboard:
        ramp = dashboard.editor.fields["ramp.kind"]
        assert document.plan.active_scenario == "playbook"
        assert ramp.combo is not None and not ramp.combo.isEnabled()
        assert "playbook" in ramp.toolTip()
        dashboard.scenarios.choose(None)
        assert ramp.combo.isEnabled()


def test_dashboard_overhead_profile_switch_is_one_undo_step(
    qtbot: QtBot, sample_plan_path: Path
) -> None:
    document = sample_document(sample_plan_path)
    with dashboard_for(qtbot, document) as dashboard:
        editor = dashboard.editor
        assert editor.profile.currentText() == "seed-playbook"
        before = tile(dashboard, "overhead")
        editor.choose_profile("istio-defaults")
        assert document.plan.assumptions.overhead == overhead_profile("istio-defaults")
        assert editor.fields["overhead.sidecar_cpu_request_m"].text() == "100"
        dashboard.refresh_now()
        after = tile(dashboard, "overhead")
        assert after != before
        assert dashboard.tiles.tile("overhead").delta_text().startswith("▼")
        # values that match a built-in profile are named after it
        editor.fields["overhead.sidecar_cpu_request_m"].set_text("200")
        assert document.plan.assumptions.overhead.name == "seed-playbook"
        editor.fields["overhead.istiod_replicas"].set_text("3")
        assert document.plan.assumptions.overhead.name == "custom"
        assert editor.profile.currentText() == "custom"
        for _ in range(3):
            document.undo_stack.undo()
        assert document.plan.assumptions.overhead == overhead_profile("seed-playbook")
        dashboard.refresh_now()
        assert tile(dashboard, "overhead") == before
        assert tile(dashboard, "roi") == percent(
            compute(document.plan, cache=BasisCache()).metrics.roi
        )
