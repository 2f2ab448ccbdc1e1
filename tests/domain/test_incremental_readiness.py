"""Incremental readiness equals a full evaluation after every edit, and touches little."""

from __future__ import annotations

import copy
import random
from collections.abc import Iterator

import pytest

from workbench.domain.commands import (
    AssignWorkloads,
    Change,
    Command,
    RemoveDependency,
    RescheduleWave,
    SetAssumption,
    SetWaveTargets,
    UnassignWorkloads,
)
from workbench.domain.commands_mutes import MuteRule
from workbench.domain.incremental import IncrementalReadiness
from workbench.domain.plan import Mute, Plan
from workbench.domain.readiness import evaluate
from workbench.ops.generate import generate_plan


@pytest.fixture(scope="module")
def estate() -> Plan:
    return generate_plan(400, 2, 11)


def _same_as_full(live: IncrementalReadiness, plan: Plan) -> None:
    full = evaluate(plan)
    assert live.report.findings == full.findings
    assert live.report.muted == full.muted
    assert live.report.risk == full.risk
    assert live.report.blocked() == full.blocked()
    for key in full.risk:
        assert live.report.for_item(key) == full.for_item(key)


def _random_edit(rng: random.Random, plan: Plan) -> Command:
    waves = [w.id for w in plan.schedule.waves]
    keys = sorted(plan.inventory.workloads)
    pick = rng.randrange(7)
    if pick == 0:
        return AssignWorkloads(rng.sample(keys, rng.randint(1, 5)), rng.choice(waves))
    if pick == 1:
        assigned = sorted(plan.schedule.assigned()) or keys
        return UnassignWorkloads(rng.sample(assigned, min(3, len(assigned))))
    if pick == 2:
        return SetWaveTargets(
            rng.choice(waves),
            mode=rng.choice(["sidecar", "ambient"]),
            mtls=rng.choice(["PERMISSIVE", "STRICT"]),
        )
    if pick == 3:
        wave = plan.schedule.wave(rng.choice(waves))
        return RescheduleWave(wave.id, wave.start, wave.end)
    if pick == 4:
        rule = rng.choice(sorted({f.rule for f in evaluate(plan).findings} or {"R1"}))
        return MuteRule(Mute(rule, rng.choice(keys).rsplit("/", 2)[0], "accepted"))
    if pick == 5:
        return SetAssumption(
            "overhead.sidecar_memory_request_bytes", rng.choice([64, 128, 900]) * 2**20
        )
    edges = sorted(plan.dependencies.edges)
    return RemoveDependency(*rng.choice(edges))


def random_changes(plan: Plan, rng: random.Random, steps: int) -> Iterator[Change]:
    """Apply random edits, with an undo now and then; yield each one's Change."""
    done: list[Command] = []
    for _ in range(steps):
        if done and rng.random() < 0.3:
            yield done.pop().undo(plan)
        else:
            command = _random_edit(rng, plan)
            change = command.do(plan)
            done.append(command)
            yield change


def test_incremental_readiness_equals_full_evaluation_after_random_edits_and_undos(
    estate: Plan,
) -> None:
    plan = copy.deepcopy(estate)
    live = IncrementalReadiness(plan)
    _same_as_full(live, plan)
    for change in random_changes(plan, random.Random(5), 40):
        live.update(change)
        _same_as_full(live, plan)


def test_moving_one_workload_re_evaluates_it_its_neighbours_and_their_namespaces_only(
    estate: Plan,
) -> None:
    plan = copy.deepcopy(estate)
    live = IncrementalReadiness(plan)
    everything = live.evaluated
    deps = plan.dependencies
    key = min(
        (k for k in plan.inventory.workloads if deps.callers_of(k) and deps.callees_of(k)),
        key=lambda k: len(deps.callers_of(k)) + len(deps.callees_of(k)),
    )
    wave = next(w.id for w in plan.schedule.waves if key not in w.members)
    live.update(AssignWorkloads([key], wave).do(plan))
    assert live.scope.workloads == {key, *deps.callers_of(key), *deps.callees_of(key)}
    assert live.evaluated < everything / 4
    _same_as_full(live, plan)


def test_edits_readiness_cannot_see_re_evaluate_nothing(estate: Plan) -> None:
    plan = copy.deepcopy(estate)
    live = IncrementalReadiness(plan)
    before = live.report
    wave = plan.schedule.waves[0]
    live.update(RescheduleWave(wave.id, wave.start, wave.end).do(plan))  # dates: not read
    assert live.evaluated == 0 and live.report is before


def test_dependency_and_inventory_edits_rebuild_everything(estate: Plan) -> None:
    plan = copy.deepcopy(estate)
    live = IncrementalReadiness(plan)
    everything = live.evaluated
    live.update(RemoveDependency(*next(iter(plan.dependencies.edges))).do(plan))
    assert live.evaluated == everything
    _same_as_full(live, plan)
