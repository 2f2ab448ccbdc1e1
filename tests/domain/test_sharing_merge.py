"""Three-way merge of plans: edits from both sides land, clashes are named conflicts."""

from __future__ import annotations

import copy
from datetime import timedelta
from pathlib import Path

import pytest

from workbench.domain.comments import Comment, Reply
from workbench.domain.dependencies import Edge, Evidence
from workbench.domain.plan import Mute, Plan
from workbench.domain.sharing.hide import hide_names, restore_names, restorer_for
from workbench.domain.sharing.merge3 import MergeError, merge_plans
from workbench.io.plan_file import load_plan

KEY = b"0123456789abcdef0123456789abcdef"


@pytest.fixture(scope="module")
def sample(sample_plan_path: Path) -> Plan:
    return load_plan(sample_plan_path)


@pytest.fixture
def base(sample: Plan) -> Plan:
    return copy.deepcopy(sample)


def _shift(plan: Plan, wave: int, days: int) -> None:
    w = plan.schedule.waves[wave]
    w.start += timedelta(days=days)
    w.end += timedelta(days=days)


def test_edits_on_different_things_all_land(base: Plan) -> None:
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    _shift(mine, 0, 7)
    moved = base.schedule.waves[1].members[0]
    theirs.schedule.assign(moved, base.schedule.waves[2].id)
    _shift(theirs, 2, 14)
    theirs.assumptions.discount_rate = 0.07
    theirs.mutes.append(Mute("R3", moved, "accepted by security"))
    caller, callee = sorted(base.inventory.workloads)[:2]
    theirs.dependencies.add(Edge(caller, callee, [Evidence("manual", "seen in logs")], manual=True))
    theirs.comments.append(Comment("c1", "wave:wave-02", "rev", "2027-01-01T00:00:00Z", "ok?"))
    result = merge_plans(base, mine, theirs)
    assert result.clean, [c.line() for c in result.conflicts]
    out = result.plan
    assert out.schedule.waves[0].start == mine.schedule.waves[0].start
    assert out.schedule.waves[2].start == theirs.schedule.waves[2].start
    assert out.schedule.wave_of(moved) == base.schedule.waves[2].id
    assert out.assumptions.discount_rate == 0.07
    assert out.mutes[-1].rule == "R3"
    assert (caller, callee) in out.dependencies.edges
    assert [c.id for c in out.comments] == ["c1"]
    assert out.inventory == mine.inventory


def test_two_different_moves_of_one_wave_are_a_named_conflict(base: Plan) -> None:
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    _shift(mine, 1, 7)
    _shift(theirs, 1, 21)
    result = merge_plans(base, mine, theirs)
    wave = base.schedule.waves[1].id
    lines = [c.line() for c in result.conflicts]
    assert len(lines) == 2  # start and end
    mine_start = mine.schedule.waves[1].start.isoformat()
    theirs_start = theirs.schedule.waves[1].start.isoformat()
    assert any(
        wave in line and "start" in line and mine_start in line and theirs_start in line
        for line in lines
    ), lines
    preferred = merge_plans(base, mine, theirs, prefer="theirs")
    assert preferred.clean and len(preferred.resolved) == 2
    assert preferred.plan.schedule.waves[1].start == theirs.schedule.waves[1].start
    kept = merge_plans(base, mine, theirs, prefer="mine")
    assert kept.plan.schedule.waves[1].start == mine.schedule.waves[1].start


def test_the_same_edit_on_both_sides_is_no_conflict(base: Plan) -> None:
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    for p in (mine, theirs):
        _shift(p, 1, 7)
    assert merge_plans(base, mine, theirs).clean


def test_moving_one_workload_to_two_waves_conflicts(base: Plan) -> None:
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    key = base.schedule.waves[1].members[0]
    mine.schedule.assign(key, base.schedule.waves[0].id)
    theirs.schedule.assign(key, base.schedule.waves[2].id)
    result = merge_plans(base, mine, theirs)
    assert [c.what for c in result.conflicts] == [f"assignment of {key}"]
    resolved = merge_plans(base, mine, theirs, prefer="theirs").plan
    assert resolved.schedule.wave_of(key) == base.schedule.waves[2].id


