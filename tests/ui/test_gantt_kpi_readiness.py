"""The business-case strip under the Gantt chart takes the readiness classes it prices from
the plan's findings: a plan checked in the background never runs the readiness rules in
the window, and the strip says it is waiting until the findings are in; a small plan's
figures are there at once. The strip and the dashboard share one basis cache."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from tests.ui.gantt_helpers import coverage_plan, open_gantt
from workbench.domain.commands import RescheduleWave, SetWaveTargets
from workbench.domain.economics import model
from workbench.domain.economics.model import BasisCache, readiness_from_findings
from workbench.domain.plan import Plan
from workbench.io.plan_file import save_plan
from workbench.ops.check import check_plan
from workbench.ops.economics import summary_keys
from workbench.ops.generate import generate_plan
from workbench.ui.dashboard.dashboard import EconomicsDashboard
from workbench.ui.economics_basis import WAITING_FOR_FINDINGS
from workbench.ui.gantt import GanttView
from workbench.ui.main_window import MainWindow

WAIT_MS = 120_000


def _counting(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[object]:
    """Calls of ``owner.name`` from now on (it still runs)."""
    calls: list[object] = []
    original: Callable[..., Any] = getattr(owner, name)

    def counted(*args: object) -> object:
        calls.append(args)
        return original(*args)

    monkeypatch.setattr(owner, name, counted)
    return calls


def _estate_case(workloads: int, seed: int) -> Plan:
    plan = generate_plan(workloads, 2, seed)
    plan.assumptions.case = "estate"  # prices effort and remediation by readiness class
    return plan


def _shift(plan: Plan, days: int) -> RescheduleWave:
    wave = next(w for w in plan.schedule.waves if w.members)
    later = timedelta(days=days)
    return RescheduleWave(wave.id, wave.start + later, wave.end + later)


def test_a_plan_checked_in_the_background_never_runs_the_rules_in_the_window(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = _counting(monkeypatch, model, "plan_readiness")
    plan = _estate_case(300, 9)
    path = tmp_path / "estate.meshplan"
    save_plan(plan, path)
    window.document.analysis.process_workloads = 100
    window.show()
    qtbot.waitExposed(window)
    gantt = window.show_view("gantt")
    assert isinstance(gantt, GanttView)
    strip = gantt.kpis
    window.open_plan(path)  # the chart is on screen: its strip refreshes at once
    assert window.document.analysis.remote
    assert strip.waiting and strip.scenario.text() == WAITING_FOR_FINDINGS
    assert [label.text() for label in strip.labels.values()] == ["…"] * 4
    assert strip.values == dict.fromkeys(strip.FIELDS)  # no figure without its basis

    qtbot.waitUntil(lambda: strip.values["npv"] is not None, timeout=WAIT_MS)
    doc = window.document
    classes = readiness_from_findings(check_plan(doc.plan).findings)
    expected = summary_keys(doc.plan, readiness=classes, cache=BasisCache())["economics"]
    assert isinstance(expected, dict)
    assert strip.values["npv"] == expected["npv"] and strip.values["roi"] == expected["roi"]
    assert strip.scenario.text().startswith("Scenario: ")

    doc.execute(_shift(doc.plan, 75))  # a drag step: the held classes still hold
    assert not strip.waiting and strip.values["npv"] is not None
    moved = summary_keys(doc.plan, readiness=classes, cache=BasisCache())["economics"]
    assert isinstance(moved, dict) and strip.values["npv"] == moved["npv"]

    wave = next(w for w in doc.plan.schedule.waves if w.members)
    doc.execute(SetWaveTargets(wave.id, mode="ambient"))  # the ambient rules apply now
    assert strip.waiting and strip.scenario.text() == WAITING_FOR_FINDINGS
    qtbot.waitUntil(lambda: not strip.waiting, timeout=WAIT_MS)
    assert strip.values["npv"] is not None
    assert rules == []


def test_a_small_plan_shows_its_figures_at_once(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = _counting(monkeypatch, model, "plan_readiness")
    plan = coverage_plan()
    plan.assumptions.case = "estate"
    doc, view = open_gantt(qtbot, plan)  # built before its check in the runner answers
    assert not doc.analysis.remote
    strip = view.kpis
    assert not strip.waiting and len(rules) == 1  # the rules ran in line, once
    expected = summary_keys(plan, cache=BasisCache())["economics"]
    assert isinstance(expected, dict)
    assert strip.values["npv"] == expected["npv"] and strip.values["payback"] is not None
    assert WAITING_FOR_FINDINGS not in strip.scenario.text()


def test_the_strip_and_the_dashboard_build_the_estate_once(
    qtbot: QtBot, window: MainWindow, plan_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = _counting(monkeypatch, model, "estate")
    window.open_plan(plan_path)
    window.show()
    qtbot.waitExposed(window)
    dashboard = window.show_view("economics")
    assert isinstance(dashboard, EconomicsDashboard)
    qtbot.waitUntil(lambda: dashboard.recompute.snapshot is not None, timeout=WAIT_MS)
    gantt = window.show_view("gantt")
    assert isinstance(gantt, GanttView)
    assert gantt.kpis.values["npv"] is not None
    assert gantt.kpis.cache is dashboard.recompute.cache
    assert len(built) == 1
