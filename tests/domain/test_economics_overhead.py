"""Overhead, coverage, pricing, observability and latency."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.domain.economics_fixtures import estate_plan
from workbench.domain.assumptions import Prices, Ramp, overhead_profile
from workbench.domain.dependencies import Edge
from workbench.domain.economics.coverage import MonthGrid, add_months, coverage
from workbench.domain.economics.latency import longest_chains
from workbench.domain.economics.model import BasisCache, build_basis, evaluate
from workbench.domain.economics.observability import is_development, series_per_edge_side
from workbench.domain.economics.overhead import sidecar_resources
from workbench.domain.economics.pricing import GIB, monthly_cost, node_equivalent
from workbench.domain.inventory import Workload
from workbench.domain.quantities import QuantityError, parse_cpu_m, parse_memory_bytes

MIB = 1024 * 1024


@pytest.mark.parametrize(
    ("text", "millicores"),
    [("100m", 100), ("0.5", 500), ("2", 2000), ("1.5", 1500), ("250m", 250), ("1e-1", 100)],
)
def test_cpu_quantities(text: str, millicores: int) -> None:
    assert parse_cpu_m(text) == millicores


@pytest.mark.parametrize(
    ("text", "size"),
    [("128Mi", 128 * MIB), ("1Gi", 1024 * MIB), ("500M", 500_000_000), ("1k", 1000), ("64", 64)],
)
def test_memory_quantities(text: str, size: int) -> None:
    assert parse_memory_bytes(text) == size


@pytest.mark.parametrize("text", ["", "abc", "10Xi", "-1", "1.2.3"])
def test_bad_quantities_say_where(text: str) -> None:
    with pytest.raises(QuantityError, match="in annotations of x"):
        parse_memory_bytes(text, "annotations of x")


def test_annotations_override_the_profile_like_istio_does() -> None:
    profile = overhead_profile("istio-defaults")
    w = Workload("c", "ns", "Deployment", "a")
    r = sidecar_resources(w, profile)
    assert (r.cpu_request_m, r.memory_request_bytes) == (100, 128 * MIB)
    assert (r.cpu_limit_m, r.memory_limit_bytes) == (2000, 1024 * MIB)
    w.annotations = {"sidecar.istio.io/proxyCPU": "50m", "sidecar.istio.io/proxyMemory": "64Mi"}
    r = sidecar_resources(w, profile)
    assert (r.cpu_request_m, r.memory_request_bytes, r.cpu_limit_m, r.memory_limit_bytes) == (
        50,
        64 * MIB,
        0,
        0,
    )
    w.annotations = {
        "sidecar.istio.io/proxyCPULimit": "1",
        "sidecar.istio.io/proxyMemoryLimit": "512Mi",
    }
    r = sidecar_resources(w, profile)
    assert (r.cpu_request_m, r.cpu_limit_m, r.memory_limit_bytes) == (0, 1000, 512 * MIB)
    assert (
        sidecar_resources(
            Workload("c", "n", "Deployment", "b"), overhead_profile("seed-playbook")
        ).cpu_request_m
        == 200
    )


def test_thousand_pods_on_istio_defaults() -> None:
    plan = estate_plan(workloads=100, pods_each=10)
    a = plan.assumptions
    basis = build_basis(plan, a)
    cpu, mem = basis.timeline.steady["sidecar"]
    assert cpu == 100_000  # 100 vCPU
    assert mem == 125 * GIB
    expected = (100 * 0.031611 + 125 * 0.004237) * 730
    assert float(monthly_cost(cpu, mem, Prices())) == pytest.approx(expected, rel=1e-12)
    assert expected == pytest.approx(2694.229, abs=1e-3)
    cp_cpu, cp_mem = basis.timeline.steady["control_plane"]
    assert cp_cpu == 2 * 500 + 2 * 100
    assert cp_mem == 2 * 2048 * MIB + 2 * 128 * MIB
    assert sum(w.pods for w in basis.timeline.waves) == 1000
    assert sum(w.cpu_m for w in basis.timeline.waves) == pytest.approx(100_000)
    ne = node_equivalent(cpu, mem, Prices())
    assert ne.nodes == pytest.approx(100 / (8 * 0.7))


def test_ambient_variant_of_the_same_plan() -> None:
    plan = estate_plan(workloads=100, pods_each=10, nodes=10, namespaces=5)
    basis = build_basis(plan, plan.assumptions)
    amb = basis.timeline_as("ambient")
    assert amb.steady["sidecar"] == (0.0, 0.0)
    assert amb.steady["ztunnel"] == (10 * 200, 10 * 512 * MIB)
    assert amb.steady["waypoint"] == (5 * 100, 5 * 128 * MIB)
    assert amb.ztunnel_nodes == 10 and amb.waypoints == 5
    side = basis.timeline_as("sidecar")
    assert side.steady["sidecar"] == basis.timeline.steady["sidecar"]
    plan.assumptions.overhead.waypoint_every_namespace = False
    assert build_basis(plan, plan.assumptions).timeline_as("ambient").waypoints == 0


def test_traffic_usage_counts_where_it_exceeds_requests() -> None:
    plan = estate_plan(workloads=2, pods_each=1, waves=1)
    a, b = sorted(plan.inventory.workloads)
    plan.dependencies.add(Edge(a, b, requests_per_second=2000.0))
    basis = build_basis(plan, plan.assumptions)
    # each side sees 2,000 req/s: 0.4 vCPU of usage beats the 100m request
    assert basis.timeline.steady["sidecar"][0] == pytest.approx(800.0)


def test_host_network_pods_get_no_sidecar() -> None:
    plan = estate_plan(workloads=10, pods_each=1, waves=1)
    next(iter(plan.inventory.workloads.values())).host_network = True
    assert build_basis(plan, plan.assumptions).timeline.steady["sidecar"][0] == 900


def test_coverage_counts_a_wave_from_its_end_date() -> None:
    plan = estate_plan(workloads=100, waves=2)  # waves end 2027-01-28 and 2027-03-28
    grid = MonthGrid(date(2027, 1, 1), 6)
    cov = coverage(plan.inventory, plan.schedule, grid)
    assert cov.workloads[0] == pytest.approx(0.5 * 4 / 31)
    assert cov.workloads[1] == pytest.approx(0.5)
    assert cov.workloads[2] == pytest.approx(0.5 + 0.5 * 4 / 31)
    assert list(cov.workloads[3:]) == [1.0, 1.0, 1.0]
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)


def _coverage_payback(shift_days: int) -> float | None:
    plan = estate_plan(workloads=40, waves=4)
    plan.assumptions.ramp = Ramp("coverage")
    for w in plan.schedule.waves:
        w.start += timedelta(days=shift_days)
        w.end += timedelta(days=shift_days)
    return evaluate(plan.assumptions, build_basis(plan, plan.assumptions)).metrics.payback_months


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=200), st.integers(min_value=20, max_value=200))
def test_later_waves_give_later_payback(shift: int, extra: int) -> None:
    early, late = _coverage_payback(shift), _coverage_payback(shift + extra)
    assert early is not None and late is not None
    assert late > early


def test_computed_infrastructure_follows_the_schedule() -> None:
    plan = estate_plan(workloads=100, pods_each=10)
    plan.assumptions.infrastructure = "computed"
    ev = evaluate(plan.assumptions, build_basis(plan, plan.assumptions))
    i = ev.inputs.cost_names.index("Infrastructure")
    infra = ev.cash_flow.costs[i] - np.eye(1, ev.inputs.months)[0] * 200_000
    assert infra[0] < infra[1] < infra[2] < infra[3]
    assert infra[3] == pytest.approx(infra[-1])


def test_basis_cache_reuses_until_the_schedule_changes() -> None:
    plan = estate_plan(workloads=20)
    cache = BasisCache()
    first = cache.basis(plan, plan.assumptions)
    plan.assumptions.discount_rate = 0.2
    assert cache.basis(plan, plan.assumptions) is first
    plan.schedule.waves[0].end += timedelta(days=40)
    assert cache.basis(plan, plan.assumptions) is not first


def test_observability_series_and_traces() -> None:
    plan = estate_plan(workloads=2, pods_each=1, waves=1)
    a, b = sorted(plan.inventory.workloads)
    plan.dependencies.add(Edge(a, b, requests_per_second=100.0))
    s = plan.assumptions.observability
    load = build_basis(plan, plan.assumptions).observability
    assert series_per_edge_side(s) == 2 * (1 + 3 * 22)
    assert load.steady_series == 2 * series_per_edge_side(s) + 2 * s.series_per_proxy
    spans_per_day = 100 * 0.01 * 86400 * 2
    assert load.steady_trace_bytes == pytest.approx(spans_per_day * 7 * 1024)
    assert is_development("payments-dev", {}) and not is_development("payments", {})
    assert is_development("orders", {"environment": "staging"})


def test_longest_chain_latency() -> None:
    plan = estate_plan(workloads=4, pods_each=1, waves=1)
    k = sorted(plan.inventory.workloads)
    for x, y in [(k[0], k[1]), (k[1], k[2]), (k[2], k[3]), (k[3], k[1])]:
        plan.dependencies.add(Edge(x, y))
    chains = longest_chains(
        plan.inventory,
        plan.dependencies,
        plan.schedule,
        plan.assumptions.latency,
        plan.assumptions.overhead,
    )
    assert chains[0].workloads[0] == k[0]
    assert chains[0].hops == 1  # the cycle k1 -> k2 -> k3 -> k1 collapses to one step
    assert chains[0].added_p90_ms == pytest.approx(0.228)
