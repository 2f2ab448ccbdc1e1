"""A large plan's findings come from the worker process, current after every edit."""

from __future__ import annotations

import os
import signal
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from workbench.domain.commands import (
    AssignWorkloads,
    RescheduleWave,
    SetWaveTargets,
    UnassignWorkloads,
)
from workbench.domain.plan import Plan
from workbench.io.plan_file import save_plan
from workbench.ops.check import check_plan
from workbench.ops.generate import generate_plan
from workbench.ui.document import PlanDocument
from workbench.ui.gantt import GanttView

WAIT_MS = 180_000


@pytest.fixture
def document() -> Iterator[PlanDocument]:
    doc = PlanDocument()
    doc.analysis.process_workloads = 100  # small estates take the worker path too
    yield doc
    doc.analysis.shutdown()
    doc.undo_stack.clear()


def _settled(doc: PlanDocument) -> bool:
    return not doc.analysis.busy and doc.analysis.current.ready


def _matches(doc: PlanDocument) -> None:
    full = check_plan(doc.plan)
    current = doc.analysis.current
    assert current.result.findings == full.findings
    assert current.risk == full.risk
    assert current.counts() == full.counts()
    for f in full.findings[:40]:
        assert current.worst[f.subject].sort_key() <= f.sort_key()
        assert f in current.by_item[f.subject]


def test_large_plan_is_checked_in_the_worker_and_follows_edits(
    qtbot: QtBot, document: PlanDocument, tmp_path: Path
) -> None:
    plan = generate_plan(240, 2, 21)
    path = tmp_path / "estate.meshplan"
    save_plan(plan, path)
    document.open(path)
    assert document.analysis.remote
    qtbot.waitUntil(lambda: _settled(document), timeout=WAIT_MS)
    assert document.analysis.worker_pid not in (None, os.getpid())
    _matches(document)

    # a burst of edits: only the newest result is published, and it is complete
    updates: list[int] = []
    document.analysis.updated.connect(lambda: updates.append(1))
    wave = document.plan.schedule.waves[-1].id
    for key in document.plan.unassigned()[:5]:
        document.execute(AssignWorkloads([key], wave))
    document.execute(SetWaveTargets(wave, mode="ambient", mtls="STRICT"))
    assert document.analysis.busy
    qtbot.waitUntil(lambda: _settled(document), timeout=WAIT_MS)
    _matches(document)
    assert len(updates) <= 2

    document.undo_stack.undo()
    document.undo_stack.undo()
    qtbot.waitUntil(lambda: _settled(document), timeout=WAIT_MS)
    _matches(document)


def test_a_new_plan_discards_results_for_the_old_one(qtbot: QtBot, document: PlanDocument) -> None:
    document.replace(generate_plan(240, 2, 22), None)
    document.execute(UnassignWorkloads(list(document.plan.schedule.assigned())[:3]))
    second = generate_plan(150, 1, 23)
    document.replace(second, None)  # while the first is still being checked
    qtbot.waitUntil(lambda: _settled(document), timeout=WAIT_MS)
    _matches(document)
    assert set(document.analysis.current.risk) == {
        k for k, w in second.inventory.workloads.items() if not w.vanished
    }


def test_a_killed_worker_is_restarted_and_the_plan_resent(
    qtbot: QtBot, document: PlanDocument
) -> None:
    document.replace(generate_plan(200, 1, 24), None)
    qtbot.waitUntil(lambda: _settled(document), timeout=WAIT_MS)
    pid = document.analysis.worker_pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)  # the window sees the pipe close and starts another
    qtbot.waitUntil(lambda: document.analysis.worker_pid not in (None, pid), timeout=WAIT_MS)
    document.execute(AssignWorkloads(document.plan.unassigned()[:2], "wave-02"))
    qtbot.waitUntil(lambda: _settled(document), timeout=WAIT_MS)
    assert document.analysis.worker_pid not in (None, pid)
    _matches(document)


