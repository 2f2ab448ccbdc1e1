"""Muting and unmuting a finding rule: do changes the plan, undo restores it exactly."""

from __future__ import annotations

import copy

import pytest

from workbench.domain.commands_mutes import MuteError, MuteRule, UnmuteRule
from workbench.domain.findings import Finding, split_muted
from workbench.domain.plan import Mute, Plan

NS = "prod/shop"
WL = "prod/shop/Deployment/web"


def finding(rule: str, subject: str) -> Finding:
    return Finding(rule, "high", "readiness", (subject,), "seen", "why", "fix")


@pytest.fixture
def plan() -> Plan:
    p = Plan()
    p.mutes.append(Mute("R3", "prod/billing", "billing runs as UID 1337 on purpose"))
    return p


def test_mute_adds_the_rule_and_undo_removes_it(plan: Plan) -> None:
    before = copy.deepcopy(plan)
    cmd = MuteRule(Mute("R7", NS, "legacy protocol, out of scope"))
    change = cmd.do(plan)
    assert plan.mutes[-1] == Mute("R7", NS, "legacy protocol, out of scope")
    assert change.areas == frozenset({"mutes"}) and NS in change.keys
    active, muted = split_muted([finding("R7", WL), finding("R7", "prod/other/Job/x")], plan.mutes)
    assert [f.subject for f in muted] == [WL] and len(active) == 1
    cmd.undo(plan)
    assert plan == before
    cmd.do(plan)  # redo
    assert len(plan.mutes) == 2


def test_muting_again_updates_the_reason_and_undo_brings_it_back(plan: Plan) -> None:
    before = copy.deepcopy(plan)
    cmd = MuteRule(Mute("R3", "prod/billing", "accepted by the security team"))
    cmd.do(plan)
    assert plan.mutes == [Mute("R3", "prod/billing", "accepted by the security team")]
    cmd.undo(plan)
    assert plan == before


def test_the_plan_keeps_its_own_copy_of_the_mute(plan: Plan) -> None:
    mute = Mute("R9", WL, "reason")
    MuteRule(mute).do(plan)
    mute.reason = "changed afterwards"
    assert plan.mutes[-1].reason == "reason"


@pytest.mark.parametrize("mute", [Mute("R1", NS, "  "), Mute("", NS, "why"), Mute("R1", "", "why")])
def test_a_mute_needs_rule_scope_and_reason(plan: Plan, mute: Mute) -> None:
    before = copy.deepcopy(plan)
    with pytest.raises(MuteError):
        MuteRule(mute).do(plan)
    assert plan == before


def test_unmute_removes_it_and_undo_puts_it_back_in_place(plan: Plan) -> None:
    plan.mutes.append(Mute("R5", WL, "second"))
    before = copy.deepcopy(plan)
    cmd = UnmuteRule("R3", "prod/billing")
    change = cmd.do(plan)
    assert [m.rule for m in plan.mutes] == ["R5"]
    assert "prod/billing" in change.keys
    cmd.undo(plan)
    assert plan == before
    assert "R3" in cmd.label and "prod/billing" in cmd.label


def test_unmuting_what_is_not_muted_says_so(plan: Plan) -> None:
    with pytest.raises(MuteError, match="R8 is not muted for prod/shop"):
        UnmuteRule("R8", NS).do(plan)
