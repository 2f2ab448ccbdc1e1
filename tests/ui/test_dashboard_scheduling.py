"""The dashboard computes only while shown, and a large plan's first business case
takes its readiness classes from the background check instead of the window's thread."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from workbench.domain.commands import RenameWave, SetWaveTargets
from workbench.domain.economics import model
from workbench.io.plan_file import save_plan
from workbench.ops.generate import generate_plan
from workbench.ui.dashboard.dashboard import EconomicsDashboard
from workbench.ui.dashboard.recompute import WAITING_FOR_FINDINGS
from workbench.ui.main_window import MainWindow


def _shown_on(qtbot: QtBot, window: MainWindow, view_id: str) -> EconomicsDashboard:
    """The window on screen at ``view_id``; its economics dashboard."""
    window.show()
    qtbot.waitExposed(window)
    window.show_view(view_id)
    dashboard = window.views["economics"]
    assert isinstance(dashboard, EconomicsDashboard)
    return dashboard


def test_a_hidden_dashboard_waits_until_shown(
    qtbot: QtBot, window: MainWindow, plan_path: Path
) -> None:
    dashboard = _shown_on(qtbot, window, "inventory")
    computed: list[object] = []
    dashboard.recompute.kpis_ready.connect(computed.append)
    dashboard.recompute.report_ready.connect(computed.append)
    window.open_plan(plan_path)
    wave = window.document.plan.schedule.waves[0]
    window.execute(RenameWave(wave.id, "Edited while the dashboard is hidden"))
    qtbot.wait(400)  # longer than both debounce delays
    assert computed == [] and dashboard.recompute.hidden
    window.show_view("economics")
    qtbot.waitUntil(lambda: len(computed) == 2, timeout=10_000)
    assert dashboard.recompute.snapshot is not None and dashboard.recompute.report is not None


def test_first_figures_of_a_large_plan_wait_for_the_background_findings(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def not_here(_plan: object) -> object:
        raise AssertionError("the readiness rules ran in the window's process")

    monkeypatch.setattr(model, "plan_readiness", not_here)
    plan = generate_plan(300, 2, 9)
    plan.assumptions.case = "estate"
    path = tmp_path / "estate.meshplan"
    save_plan(plan, path)
    window.document.analysis.process_workloads = 100  # checked in the worker process
    dashboard = _shown_on(qtbot, window, "economics")
    waits: list[str] = []
    dashboard.recompute.waiting.connect(waits.append)
    window.open_plan(path)
    assert window.document.analysis.remote
    qtbot.waitUntil(lambda: bool(waits), timeout=5_000)
    assert waits[0] == WAITING_FOR_FINDINGS
    assert dashboard.status.text() == WAITING_FOR_FINDINGS
    qtbot.waitUntil(lambda: dashboard.recompute.report is not None, timeout=60_000)
    assert waits[-1] == "" and dashboard.recompute.snapshot is not None
    report = dashboard.recompute.report
    assert any("Migration effort" in name for name in report.evaluation.inputs.cost_names)


def test_an_edit_that_changes_the_readiness_classes_waits_for_the_findings_again(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran: list[object] = []
    rules = model.plan_readiness
    monkeypatch.setattr(model, "plan_readiness", lambda plan: ran.append(plan) or rules(plan))
    plan = generate_plan(300, 2, 9)
    plan.assumptions.case = "estate"
    path = tmp_path / "estate.meshplan"
    save_plan(plan, path)
    window.document.analysis.process_workloads = 100  # checked in the worker process
    dashboard = _shown_on(qtbot, window, "economics")
    window.open_plan(path)
    recompute = dashboard.recompute
    qtbot.waitUntil(lambda: recompute.report is not None, timeout=60_000)
    waits: list[str] = []
    recompute.waiting.connect(waits.append)
    doc = window.document
    wave = next(w for w in doc.plan.schedule.waves if w.members)
    doc.execute(SetWaveTargets(wave.id, mode="ambient"))  # the ambient rules apply now
    recompute.refresh_kpis()  # what its timer does
    assert waits == [WAITING_FOR_FINDINGS]
    qtbot.waitUntil(lambda: waits[-1] == "" and not recompute.pending, timeout=60_000)
    assert recompute.snapshot is not None and ran == []
