"""New, split and merged waves: do changes the plan, undo restores it exactly, redo repeats."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from workbench.domain.commands import Command, RemoveWave
from workbench.domain.commands_plan import ReplacePlanContents
from workbench.domain.commands_waves import MergeWaves, NewWave, SplitWave
from workbench.domain.inventory import Workload
from workbench.domain.plan import Plan
from workbench.domain.schedule import Phase, ScheduleError, Wave


def k(name: str) -> str:
    return f"c1/shop/Deployment/{name}"


def _plan() -> Plan:
    p = Plan()
    for name in "abcdefg":
        p.inventory.add_workload(Workload("c1", "shop", "Deployment", name, replicas=1, pods=1))
    p.schedule.phases.append(Phase("core", "Core", date(2027, 1, 1), date(2027, 12, 31)))
    p.schedule.insert_wave(
        Wave(
            "wave-01",
            "One",
            "core",
            date(2027, 2, 1),
            date(2027, 2, 28),
            members=[k("a"), k("b"), k("c"), k("d")],
            waypoints=["c1/shop"],
        )
    )
    p.schedule.insert_wave(
        Wave("wave-02", "Two", "core", date(2027, 3, 1), date(2027, 3, 14), members=[k("e")])
    )
    p.schedule.insert_wave(
        Wave("wave-03", "Three", "core", date(2027, 4, 1), date(2027, 4, 30), members=[k("f")])
    )
    return p


def _commands() -> list[Command]:
    return [
        NewWave(),
        NewWave("Payments", members=[k("a"), k("g")]),
        SplitWave("wave-01"),
        SplitWave("wave-01", keys=[k("a"), k("c")]),
        MergeWaves(["wave-02", "wave-01"]),
        MergeWaves(["wave-03", "wave-01", "wave-02"]),
        RemoveWave("wave-01"),
    ]


@pytest.mark.parametrize("command", _commands(), ids=lambda c: type(c).__name__)
def test_do_changes_undo_restores_and_redo_repeats(command: Command) -> None:
    plan = _plan()
    before = copy.deepcopy(plan)
    change = command.do(plan)
    assert plan != before and change.areas == {"schedule"}
    done = copy.deepcopy(plan)
    command.undo(plan)
    assert plan == before
    assert plan.schedule.assigned() == before.schedule.assigned()
    command.do(plan)
    assert plan == done
    assert plan.schedule.assigned() == done.schedule.assigned()


def test_new_wave_follows_the_last_with_the_same_length_and_takes_members() -> None:
    plan = _plan()
    cmd = NewWave("Payments", members=[k("a"), k("g")])
    cmd.do(plan)
    wave = plan.schedule.wave(cmd.wave_id)
    assert (wave.name, wave.phase) == ("Payments", "core")
    assert (wave.start, wave.end) == (date(2027, 5, 1), date(2027, 5, 30))
    assert wave.members == [k("a"), k("g")]
    assert k("a") not in plan.schedule.wave("wave-01").members


def test_new_wave_in_an_empty_plan_adds_a_phase_and_undo_removes_both() -> None:
    plan = Plan()
    cmd = NewWave(today=date(2027, 1, 4))
    cmd.do(plan)
    wave = plan.schedule.waves[0]
    assert (wave.id, wave.name, wave.start, wave.end) == (
        "wave-01",
        "Wave 1",
        date(2027, 1, 4),
        date(2027, 1, 17),
    )
    assert [p.id for p in plan.schedule.phases] == [wave.phase]
    cmd.undo(plan)
    assert plan == Plan()


def test_split_halves_members_and_days_and_keeps_targets() -> None:
    plan = _plan()
    plan.schedule.wave("wave-01").mtls = "STRICT"
    cmd = SplitWave("wave-01")
    cmd.do(plan)
    first, second = plan.schedule.waves[0], plan.schedule.waves[1]
    assert first.members == [k("a"), k("b")] and second.members == [k("c"), k("d")]
    assert (first.start, first.end) == (date(2027, 2, 1), date(2027, 2, 14))
    assert (second.start, second.end) == (date(2027, 2, 15), date(2027, 2, 28))
    assert second.id == cmd.new_wave_id and second.name == "One (2)"
    assert second.mtls == "STRICT" and second.waypoints == []


def test_merge_spans_the_dates_and_keeps_member_order() -> None:
    plan = _plan()
    MergeWaves(["wave-02", "wave-03"]).do(plan)
    merged = plan.schedule.wave("wave-02")
    assert merged.members == [k("e"), k("f")]
    assert (merged.start, merged.end) == (date(2027, 3, 1), date(2027, 4, 30))
    assert not plan.schedule.has_wave("wave-03")
    assert plan.schedule.wave_of(k("f")) == "wave-02"


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (SplitWave("wave-02"), "two workloads or more"),
        (SplitWave("wave-01", keys=[k("e")]), "is not in wave One"),
        (SplitWave("wave-01", keys=[k("a"), k("b"), k("c"), k("d")]), "at least one workload"),
        (MergeWaves(["wave-01"]), "two waves or more"),
        (MergeWaves(["wave-01", "wave-99"]), "no wave with id"),
        (NewWave(members=["c1/shop/Deployment/zz"]), "no workload"),
    ],
)
def test_invalid_wave_edits_raise_and_change_nothing(command: Command, message: str) -> None:
    plan = _plan()
    before = copy.deepcopy(plan)
    with pytest.raises(ScheduleError, match=message):
        command.do(plan)
    assert plan == before


def test_replace_plan_contents_swaps_everything_and_undo_swaps_back() -> None:
    plan = _plan()
    before = copy.deepcopy(plan)
    incoming = Plan()
    incoming.meta.title = "Imported"
    cmd = ReplacePlanContents(incoming, "Import into the plan")
    assert cmd.label == "Import into the plan"
    change = cmd.do(plan)
    assert plan.meta.title == "Imported" and not plan.schedule.waves
    assert {"inventory", "schedule", "meta"} <= change.areas
    cmd.undo(plan)
    assert plan == before


def test_moving_workloads_and_undoing_restores_every_wave_in_its_order() -> None:
    """Workloads taken from the same wave, from the target wave itself and from no wave:
    undo puts each back where it stood, redo moves them again."""
    import random

    from workbench.domain.commands import AssignWorkloads

    rng = random.Random(5)
    plan = Plan()
    names = [f"w{i:02d}" for i in range(40)]
    for name in names:
        plan.inventory.add_workload(Workload("c1", "shop", "Deployment", name, replicas=1, pods=1))
    plan.schedule.phases.append(Phase("core", "Core", date(2027, 1, 1), date(2027, 12, 31)))
    for w in range(3):
        members = [k(n) for n in names[w * 12 : w * 12 + 12]]
        plan.schedule.insert_wave(
            Wave(f"wave-{w}", f"W{w}", "core", date(2027, 2, 1), date(2027, 3, 1), members)
        )
    for _ in range(30):
        keys = rng.sample([k(n) for n in names], rng.randint(1, 20))
        target = f"wave-{rng.randrange(3)}"
        before = copy.deepcopy(plan.schedule.waves)
        command = AssignWorkloads(keys, target)
        command.do(plan)
        moved = copy.deepcopy(plan.schedule.waves)
        assert plan.schedule.wave(target).members[-len(keys) :] == keys
        command.undo(plan)
        assert plan.schedule.waves == before
        assert plan.schedule.assigned() == {m: w.id for w in before for m in w.members}
        command.do(plan)
        assert plan.schedule.waves == moved
