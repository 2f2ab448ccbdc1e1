"""Incremental validation gives the same findings as a full one after every edit."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

from tests.domain.planning_plans import add_wave, add_workload, make_plan
from workbench.domain.commands import (
    AssignWorkloads,
    Command,
    RemoveWave,
    RescheduleWave,
    SetWaveTargets,
    UnassignWorkloads,
)
from workbench.domain.dependencies import Edge
from workbench.domain.findings import Finding
from workbench.domain.inventory import MeshPolicy
from workbench.domain.plan import Plan
from workbench.domain.planning.commands import AddActivity, AddWaypoints
from workbench.domain.planning.readiness_input import ReadinessInput
from workbench.domain.planning.validator import ScheduleValidator, schedule_findings
from workbench.domain.schedule import Activity


def _estate(rng: random.Random) -> tuple[Plan, ReadinessInput]:
    plan = make_plan(injection="namespace-label")
    keys = [
        add_workload(
            plan,
            f"{rng.choice(['c1', 'c2'])}/{rng.choice(['a-dev', 'b-prod', 'c'])}/w{i}",
            pods=rng.randint(1, 4),
        ).key
        for i in range(40)
    ]
    for _ in range(80):
        a, b = rng.sample(keys, 2)
        plan.dependencies.add(Edge(a, b))
    plan.inventory.mesh_policies.append(MeshPolicy("c1", "c", "AuthorizationPolicy", "p", l7=True))
    for i, phase in enumerate(["pilot", "core", "core", "optimization"]):
        add_wave(
            plan,
            f"w{i}",
            [],
            phase=phase,
            max_workloads=5,
            max_pods=12,
            start=plan.schedule.phase(phase).start + timedelta(days=5 * i),
        )
    for k in keys:
        if rng.random() < 0.7:
            plan.schedule.assign(k, f"w{rng.randrange(4)}")
    blockers = frozenset(rng.sample(keys, 3))
    risk = {k: rng.choice([0.0, 12.0, 35.0]) for k in keys}
    return plan, ReadinessInput(blockers, risk)


def _edit(rng: random.Random, plan: Plan) -> Command:
    keys = sorted(plan.inventory.workloads)
    waves = [w.id for w in plan.schedule.waves]
    choice = rng.randrange(7)
    if choice == 0 and waves:
        return UnassignWorkloads(rng.sample(keys, 2))
    if choice == 1 and waves:
        wave = plan.schedule.wave(rng.choice(waves))
        shift = timedelta(days=rng.randint(-40, 40))
        return RescheduleWave(wave.id, wave.start + shift, wave.end + shift)
    if choice == 2 and waves:
        return SetWaveTargets(
            rng.choice(waves),
            rng.choice(["sidecar", "ambient"]),
            rng.choice(["PERMISSIVE", "STRICT"]),
        )
    if choice == 3 and waves:
        return AddWaypoints(rng.choice(waves), ["c1/c"])
    if choice == 4 and len(waves) > 2:
        return RemoveWave(rng.choice(waves))
    if choice == 5:
        return AddActivity(
            Activity(
                f"mc{rng.random()}",
                "multi-cluster set-up",
                "foundation",
                plan.schedule.phases[0].start,
                plan.schedule.phases[0].end,
            )
        )
    if not waves:
        return UnassignWorkloads([rng.choice(keys)])
    return AssignWorkloads([rng.choice(keys)], rng.choice(waves))


def _bag(found: list[Finding]) -> Counter[Finding]:
    return Counter(found)


def test_incremental_matches_full_validation_after_every_edit() -> None:
    for seed in range(6):
        rng = random.Random(seed)
        plan, readiness = _estate(rng)
        live = ScheduleValidator(plan, readiness)
        done: list[Command] = []
        for _ in range(40):
            cmd = _edit(rng, plan)
            change = cmd.do(plan)
            done.append(cmd)
            got = live.update(change)
            assert _bag(got) == _bag(ScheduleValidator(plan, readiness).findings())
        for cmd in reversed(done[-10:]):
            got = live.update(cmd.undo(plan))
            assert _bag(got) == _bag(ScheduleValidator(plan, readiness).findings())


def test_strict_depends_on_callers_moving() -> None:
    plan = make_plan(["front", "api"], [("front", "api")])
    add_wave(plan, "w1", ["api"], mtls="STRICT")
    add_wave(plan, "w2", [], phase="pilot")
    live = ScheduleValidator(plan, ReadinessInput())
    assert "S02" in {f.rule for f in live.findings()}
    change = AssignWorkloads(["c1/shop/Deployment/front"], "w2").do(plan)
    assert "S02" not in {f.rule for f in live.update(change)}


def test_dependency_edits_revalidate_everything() -> None:
    from workbench.domain.commands import AddDependency

    plan = make_plan(["front", "api"])
    add_wave(plan, "w1", ["api"], mtls="STRICT")
    live = ScheduleValidator(plan, ReadinessInput())
    assert "S02" not in {f.rule for f in live.findings()}
    change = AddDependency(Edge("c1/shop/Deployment/front", "c1/shop/Deployment/api")).do(plan)
    assert "S02" in {f.rule for f in live.update(change)}


def test_schedule_findings_are_sorted_most_severe_first() -> None:
    plan = make_plan(["a", "b"])
    add_wave(plan, "w1", ["a"], max_workloads=0)
    found = schedule_findings(plan, ReadinessInput(frozenset({"c1/shop/Deployment/a"}), {}))
    assert [f.severity for f in found] == ["blocker", "medium", "medium"]
    assert all(f.source == "schedule" for f in found)


def test_schedule_findings_run_readiness_when_not_given() -> None:
    plan = make_plan(["a"])
    w = plan.inventory.workloads["c1/shop/Deployment/a"]
    w.host_network = True
    add_wave(plan, "w1", ["a"])
    rule_ids = {f.rule for f in schedule_findings(plan)}
    assert "S01" in rule_ids  # hostNetwork is a readiness blocker
