"""Comment commands: each do changes the plan, each undo restores it exactly."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from workbench.domain.commands import Command
from workbench.domain.commands_comments import (
    AddComment,
    DeleteComment,
    EditCommentText,
    ReplyToComment,
    SetCommentResolved,
    resolve_target,
)
from workbench.domain.comments import Comment, CommentError, Reply, target_kind
from workbench.domain.inventory import Workload
from workbench.domain.plan import Plan
from workbench.domain.schedule import Phase, Wave

WL = "prod/shop/Deployment/web"


@pytest.fixture
def plan() -> Plan:
    p = Plan()
    p.inventory.add_workload(Workload("prod", "shop", "Deployment", "web"))
    p.schedule.phases.append(Phase("pilot", "Pilot", date(2027, 1, 1), date(2027, 3, 31)))
    p.schedule.insert_wave(
        Wave("wave-01", "first wave", "pilot", date(2027, 1, 4), date(2027, 2, 1), members=[WL])
    )
    p.comments.append(Comment("c0", "plan", "ana", "2027-01-01T09:00:00Z", "looks fine"))
    return p


def _round_trip(plan: Plan, cmd: Command) -> None:
    before = copy.deepcopy(plan)
    cmd.do(plan)
    assert plan != before
    cmd.undo(plan)
    assert plan == before


@pytest.mark.parametrize(
    "cmd",
    [
        AddComment(Comment("c1", "wave:wave-01", "bo", "2027-01-02T10:00:00Z", "too early?")),
        AddComment(Comment("c2", f"workload:{WL}", "bo", "2027-01-02T10:00:00Z", "owner?")),
        AddComment(Comment("c3", "phase:pilot", "bo", "2027-01-02T10:00:00Z", "short")),
        AddComment(Comment("c4", f"finding:R3@{WL}", "bo", "2027-01-02T10:00:00Z", "ok")),
        ReplyToComment("c0", Reply("r1", "bo", "2027-01-02T10:00:00Z", "agreed")),
        SetCommentResolved("c0", True),
        EditCommentText("c0", "looks fine to me"),
        DeleteComment("c0"),
    ],
    ids=lambda c: type(c).__name__,
)
def test_every_comment_command_round_trips(plan: Plan, cmd: Command) -> None:
    _round_trip(plan, cmd)


def test_add_refuses_a_target_that_does_not_exist(plan: Plan) -> None:
    for target in ("wave:wave-09", "phase:nope", "workload:prod/shop/Deployment/gone", "x:y"):
        with pytest.raises(CommentError):
            AddComment(Comment("c9", target, "bo", "t", "text")).do(plan)
    assert [c.id for c in plan.comments] == ["c0"]


def test_add_refuses_empty_text_and_duplicate_ids(plan: Plan) -> None:
    with pytest.raises(CommentError, match="needs some text"):
        AddComment(Comment("c9", "plan", "bo", "t", "   ")).do(plan)
    with pytest.raises(CommentError, match="exists already"):
        AddComment(Comment("c0", "plan", "bo", "t", "again")).do(plan)


def test_resolve_target_reads_what_a_user_types(plan: Plan) -> None:
    assert resolve_target(plan, "wave-01") == "wave:wave-01"
    assert resolve_target(plan, "first wave") == "wave:wave-01"
    assert resolve_target(plan, "Pilot") == "phase:pilot"
    assert resolve_target(plan, WL) == f"workload:{WL}"
    assert resolve_target(plan, "plan") == "plan"
    assert resolve_target(plan, "wave:wave-01") == "wave:wave-01"
    with pytest.raises(CommentError, match="no wave, phase or workload"):
        resolve_target(plan, "wave-07")


def test_target_kinds() -> None:
    assert target_kind("plan") == "plan"
    assert target_kind(f"workload:{WL}") == "workload"
    with pytest.raises(CommentError):
        target_kind("wave:")
    with pytest.raises(CommentError):
        target_kind("plan:x")
