"""Auto-plan: properties over random call graphs, and the options one by one."""

from __future__ import annotations

import copy
import itertools
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.domain.planning_plans import add_wave, add_workload, full, make_plan, rules
from workbench.domain.dependencies import Edge
from workbench.domain.inventory import MeshPolicy
from workbench.domain.plan import Plan
from workbench.domain.planning.autoplan import AutoPlanOptions, PlanningError, propose
from workbench.domain.planning.readiness_input import ReadinessInput
from workbench.domain.planning.validator import ScheduleValidator
from workbench.domain.schedule import Schedule

NAMESPACES = ("shop-dev", "shop-prod", "payments", "search-staging")


@st.composite
def estates(draw: st.DrawFn) -> tuple[Plan, ReadinessInput, AutoPlanOptions]:
    n = draw(st.integers(1, 30))
    cyclic = draw(st.booleans())
    clusters = draw(st.sampled_from([("c1",), ("c1", "c2")]))
    plan = make_plan(injection=draw(st.sampled_from(["namespace-label", "pod-label"])))
    keys = []
    for i in range(n):
        cluster = draw(st.sampled_from(clusters))
        ns = draw(st.sampled_from(NAMESPACES))
        pods = draw(st.integers(1, 6))
        keys.append(add_workload(plan, f"{cluster}/{ns}/w{i}", pods=pods).key)
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))
    for a, b in draw(st.lists(pairs, max_size=3 * n)):
        if a != b and (cyclic or a < b):
            plan.dependencies.add(Edge(keys[a], keys[b]))
    if draw(st.booleans()):
        plan.inventory.mesh_policies.append(
            MeshPolicy("c1", "payments", "AuthorizationPolicy", "l7", l7=True)
        )
    blockers = frozenset(k for k in keys if draw(st.integers(0, 9)) == 0)
    risk = {k: float(draw(st.sampled_from([0, 3, 12, 35, 60]))) for k in keys}
    options = AutoPlanOptions(
        max_workloads=draw(st.sampled_from([None, 1, 3, 8])),
        max_pods=draw(st.sampled_from([None, 6, 20])),
        wave_length_days=draw(st.integers(3, 30)),
        keep_namespaces_whole=draw(st.sampled_from([None, True, False])),
        pilot_size=draw(st.integers(0, 5)),
        target_mode=draw(st.sampled_from(["sidecar", "ambient"])),
    )
    return plan, ReadinessInput(blockers, risk), options


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(estates())
def test_auto_plan_properties(case: tuple[Plan, ReadinessInput, AutoPlanOptions]) -> None:
    plan, readiness, options = case
    before = copy.deepcopy(plan)
    proposal = propose(plan, options, readiness)
    assert plan == before  # proposing changes nothing
    again = propose(copy.deepcopy(plan), options, readiness)
    assert again == proposal  # deterministic
    command = proposal.command()
    command.do(plan)
    members = [k for w in plan.schedule.waves for k in w.members]
    assert len(members) == len(set(members))
    expected = {k for k in plan.inventory.workloads if k not in readiness.blockers}
    assert set(members) == expected
    assert sorted(proposal.left_out) == sorted(readiness.blockers)
    if options.keep_namespaces_whole is not True:  # the capacity holds for every wave
        for wave in plan.schedule.waves:
            pods = sum(plan.inventory.workloads[k].pods for k in wave.members)
            single = len(wave.members) == 1
            assert options.max_workloads is None or len(wave.members) <= options.max_workloads
            assert options.max_pods is None or pods <= options.max_pods or single
    cut = {
        f.subject
        for f in ScheduleValidator(plan, readiness).findings()
        if f.rule == "S04" and _larger_than_a_wave(plan, f.items, options)
    }
    serious = [
        f
        for f in ScheduleValidator(plan, readiness).findings()
        if f.severity in ("blocker", "high") and f.subject not in cut
    ]
    assert serious == []
    command.undo(plan)
    assert plan == before