@pytest.mark.parametrize("turns", [False, True], ids=["in-line", "a-turn-a-step"])
def test_gantt_takes_findings_and_strict_dates_from_the_worker(
    qtbot: QtBot, document: PlanDocument, monkeypatch: pytest.MonkeyPatch, turns: bool
) -> None:
    """The same findings whether taken at once or, as on a large plan, the backlog in one
    turn of the event loop and their placing on waves in the next."""
    from workbench.ui.gantt import live

    if turns:
        monkeypatch.setattr(live, "SYNC_WORKLOADS", 10)
    plan: Plan = generate_plan(240, 2, 25)
    document.replace(plan, None)
    view = GanttView(document)
    qtbot.addWidget(view)
    assert view.live.remote and view.live.validator is None
    qtbot.waitUntil(lambda: _settled(document) and view.live.ready, timeout=WAIT_MS)
    schedule = [f for f in check_plan(document.plan).findings if f.source == "schedule"]
    grouped = [f for fs in view.live.by_wave.values() for f in fs] + view.live.unplaced
    assert Counter(grouped) >= Counter(schedule) and set(grouped) == set(schedule)
    assert view.live.strict_dates == document.analysis.current.strict_dates
    assert view.live.strict_dates  # every namespace has a date or a reason
    wave = document.plan.schedule.waves[0]
    document.execute(SetWaveTargets(wave.id, mtls="STRICT"))
    qtbot.waitUntil(lambda: _settled(document), timeout=WAIT_MS)
    schedule = [f for f in check_plan(document.plan).findings if f.source == "schedule"]
    grouped = [f for fs in view.live.by_wave.values() for f in fs] + view.live.unplaced
    assert set(grouped) == set(schedule)


@pytest.mark.parametrize("turns", [False, True], ids=["in-line", "a-turn-a-step"])
def test_the_gantt_of_a_worker_checked_plan_shows_its_backlog_lanes(
    qtbot: QtBot, document: PlanDocument, monkeypatch: pytest.MonkeyPatch, turns: bool
) -> None:
    from workbench.ops.planning import remediation_backlog
    from workbench.ui.gantt import live

    if turns:
        monkeypatch.setattr(live, "SYNC_WORKLOADS", 10)

    plan: Plan = generate_plan(240, 2, 26)
    expected = remediation_backlog(plan)
    document.replace(plan, None)
    view = GanttView(document)
    qtbot.addWidget(view)
    assert view.live.remote
    qtbot.waitUntil(lambda: _settled(document) and view.live.ready, timeout=WAIT_MS)
    lanes = view.scene.backlog
    assert expected and sum(len(lane.keys) for lane in lanes) == len(expected)
    assert {lane.namespace for lane in lanes} == {i.namespace for i in expected}
    assert set(view.scene.backlog_bars) == {lane.namespace for lane in lanes}


def test_a_report_that_leaves_readiness_and_membership_alone_keeps_the_backlog(
    qtbot: QtBot, document: PlanDocument, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbench.ops.planning import remediation_backlog
    from workbench.ui.gantt import live

    computed: list[object] = []
    causes = live.backlog_causes
    monkeypatch.setattr(live, "backlog_causes", lambda *a: computed.append(a) or causes(*a))
    document.replace(generate_plan(240, 2, 26), None)
    view = GanttView(document)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: _settled(document) and view.live.ready, timeout=WAIT_MS)
    lanes, before = view.live.backlog, len(computed)
    assert lanes and before >= 1

    answered = document.analysis.answered
    wave = next(w for w in document.plan.schedule.waves if w.members)
    later = timedelta(days=30)
    document.execute(RescheduleWave(wave.id, wave.start + later, wave.end + later))
    qtbot.waitUntil(
        lambda: _settled(document) and document.analysis.answered > answered, timeout=WAIT_MS
    )
    assert len(computed) == before and view.live.backlog is lanes  # a drag step
    schedule = [f for f in check_plan(document.plan).findings if f.source == "schedule"]
    grouped = [f for fs in view.live.by_wave.values() for f in fs] + view.live.unplaced
    assert set(grouped) == set(schedule)

    answered = document.analysis.answered
    document.execute(UnassignWorkloads([wave.members[0]]))
    qtbot.waitUntil(
        lambda: _settled(document) and document.analysis.answered > answered, timeout=WAIT_MS
    )
    assert len(computed) > before
    expected = remediation_backlog(document.plan)
    assert sum(len(lane.keys) for lane in view.live.backlog) == len(expected)
