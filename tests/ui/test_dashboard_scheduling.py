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


def _estate_checked_in_the_worker(window: MainWindow, tmp_path: Path) -> Path:
    """A saved 300-workload plan with an estate business case, which the window will
    have checked in its worker process."""
    plan = generate_plan(300, 2, 9)
    plan.assumptions.case = "estate"
    path = tmp_path / "estate.meshplan"
    save_plan(plan, path)
    window.document.analysis.process_workloads = 100  # checked in the worker process
    return path


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
    path = _estate_checked_in_the_worker(window, tmp_path)
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
    path = _estate_checked_in_the_worker(window, tmp_path)
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


def test_a_basis_that_had_to_be_built_leaves_the_figures_to_the_next_turn(
    qtbot: QtBot, window: MainWindow, plan_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The headline figures come a turn after the basis they rest on was built, equal to
    those computed at once; an edit between the two turns drops the older figures."""
    from PySide6.QtCore import QTimer

    from workbench.ui.dashboard import recompute

    monkeypatch.setattr(recompute, "SHARED_TURN_S", -1.0)  # every basis counts as built
    dashboard = _shown_on(qtbot, window, "economics")
    window.open_plan(plan_path)
    qtbot.waitUntil(lambda: not dashboard.recompute.pending, timeout=10_000)
    cache = dashboard.recompute.cache
    built = cache.basis
    wave = window.document.plan.schedule.waves[0]
    edits = [RenameWave(wave.id, "Edited between the turns")]
    turns: list[int] = []
    basis_turns: list[int] = []
    edited: list[int] = []

    def basis(*args: object, **kwargs: object) -> object:
        basis_turns.append(len(turns))
        if edits:  # the user edits before the figures' turn comes
            QTimer.singleShot(0, lambda: (edited.append(len(turns)), window.execute(edits.pop())))
        return built(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cache, "basis", basis)
    snapshots: list[tuple[int, object]] = []
    dashboard.recompute.kpis_ready.connect(lambda s: snapshots.append((len(turns), s)))
    ticker = QTimer()
    ticker.timeout.connect(lambda: turns.append(1))
    ticker.start(0)
    window.execute(SetWaveTargets(wave.id, mtls="STRICT"))
    qtbot.waitUntil(lambda: not edits and not dashboard.recompute.pending, timeout=10_000)
    qtbot.wait(50)
    ticker.stop()
    assert len(snapshots) == 1  # the figures of the plan before the second edit never came
    after_edit = min(t for t in basis_turns if t >= edited[0])
    assert snapshots[0][0] > after_edit  # a turn after the basis was built
    assert snapshots[0][1] == dashboard.recompute.refresh_kpis()  # the same as at once