def _larger_than_a_wave(plan: Plan, items: tuple[str, ...], options: AutoPlanOptions) -> bool:
    """Whether the call cycle named by an S04 finding cannot fit in one wave."""
    keys = [k for k in items if k in plan.inventory.workloads]
    pods = sum(plan.inventory.workloads[k].pods for k in keys)
    return (options.max_workloads is not None and len(keys) > options.max_workloads) or (
        options.max_pods is not None and pods > options.max_pods
    )


def test_callees_go_before_callers_and_waves_are_few() -> None:
    names = [f"s{i}" for i in range(6)]
    chain = list(itertools.pairwise(names))  # s0 -> s1 -> ... -> s5
    plan = make_plan(names, chain)
    proposal = propose(plan, AutoPlanOptions(max_workloads=2, pilot_size=0), ReadinessInput())
    order = [w.members for w in proposal.waves]
    assert order == [[full("s5"), full("s4")], [full("s3"), full("s2")], [full("s1"), full("s0")]]
    starts = [w.start for w in proposal.waves]
    assert starts == sorted(starts)
    assert all(w.mtls == "PERMISSIVE" and w.phase == "core" for w in proposal.waves)


def test_pilot_takes_lowest_risk_and_fan_in() -> None:
    callers = [f"c{i}" for i in range(5)]
    plan = make_plan(["hub", "calm", "risky", *callers], [(c, "hub") for c in callers])
    risk = {full("risky"): 35.0, full("calm"): 0.0}
    risk.update({full(c): 3.0 for c in callers})
    proposal = propose(plan, AutoPlanOptions(pilot_size=2), ReadinessInput(frozenset(), risk))
    pilot = proposal.waves[0]
    assert pilot.phase == "pilot" and pilot.name == "Pilot 1"
    assert pilot.members[0] == full("calm") and len(pilot.members) == 2
    assert full("hub") not in pilot.members and full("risky") not in pilot.members
    assert pilot.start == date(2027, 5, 1)
    assert proposal.waves[1].start > pilot.end


def test_cycles_and_namespaces_stay_whole() -> None:
    plan = make_plan(["a", "b", "other/c", "other/d"], [("a", "b"), ("b", "a")])
    opts = AutoPlanOptions(max_workloads=2, pilot_size=0, keep_namespaces_whole=False)
    waves = [w.members for w in propose(plan, opts, ReadinessInput()).waves]
    assert [full("a"), full("b")] in waves  # a cycle that fits stays whole
    opts = AutoPlanOptions(max_workloads=1, pilot_size=0, keep_namespaces_whole=False)
    proposal = propose(plan, opts, ReadinessInput())
    assert all(len(w.members) == 1 for w in proposal.waves)  # the capacity holds
    assert any("split to keep the capacity" in n for n in proposal.notes)
    opts = AutoPlanOptions(max_workloads=1, pilot_size=0, keep_namespaces_whole=True)
    proposal = propose(plan, opts, ReadinessInput())
    assert sorted(len(w.members) for w in proposal.waves) == [2, 2]  # on request
    assert any("kept whole although larger" in n for n in proposal.notes)


def test_environment_order_puts_non_production_first() -> None:
    plan = make_plan(["shop-prod/a", "shop-dev/a", "shop-staging/a"])
    proposal = propose(plan, AutoPlanOptions(pilot_size=0), ReadinessInput())
    names = [w.name for w in proposal.waves]
    assert names == ["Core 1 (dev)", "Core 2 (staging)", "Core 3 (prod)"]
    assert "S06" not in _applied_rules(plan, proposal.command())


def test_keeps_hand_placed_assignments_and_joins_their_cycles() -> None:
    plan = make_plan(["a", "b", "c"], [("a", "b"), ("b", "a")])
    add_wave(plan, "mine", ["a"], phase="pilot")
    proposal = propose(plan, AutoPlanOptions(pilot_size=0), ReadinessInput())
    assert proposal.joins == {"mine": [full("b")]}
    assert [w.members for w in proposal.waves] == [[full("c")]]
    assert proposal.waves[0].id != "mine"
    replan = propose(plan, AutoPlanOptions(pilot_size=0, keep_assignments=False), ReadinessInput())
    assert replan.removed_waves == ["mine"] and replan.joins == {}
    assert sorted(k for w in replan.waves for k in w.members) == [full(x) for x in "abc"]


