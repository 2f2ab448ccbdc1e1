"""Confirming and withdrawing a workload's callers: do changes the plan, undo restores it."""

from __future__ import annotations

import copy

import pytest

from workbench.domain.dependencies import CallerConfirmation
from workbench.domain.evidence import caller_evidence
from workbench.domain.evidence.commands import (
    ConfirmationError,
    ConfirmCallers,
    WithdrawConfirmation,
)
from workbench.domain.plan import Plan

from .conftest import DB, JOB


def test_confirm_round_trip(plan: Plan) -> None:
    before = copy.deepcopy(plan)
    cmd = ConfirmCallers(CallerConfirmation(DB, "only the API calls it", by="ana"))
    change = cmd.do(plan)
    assert change.areas == frozenset({"dependencies"}) and change.keys == frozenset({DB})
    assert caller_evidence(plan)[DB].callers == "complete"
    cmd.undo(plan)
    assert plan == before and caller_evidence(plan)[DB].callers == "unknown"
    cmd.do(plan)  # redo
    assert plan.dependencies.confirmations[DB].by == "ana"


def test_confirming_again_replaces_the_reason_and_undo_restores_it(plan: Plan) -> None:
    ConfirmCallers(CallerConfirmation(DB, "first")).do(plan)
    before = copy.deepcopy(plan)
    cmd = ConfirmCallers(CallerConfirmation(DB, "second"))
    cmd.do(plan)
    assert plan.dependencies.confirmations[DB].reason == "second"
    cmd.undo(plan)
    assert plan == before


def test_withdraw_round_trip(plan: Plan) -> None:
    ConfirmCallers(CallerConfirmation(JOB, "nothing calls a CronJob")).do(plan)
    before = copy.deepcopy(plan)
    cmd = WithdrawConfirmation(JOB)
    cmd.do(plan)
    assert JOB not in plan.dependencies.confirmations
    cmd.undo(plan)
    assert plan == before


@pytest.mark.parametrize(
    ("cmd", "message"),
    [
        (ConfirmCallers(CallerConfirmation(DB, "  ")), "needs a reason"),
        (ConfirmCallers(CallerConfirmation("prod/x/Deployment/nope", "r")), "no workload"),
        (WithdrawConfirmation(DB), "not confirmed"),
    ],
)
def test_refused_edits_change_nothing(plan: Plan, cmd: object, message: str) -> None:
    before = copy.deepcopy(plan)
    with pytest.raises(ConfirmationError, match=message):
        cmd.do(plan)  # type: ignore[attr-defined]
    assert plan == before
