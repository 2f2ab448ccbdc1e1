"""The economics cache: layers reused across edits, never stale, equal to a fresh build."""

from __future__ import annotations

import copy
import gzip
import json
import random
from datetime import timedelta

import numpy as np

from tests.domain.economics_fixtures import estate_plan
from workbench.domain.assumptions import Ramp
from workbench.domain.commands import (
    AddDependency,
    AssignWorkloads,
    Command,
    RemoveDependency,
    RescheduleWave,
    SetWaveTargets,
    UnassignWorkloads,
)
from workbench.domain.dependencies import Edge
from workbench.domain.economics.model import BasisCache, PlanBasis, build_basis, evaluate
from workbench.domain.economics.montecarlo import monte_carlo
from workbench.domain.inventory import Namespace
from workbench.domain.plan import Plan
from workbench.io.plan_file import plan_from_bytes, plan_to_bytes


def _plan(seed: int = 0) -> Plan:
    rng = random.Random(seed)
    plan = estate_plan(workloads=60, pods_each=3, waves=4, namespaces=4)
    plan.inventory.add_namespace(Namespace("c1", "ns1-dev"))
    keys = sorted(plan.inventory.workloads)
    for w in list(plan.inventory.workloads.values())[:3]:
        w.mesh.injected = True
    for _ in range(120):
        a, b = rng.sample(keys, 2)
        rps = rng.choice([None, 0.0, 5.0, 250.0])
        plan.dependencies.add(Edge(a, b, requests_per_second=rps))
    plan.assumptions.infrastructure = "computed"
    plan.assumptions.ramp = Ramp("coverage")
    plan.assumptions.observability.default_requests_per_second = 2.0
    return plan


def _figures(basis: PlanBasis) -> dict[str, object]:
    """Everything the basis yields, as plain values to compare."""
    ev = evaluate(basis.assumptions, basis)
    obs = basis.observability
    out: dict[str, object] = {
        "coverage": basis.coverage.workloads.tolist() + basis.coverage.pods.tolist(),
        "series": [*obs.series.tolist(), obs.steady_series],
        "traces": [*obs.trace_bytes.tolist(), obs.steady_trace_bytes],
        "npv": ev.metrics.npv,
        "payback": ev.metrics.payback_months,
        "waves": [(w.wave, w.name, w.workloads, w.pods, w.cpu_m) for w in basis.timeline.waves],
    }
    for mode in ("sidecar", "ambient"):
        t = basis.timeline_as(mode)
        out[mode] = [t.monthly[k].tolist() for k in sorted(t.monthly)]
        out[mode + " steady"] = sorted(t.steady.items())
    return out


def _assert_same(a: dict[str, object], b: dict[str, object]) -> None:
    assert a.keys() == b.keys()
    for k in a:  # the same arithmetic on the same inputs: equal to the bit
        assert a[k] == b[k], k


def _edit(rng: random.Random, plan: Plan) -> Command:
    keys = sorted(plan.inventory.workloads)
    waves = [w.id for w in plan.schedule.waves]
    choice = rng.randrange(6)
    if choice == 0:
        wave = plan.schedule.wave(rng.choice(waves))
        shift = timedelta(days=rng.randint(-50, 50))
        if rng.random() < 0.5:  # a resize at the end
            return RescheduleWave(wave.id, wave.start, wave.end + abs(shift))
        return RescheduleWave(wave.id, wave.start + shift, wave.end + shift)
    if choice == 1:
        return SetWaveTargets(rng.choice(waves), rng.choice(["sidecar", "ambient"]), None)
    if choice == 2:
        return AssignWorkloads(rng.sample(keys, 3), rng.choice(waves))
    if choice == 3:
        return UnassignWorkloads(rng.sample(keys, 2))
    if choice == 4:  # replaces an edge when it exists: the count may not change
        a, b = rng.sample(keys, 2)
        return AddDependency(Edge(a, b, requests_per_second=rng.choice([None, 40.0, 900.0])))
    edge = rng.choice(sorted(plan.dependencies.edges))
    return RemoveDependency(*edge)


def test_cached_basis_equals_a_fresh_one_after_every_edit_and_undo() -> None:
    for seed in range(4):
        rng = random.Random(seed)
        plan = _plan(seed)
        cache = BasisCache()
        done: list[Command] = []
        for _ in range(25):
            cmd = _edit(rng, plan)
            cmd.do(plan)
            done.append(cmd)
            cached = _figures(cache.basis(plan, plan.assumptions))
            _assert_same(cached, _figures(build_basis(plan, plan.assumptions)))
        for cmd in reversed(done):
            cmd.undo(plan)
            cached = _figures(cache.basis(plan, plan.assumptions))
            _assert_same(cached, _figures(build_basis(plan, plan.assumptions)))


