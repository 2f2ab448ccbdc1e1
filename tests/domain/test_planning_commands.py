"""The planner's own schedule commands: do/undo round trips."""

from __future__ import annotations

import copy

import pytest

from tests.domain.planning_plans import make_plan
from workbench.domain.planning.commands import SetConcurrency
from workbench.domain.schedule import ScheduleError


def test_set_concurrency_round_trip() -> None:
    plan = make_plan(["a"])
    before = copy.deepcopy(plan)
    command = SetConcurrency(4)
    change = command.do(plan)
    assert plan.schedule.max_concurrent_waves == 4 and "schedule" in change.areas
    command.undo(plan)
    assert plan == before


def test_set_concurrency_refuses_zero() -> None:
    with pytest.raises(ScheduleError, match="at least 1"):
        SetConcurrency(0).do(make_plan(["a"]))
