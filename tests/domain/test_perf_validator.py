"""The validator's per-wave facts cache: reused across drags, never stale after an edit."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

from tests.domain.planning_plans import add_wave, add_workload, make_plan
from workbench.domain.commands import (
    AddWave,
    AssignWorkloads,
    Command,
    RemoveWave,
    RescheduleWave,
    UnassignWorkloads,
)
from workbench.domain.findings import Finding
from workbench.domain.plan import Plan
from workbench.domain.planning.readiness_input import ReadinessInput
from workbench.domain.planning.validator import ScheduleValidator
from workbench.domain.schedule import Wave

NAMESPACES = ["shop-dev", "shop-prod", "pay-test", "pay-prod", "misc"]


def _estate(rng: random.Random) -> tuple[Plan, list[str]]:
    plan = make_plan()
    keys = [
        add_workload(
            plan, f"c1/{rng.choice(NAMESPACES)}/w{i}", pods=rng.randint(1, 5), replicas=1
        ).key
        for i in range(30)
    ]
    for i, phase in enumerate(["pilot", "core", "core", "core", "optimization"]):
        add_wave(
            plan,
            f"w{i}",
            [],
            phase=phase,
            max_workloads=rng.choice([None, 4, 8]),
            max_pods=rng.choice([None, 10, 20]),
            start=plan.schedule.phase(phase).start + timedelta(days=4 * i),
        )
    for k in keys:
        if rng.random() < 0.8:
            plan.schedule.assign(k, f"w{rng.randrange(5)}")
    return plan, keys


def _membership_edit(rng: random.Random, plan: Plan, keys: list[str], n: int) -> Command:
    """Edits that change which workloads the waves hold (and some that only move dates)."""
    waves = [w.id for w in plan.schedule.waves]
    choice = rng.randrange(6)
    if choice == 0 and len(waves) > 2:
        return RemoveWave(rng.choice(waves))
    if choice == 1:
        phase = rng.choice(["pilot", "core"])
        start = plan.schedule.phase(phase).start + timedelta(days=rng.randint(0, 30))
        free = [k for k in keys if plan.schedule.wave_of(k) is None]
        members = rng.sample(free, min(3, len(free)))
        end = start + timedelta(days=10)
        return AddWave(Wave(f"n{n}", f"new {n}", phase, start, end, members=members))
    if choice == 2:
        wave = plan.schedule.wave(rng.choice(waves))
        shift = timedelta(days=rng.randint(-60, 60))
        return RescheduleWave(wave.id, wave.start + shift, wave.end + shift)
    if choice == 3:
        return UnassignWorkloads(rng.sample(keys, 2))
    return AssignWorkloads(rng.sample(keys, rng.randint(1, 4)), rng.choice(waves))


def _same(live: ScheduleValidator, plan: Plan, readiness: ReadinessInput) -> bool:
    full = ScheduleValidator(plan, readiness).all_findings()
    return Counter(live.all_findings()) == Counter(full)


def test_membership_edits_and_undo_match_a_full_validation() -> None:
    for seed in range(8):
        rng = random.Random(seed)
        plan, keys = _estate(rng)
        readiness = ReadinessInput(frozenset(), {k: 0.0 for k in keys})
        live = ScheduleValidator(plan, readiness)
        done: list[Command] = []
        for n in range(30):
            cmd = _membership_edit(rng, plan, keys, n)
            done.append(cmd)
            live.update(cmd.do(plan))
            assert _same(live, plan, readiness), (seed, n, cmd)
        for cmd in reversed(done):
            live.update(cmd.undo(plan))
            assert _same(live, plan, readiness), (seed, "undo", cmd)


def test_a_drag_rereads_only_the_dragged_wave() -> None:
    plan = make_plan()
    names = [f"c1/{'shop-prod' if i % 2 else 'shop-dev'}/w{i}" for i in range(6)]
    for name in names:
        add_workload(plan, name)
    add_wave(plan, "a", names[:3], phase="core")
    add_wave(plan, "b", names[3:], phase="core")
    live = ScheduleValidator(plan, ReadinessInput())
    ctx = live.ctx
    before = {w.id: ctx.wave_facts(w) for w in plan.schedule.waves}
    wave = plan.schedule.wave("a")
    live.update(RescheduleWave("a", wave.start + timedelta(days=3), wave.end).do(plan))
    assert before["b"].workloads == 3 and before["b"].first_prod is not None
    assert ctx.wave_facts(plan.schedule.wave("b")) is before["b"]
    assert ctx.wave_facts(plan.schedule.wave("a")) is not before["a"]


def _prod_first(found: list[Finding]) -> list[Finding]:
    return [f for f in found if f.rule == "S06"]


def test_environment_order_follows_membership_moves() -> None:
    plan = make_plan()
    add_workload(plan, "c1/shop-prod/p")
    dev = add_workload(plan, "c1/shop-dev/d").key
    core = plan.schedule.phase("core").start
    add_wave(plan, "early", ["c1/shop-prod/p"], phase="core", start=core)
    add_wave(plan, "late", [], phase="core", start=core + timedelta(days=20))
    live = ScheduleValidator(plan, ReadinessInput())
    assert not _prod_first(live.findings())
    live.update(AssignWorkloads([dev], "late").do(plan))
    assert _prod_first(live.findings())  # production now goes before non-production
    move = AssignWorkloads([dev], "early")
    live.update(move.do(plan))
    assert not _prod_first(live.findings())
    live.update(move.undo(plan))
    assert _prod_first(live.findings())


def test_facts_are_reread_when_a_wave_changed_behind_the_cache() -> None:
    plan = make_plan()
    keys = [add_workload(plan, f"c1/shop-prod/w{i}", pods=2).key for i in range(3)]
    add_wave(plan, "a", ["c1/shop-prod/w0"], phase="core", max_pods=3)
    live = ScheduleValidator(plan, ReadinessInput())
    assert live.ctx.wave_facts(plan.schedule.wave("a")).pods == 2
    plan.schedule.assign(keys[1], "a")  # no command, no Change
    assert live.ctx.wave_facts(plan.schedule.wave("a")).pods == 4


def test_unchanged_findings_keep_their_identity_across_a_drag() -> None:
    plan = make_plan()
    names = [f"c1/{'shop-prod' if i < 3 else 'shop-dev'}/w{i}" for i in range(6)]
    for name in names:
        add_workload(plan, name)
    core = plan.schedule.phase("core").start
    add_wave(plan, "a", names[:3], phase="core", start=core, max_workloads=1)
    add_wave(plan, "b", names[3:], phase="core", start=core + timedelta(days=30))
    live = ScheduleValidator(plan, ReadinessInput())
    before = {id(f): f for f in live.all_findings()}
    assert {f.rule for f in before.values()} >= {"S05", "S06"}  # capacity, prod first
    wave = plan.schedule.wave("a")
    live.update(RescheduleWave("a", wave.start, wave.end + timedelta(days=1)).do(plan))
    after = live.all_findings()
    assert {id(f) for f in after if f.rule in ("S05", "S06")} <= before.keys()
    later = timedelta(days=40)
    live.update(RescheduleWave("a", wave.start + later, wave.end + later).do(plan))
    assert not [f for f in live.all_findings() if f.rule == "S06"]  # dev goes first now