def test_replacing_an_edge_in_place_is_seen() -> None:
    plan = _plan()
    cache = BasisCache()
    a, b = sorted(plan.inventory.workloads)[:2]
    AddDependency(Edge(a, b, requests_per_second=1.0)).do(plan)
    count = len(plan.dependencies.edges)
    before = cache.basis(plan, plan.assumptions).timeline.steady["sidecar"]
    cmd = AddDependency(Edge(a, b, requests_per_second=50_000.0))  # same key, same count
    cmd.do(plan)
    assert len(plan.dependencies.edges) == count
    after = cache.basis(plan, plan.assumptions).timeline.steady["sidecar"]
    assert after[0] > before[0]
    cmd.undo(plan)
    assert cache.basis(plan, plan.assumptions).timeline.steady["sidecar"] == before


def test_a_drag_reuses_the_estate_and_membership_layers() -> None:
    plan = _plan()
    cache = BasisCache()
    first = cache.basis(plan, plan.assumptions)
    wave = plan.schedule.waves[1]
    RescheduleWave(wave.id, wave.start + timedelta(days=9), wave.end + timedelta(days=9)).do(plan)
    dragged = cache.basis(plan, plan.assumptions)
    assert dragged is not first
    assert dragged.estate is first.estate and dragged.membership is first.membership
    AssignWorkloads([plan.schedule.waves[0].members[0]], wave.id).do(plan)
    moved = cache.basis(plan, plan.assumptions)
    assert moved.estate is first.estate and moved.membership is not first.membership
    plan.assumptions.overhead.sidecar_cpu_request_m += 1
    assert cache.basis(plan, plan.assumptions).estate is not first.estate


def test_the_monitoring_load_is_computed_only_when_used() -> None:
    plan = _plan()
    plan.assumptions.infrastructure = "fixed"
    basis = BasisCache().basis(plan, plan.assumptions)
    ev = evaluate(plan.assumptions, basis)
    assert basis._observability is None and basis.estate._edges is None
    assert not ev.observability_monthly.any()
    plan.assumptions.infrastructure = "computed"
    ev = evaluate(plan.assumptions, basis)
    assert basis._observability is not None and ev.observability_monthly.sum() > 0
    plan.assumptions.observability.enabled = False
    off = BasisCache().basis(plan, plan.assumptions)
    evaluate(plan.assumptions, off)
    assert off._observability is None


def test_a_copied_or_replaced_estate_is_not_taken_for_the_cached_one() -> None:
    plan = _plan()
    cache = BasisCache()
    first = cache.basis(plan, plan.assumptions)
    twin = copy.deepcopy(plan)
    assert twin.inventory.revision == plan.inventory.revision
    assert cache.basis(twin, twin.assumptions).estate is not first.estate
    for w in twin.inventory.workloads.values():
        w.pods *= 2
    twin.inventory.revision += 1  # an in-place edit outside the commands bumps it too
    doubled = cache.basis(twin, twin.assumptions).coverage.total_pods
    assert doubled == 2 * first.coverage.total_pods


def test_revisions_are_neither_saved_nor_compared() -> None:
    plan = _plan()
    other = copy.deepcopy(plan)
    AddDependency(Edge(*sorted(plan.inventory.workloads)[:2])).do(other)
    RemoveDependency(*sorted(plan.inventory.workloads)[:2]).do(other)
    assert other.dependencies.revision > plan.dependencies.revision
    assert other.dependencies == plan.dependencies
    data = plan_to_bytes(other)
    saved = json.loads(gzip.decompress(data))["plan"]
    assert "revision" not in saved["inventory"] and "revision" not in saved["dependencies"]
    assert plan_from_bytes(data) == plan


def test_monte_carlo_keeps_every_npv_draw() -> None:
    plan = _plan()
    a = plan.assumptions
    inputs = evaluate(a, build_basis(plan, a)).inputs
    mc = monte_carlo(inputs, a, draws=3000, seed=11)
    draws = mc.npv_draws
    assert draws.shape == (3000,) and not draws.flags.writeable
    p10, p50, p90 = np.quantile(draws, [0.1, 0.5, 0.9])
    assert (mc.npv_p10, mc.npv_p50, mc.npv_p90) == (p10, p50, p90)
    assert mc.probability_npv_positive == float((draws > 0).mean())
    again = monte_carlo(inputs, a, draws=3000, seed=11)
    assert again == mc and np.array_equal(again.npv_draws, draws)
    assert not np.array_equal(monte_carlo(inputs, a, draws=3000, seed=12).npv_draws, draws)