def test_concurrency_and_wave_length() -> None:
    plan = make_plan([f"s{i}" for i in range(5)])
    plan.schedule.max_concurrent_waves = 2
    opts = AutoPlanOptions(max_workloads=1, pilot_size=0, wave_length_days=10)
    waves = propose(plan, opts, ReadinessInput()).waves
    starts = [w.start for w in waves]
    core = date(2027, 8, 1)
    assert starts == [core, core, date(2027, 8, 11), date(2027, 8, 11), date(2027, 8, 21)]
    assert all((w.end - w.start).days == 9 for w in waves)


def test_ambient_waves_plan_their_waypoints() -> None:
    plan = make_plan(["a", "b"])
    plan.inventory.mesh_policies.append(
        MeshPolicy("c1", "shop", "AuthorizationPolicy", "x", l7=True)
    )
    opts = AutoPlanOptions(max_workloads=1, pilot_size=0, target_mode="ambient")
    waves = propose(plan, opts, ReadinessInput()).waves
    assert [w.waypoints for w in waves] == [["c1/shop"], []]
    assert all(w.mode == "ambient" for w in waves)


def test_cross_cluster_calls_get_a_multicluster_setup() -> None:
    plan = make_plan(["a", "c2/shop/b"], [("a", "c2/shop/b")])
    proposal = propose(plan, AutoPlanOptions(pilot_size=0), ReadinessInput())
    (setup,) = proposal.activities
    assert setup.end < proposal.waves[0].start and "root of trust" in setup.name
    assert "S12" not in _applied_rules(plan, proposal.command())


def test_plan_without_phases_needs_a_start() -> None:
    plan = make_plan(["a"])
    plan.schedule = Schedule()
    with pytest.raises(PlanningError, match="start date"):
        propose(plan, AutoPlanOptions(), ReadinessInput())
    proposal = propose(plan, AutoPlanOptions(start=date(2030, 1, 1)), ReadinessInput())
    assert [p.id for p in proposal.phases] == ["foundation", "pilot", "core", "optimization"]
    proposal.command().do(plan)
    assert plan.schedule.wave_of(full("a")) is not None


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (AutoPlanOptions(max_workloads=0), "max_workloads"),
        (AutoPlanOptions(wave_length_days=0), "wave_length_days"),
        (AutoPlanOptions(pilot_size=-1), "pilot_size"),
        (AutoPlanOptions(target_mode="proxyless"), "target mode"),
        (AutoPlanOptions(environment_order=("dev", "qa-ish")), "qa-ish"),
    ],
)
def test_bad_options_are_user_errors(options: AutoPlanOptions, message: str) -> None:
    with pytest.raises(PlanningError, match=message):
        propose(make_plan(["a"]), options, ReadinessInput())


def _applied_rules(plan: Plan, command: object) -> set[str]:
    command.do(plan)  # type: ignore[attr-defined]
    return set(rules(plan))


def test_a_namespace_cut_to_fit_keeps_its_call_cycles_whole() -> None:
    """A namespace kept whole joins a small cross-namespace cycle into a unit larger than
    a wave; the cut goes between cycles, not through one."""
    plan = make_plan(injection="namespace-label")
    dev = [add_workload(plan, f"c1/shop-dev/w{i}").key for i in range(8)]
    prod = add_workload(plan, "c1/shop-prod/p").key
    for a, b in ((dev[0], prod), (prod, dev[0])):
        plan.dependencies.add(Edge(a, b))
    proposal = propose(plan, AutoPlanOptions(max_workloads=8, pilot_size=0), ReadinessInput())
    proposal.command().do(plan)
    assert plan.schedule.wave_of(dev[0]) == plan.schedule.wave_of(prod)
    assert all(len(w.members) <= 8 for w in plan.schedule.waves)
    assert "S04" not in rules(plan)
    assert not any("call cycle" in n for n in proposal.notes)