def test_comments_replies_and_resolution_merge_per_comment(base: Plan) -> None:
    base.comments.append(Comment("c0", "plan", "ana", "t0", "first"))
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    mine.comments[0].replies.append(Reply("r1", "ana", "t1", "mine"))
    theirs.comments[0].resolved = True
    theirs.comments.append(Comment("c2", "plan", "bo", "t2", "second"))
    out = merge_plans(base, mine, theirs).plan
    assert [c.id for c in out.comments] == ["c0", "c2"]
    assert out.comments[0].resolved and [r.id for r in out.comments[0].replies] == ["r1"]


def test_a_removed_wave_that_the_other_side_changed_conflicts(base: Plan) -> None:
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    wave = base.schedule.waves[2].id
    mine.schedule.pop_wave(wave)
    _shift(theirs, 2, 7)
    result = merge_plans(base, mine, theirs)
    assert any(wave in c.what and c.mine == "(removed)" for c in result.conflicts)


def test_a_plan_that_does_not_descend_from_base_is_refused(base: Plan) -> None:
    stranger = Plan()
    with pytest.raises(MergeError, match="does not descend"):
        merge_plans(base, base, stranger)


def test_edits_on_a_hidden_copy_come_back_with_real_names(base: Plan) -> None:
    hidden = hide_names(base, KEY)
    theirs = copy.deepcopy(hidden)
    key = theirs.schedule.waves[1].members[0]
    theirs.schedule.assign(key, theirs.schedule.waves[0].id)
    theirs.comments.append(
        Comment("c1", f"workload:{key}", "rev", "t", f"{key} belongs in the pilot")
    )
    _shift(theirs, 2, 7)
    back = restore_names(theirs, KEY, restorer_for([base], KEY))
    out = merge_plans(base, base, back).plan
    real = base.schedule.waves[1].members[0]
    assert out.schedule.wave_of(real) == base.schedule.waves[0].id
    assert out.comments[0].target == f"workload:{real}"
    assert out.comments[0].text == f"{real} belongs in the pilot"
    assert out.schedule.waves[2].start == base.schedule.waves[2].start + timedelta(days=7)
    assert out.schedule.waves[2].name == base.schedule.waves[2].name


def test_confirmed_callers_and_added_edges_merge_back_from_a_hidden_copy(base: Plan) -> None:
    from workbench.domain.dependencies import CallerConfirmation
    from workbench.domain.evidence.commands import ConfirmCallers

    hidden = hide_names(base, KEY)
    theirs = copy.deepcopy(hidden)
    caller, callee = sorted(theirs.inventory.workloads)[3:5]
    ConfirmCallers(CallerConfirmation(callee, f"{caller} is its only caller", "rev", "t")).do(
        theirs
    )
    theirs.dependencies.add(
        Edge(caller, callee, [Evidence("manual", f"{caller} calls {callee}")], manual=True)
    )
    mine = copy.deepcopy(base)
    back = restore_names(theirs, KEY, restorer_for([base, mine], KEY))
    result = merge_plans(base, mine, back)
    assert result.clean
    deps = result.plan.dependencies
    real_caller, real_callee = _real(base, hidden, caller), _real(base, hidden, callee)
    edge = deps.edges[(real_caller, real_callee)]
    assert edge.manual and edge.evidence[0].detail == f"{real_caller} calls {real_callee}"
    confirmation = deps.confirmations[real_callee]
    assert confirmation.reason == f"{real_caller} is its only caller"
    assert confirmation.by == "rev"


def _real(base: Plan, hidden: Plan, key: str) -> str:
    """The real key of a hidden workload key (the inventories are in the same order)."""
    index = list(hidden.inventory.workloads).index(key)
    return list(base.inventory.workloads)[index]


def test_two_confirmations_of_one_workload_with_different_reasons_conflict(base: Plan) -> None:
    from workbench.domain.dependencies import CallerConfirmation

    key = sorted(base.inventory.workloads)[0]
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    mine.dependencies.confirmations[key] = CallerConfirmation(key, "traced for a week", "ana")
    theirs.dependencies.confirmations[key] = CallerConfirmation(key, "asked the team", "bo")
    result = merge_plans(base, mine, theirs)
    assert result.conflicts and all(key in c.what for c in result.conflicts)
    out = merge_plans(base, mine, theirs, prefer="theirs").plan
    assert out.dependencies.confirmations[key].reason == "asked the team"
