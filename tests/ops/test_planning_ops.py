"""Planning use-cases: auto-plan as a cancellable job returning one undoable command."""

from __future__ import annotations

import copy

import pytest

from tests.domain.planning_plans import make_plan
from workbench.domain.commands import Macro
from workbench.domain.jobs import CancelToken, JobCancelled
from workbench.domain.planning.autoplan import AutoPlanOptions
from workbench.ops.planning import auto_plan, schedule_outputs, validate


def test_auto_plan_returns_one_undoable_command_and_reports_progress() -> None:
    plan = make_plan(["a", "b", "c"], [("a", "b")])
    before = copy.deepcopy(plan)
    seen: list[float] = []
    command = auto_plan(plan, AutoPlanOptions(pilot_size=1), lambda f, _m: seen.append(f))
    assert isinstance(command, Macro) and command.label.startswith("Auto-plan: 2 wave(s)")
    assert plan == before
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)
    change = command.do(plan)
    assert "schedule" in change.areas and plan.unassigned() == []
    assert [f for f in validate(plan) if f.severity in ("blocker", "high")] == []
    assert schedule_outputs(plan, months=24).strict_milestone is not None
    command.undo(plan)
    assert plan == before


def test_cancelled_auto_plan_changes_nothing() -> None:
    plan = make_plan(["a"])
    token = CancelToken()
    token.cancel()
    with pytest.raises(JobCancelled):
        auto_plan(plan, AutoPlanOptions(), cancel=token)
    assert plan.schedule.waves == []
