"""The QUndoStack adapter over the domain commands, without a window."""

from __future__ import annotations

import copy
from datetime import date

import pytest
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication

from tests.ui.plans import build_plan
from workbench.domain.commands import AssignWorkloads, Change, RescheduleWave, SetAssumption
from workbench.domain.schedule import ScheduleError
from workbench.ui.document import PlanDocument
from workbench.ui.undo import CommandAdapter, merge_id


def test_adapter_runs_do_and_undo_and_reports_changes(qapp: QApplication) -> None:
    plan = build_plan(20)
    original = copy.deepcopy(plan)
    changes: list[Change] = []
    stack = QUndoStack()
    key = plan.unassigned()[0]
    stack.push(CommandAdapter(plan, AssignWorkloads([key], "wave-02"), changes.append))
    assert plan.schedule.wave_of(key) == "wave-02"
    assert changes[-1].areas == {"schedule"} and key in changes[-1].keys
    assert stack.undoText() == "Assign 1 workload(s) to wave-02"
    stack.undo()
    assert plan == original and len(changes) == 2
    stack.redo()
    assert plan.schedule.wave_of(key) == "wave-02" and len(changes) == 3


def test_consecutive_reschedules_of_one_wave_merge_into_one_step(qapp: QApplication) -> None:
    plan = build_plan(10)
    original = copy.deepcopy(plan)
    stack = QUndoStack()
    for day in (10, 11, 12):
        cmd = RescheduleWave("wave-01", date(2027, 4, day), date(2027, 5, day + 10))
        stack.push(CommandAdapter(plan, cmd, lambda _c: None))
    assert stack.count() == 1
    assert plan.schedule.wave("wave-01").start == date(2027, 4, 12)
    stack.push(
        CommandAdapter(
            plan, RescheduleWave("wave-02", date(2027, 7, 6), date(2027, 9, 9)), lambda _c: None
        )
    )
    assert stack.count() == 2  # another wave does not merge
    stack.undo()
    stack.undo()
    assert plan == original
    stack.redo()
    assert plan.schedule.wave("wave-01").start == date(2027, 4, 12)


def test_merge_ids_are_stable_per_key_and_minus_one_for_none() -> None:
    assert merge_id(None) == -1
    first = merge_id("reschedule-wave:w1")
    assert first > 0 and merge_id("reschedule-wave:w1") == first
    assert merge_id("reschedule-wave:w2") != first


def test_document_execute_rejects_bad_edits_before_they_reach_the_stack(qapp: QApplication) -> None:
    doc = PlanDocument()
    doc.replace(build_plan(10), None)
    seen: list[Change] = []
    modified: list[bool] = []
    doc.changed.connect(seen.append)
    doc.modified_changed.connect(modified.append)
    with pytest.raises(ScheduleError):
        doc.execute(AssignWorkloads(["no/such/Deployment/x"], "wave-01"))
    assert doc.undo_stack.count() == 0 and seen == [] and not doc.is_modified
    doc.execute(SetAssumption("discount_rate", 0.07))
    assert doc.plan.assumptions.discount_rate == 0.07
    assert len(seen) == 1 and seen[0].areas == {"assumptions"}
    assert doc.is_modified and modified == [True]
    doc.execute(SetAssumption("discount_rate", 0.08))  # edits of one path merge
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert doc.plan.assumptions.discount_rate == build_plan(1).assumptions.discount_rate
    assert not doc.is_modified and modified == [True, False]
