"""The economics use-case and the summary keys it fills."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import REPO
from tests.domain.economics_fixtures import estate_plan
from workbench.domain.assumptions import Scenario
from workbench.domain.commands import RescheduleWave, SetWaveTargets
from workbench.domain.economics import model
from workbench.domain.economics.model import BasisCache, readiness_from_findings
from workbench.domain.errors import WorkbenchError
from workbench.ops.check import check_plan
from workbench.ops.economics import compute, report_as_dict, summary_keys
from workbench.ops.generate import generate_plan
from workbench.ops.summary import plan_summary

SUMMARY_ECONOMICS = {
    "horizon_months",
    "total_cost",
    "total_benefit",
    "net_benefit",
    "roi",
    "npv",
    "irr",
    "payback_months",
    "currency",
    "mirr",
}
SUMMARY_OVERHEAD = {
    "sidecar_cpu_cores",
    "sidecar_memory_gib",
    "control_plane_cpu_cores",
    "control_plane_memory_gib",
    "monthly_cost",
    "extra_nodes",
    "ambient_cpu_cores",
    "ambient_memory_gib",
    "ztunnel_cpu_cores",
    "ztunnel_memory_gib",
    "waypoint_cpu_cores",
    "waypoint_memory_gib",
}


def _plan():  # type: ignore[no-untyped-def]
    plan = estate_plan(workloads=100, pods_each=10)
    plan.scenarios = [
        Scenario("playbook"),
        Scenario("ramp-with-migration", overrides={"ramp.kind": "linear", "ramp.months": 14}),
    ]
    return plan


def test_compute_seed_case_under_each_scenario() -> None:
    plan = _plan()
    assert round(compute(plan, "playbook").metrics.roi, 4) == 1.3404
    r = compute(plan, "ramp-with-migration", with_monte_carlo=True, with_latency=True)
    assert 15.5 <= r.metrics.payback_months <= 17
    assert r.scenario == "ramp-with-migration"
    assert [s.name for s in r.scenarios] == ["", "playbook", "ramp-with-migration"]
    assert r.monte_carlo is not None and r.latency == []
    assert r.overhead.sidecar_cpu_m == 100_000
    assert r.overhead_by_mode["ambient"].sidecar_cpu_m == 0


def test_active_scenario_is_the_default_and_unknown_is_a_user_error() -> None:
    plan = _plan()
    plan.active_scenario = "ramp-with-migration"
    assert compute(plan).scenario == "ramp-with-migration"
    with pytest.raises(WorkbenchError, match="no scenario named 'nope'"):
        compute(plan, "nope")


def test_report_as_dict_has_every_month_and_the_ranking() -> None:
    plan = _plan()
    d = report_as_dict(compute(plan, with_monte_carlo=True))
    assert len(d["months"]) == 36
    assert d["months"][-1]["cumulative_net"] == pytest.approx(d["metrics"]["net_benefit"], abs=1)
    assert d["sensitivity"][0]["swing"] >= d["sensitivity"][-1]["swing"]
    assert d["monte_carlo"]["draws"] == plan.assumptions.monte_carlo.draws


def test_summary_keys_contract() -> None:
    plan = _plan()
    data = plan_summary(plan, "playbook")
    assert set(data["economics"]) == SUMMARY_ECONOMICS
    assert set(data["overhead"]) == SUMMARY_OVERHEAD
    assert data["economics"]["total_cost"] == 7_050_000
    assert data["economics"]["roi"] == pytest.approx(1.340426, abs=1e-6)
    assert data["overhead"]["sidecar_cpu_cores"] == 100
    assert data["overhead"]["sidecar_memory_gib"] == 125
    assert data["overhead"]["extra_nodes"] == 19  # 101.2 vCPU at 8 vCPU x 70%


def test_dragging_a_wave_moves_the_coverage_payback() -> None:
    plan = _plan()
    plan.assumptions.ramp.kind = "coverage"
    cache = BasisCache()
    before = compute(plan, cache=cache).metrics.payback_months
    for w in plan.schedule.waves:
        w.end += timedelta(days=90)
    after = compute(plan, cache=cache).metrics.payback_months
    assert after > before
    assert summary_keys(plan)["economics"]["payback_months"] == pytest.approx(after, abs=1e-3)


def test_sample_plan_seed_case() -> None:
    path = REPO / "plans" / "seed-playbook.meshplan"
    try:
        from workbench.io.plan_file import load_plan
    except ImportError:
        load_plan = None
    if load_plan is None or not path.is_file():
        pytest.skip("the sample plan or the plan-file reader is not there yet")
    plan = load_plan(path)
    assert compute(plan, "playbook").metrics.total_cost == pytest.approx(7_050_000)
    assert round(compute(plan, "playbook").metrics.roi, 4) == 1.3404
    ramp = compute(plan, "ramp-with-migration").metrics
    assert 15.5 <= ramp.payback_months <= 17 and 0.85 <= ramp.roi <= 0.95


def _estate_case_plan():  # type: ignore[no-untyped-def]
    plan = generate_plan(120, 2, 4)
    plan.assumptions.case = "estate"  # prices effort and remediation by readiness class
    return plan


def test_summary_keys_take_the_readiness_classes_they_are_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plan = _estate_case_plan()
    from_rules = summary_keys(plan, cache=BasisCache())
    classes = readiness_from_findings(check_plan(plan).findings)

    def not_here(_plan: object) -> object:
        raise AssertionError("the readiness rules ran although the classes were given")

    monkeypatch.setattr(model, "plan_readiness", not_here)
    given = summary_keys(plan, readiness=classes, cache=BasisCache())
    assert given == from_rules
    assert given["economics"]["total_cost"] > 0


def test_a_cache_says_whether_it_holds_the_readiness_classes_of_the_plan_as_it_stands() -> None:
    plan = _estate_case_plan()
    a = plan.assumptions
    cache = BasisCache()
    assert not cache.holds_readiness(plan, a)
    classes = readiness_from_findings(check_plan(plan).findings)
    summary_keys(plan, readiness=classes, cache=cache)
    assert cache.holds_readiness(plan, a)
    wave = next(w for w in plan.schedule.waves if w.members)
    RescheduleWave(wave.id, wave.start + timedelta(days=9), wave.end + timedelta(days=9)).do(plan)
    assert cache.holds_readiness(plan, a)  # a drag leaves every workload's readiness alone
    SetWaveTargets(wave.id, mode="ambient").do(plan)
    assert not cache.holds_readiness(plan, a)  # ambient rules now apply to its members


def test_classes_held_only_as_a_promise_to_run_the_rules_do_not_count() -> None:
    plan = _estate_case_plan()
    plan.assumptions.case = "playbook"  # fixed cost lines: readiness is never needed
    cache = BasisCache()
    summary_keys(plan, cache=cache)
    assert not cache.holds_readiness(plan, plan.assumptions)
    plan.assumptions.case = "estate"
    summary_keys(plan, cache=cache)  # the rules ran for the estate case's lines
    assert cache.holds_readiness(plan, plan.assumptions)
