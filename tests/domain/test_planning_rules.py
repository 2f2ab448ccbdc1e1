"""Each schedule rule: a plan that triggers it and a close one that must not."""

from __future__ import annotations

from datetime import date, timedelta

from tests.domain.planning_plans import add_wave, add_workload, full, make_plan, rules
from workbench.domain.inventory import MeshPolicy, Service
from workbench.domain.planning.readiness_input import ReadinessInput
from workbench.domain.schedule import Activity

CORE = date(2027, 8, 1)


def test_blocked_workload_scheduled() -> None:
    plan = make_plan(["a", "b"])
    add_wave(plan, "w1", ["a", "b"])
    blocked = ReadinessInput(frozenset({full("a")}), {full("a"): 100.0})
    hits = rules(plan, blocked)["S01"]
    assert [f.items for f in hits] == [(full("a"), "w1")]
    assert hits[0].severity == "blocker" and hits[0].source == "schedule"
    plan.schedule.unassign(full("a"))
    assert "S01" not in rules(plan, blocked)


def test_strict_wave_before_callers_meshed() -> None:
    plan = make_plan(["front", "api"], [("front", "api")])
    add_wave(plan, "w1", ["api"], mtls="STRICT")
    add_wave(plan, "w2", ["front"], start=CORE + timedelta(days=20))
    hits = rules(plan)["S02"]
    assert hits[0].items == (full("api"), full("front"), "w1")
    assert hits[0].severity == "high"
    # the caller meshed in an earlier wave: STRICT is safe
    plan.schedule.wave("w2").start = CORE - timedelta(days=20)
    plan.schedule.wave("w2").end = CORE - timedelta(days=7)
    assert "S02" not in rules(plan)


def test_strict_namespace_target_before_callers_meshed() -> None:
    plan = make_plan(["front", "other/api"], [("front", "other/api")])
    add_wave(plan, "w1", ["other/api", "front"])
    plan.schedule.namespace_strict["c1/other"] = CORE  # before the wave ends
    assert "S02" not in rules(plan)  # STRICT applies once api is meshed, with its caller
    plan.schedule.unassign(full("front"))
    hits = rules(plan)["S02"]
    assert hits[0].items[:2] == (full("other/api"), full("front"))
    assert "namespace c1/other" in hits[0].message


def test_strict_on_a_workload_exposed_outside_the_mesh() -> None:
    plan = make_plan(["web"])
    plan.inventory.add_service(
        Service("c1", "shop", "web", type="NodePort", selector={"app": "web"})
    )
    add_wave(plan, "w1", ["web"], mtls="STRICT")
    assert "outside the mesh" in rules(plan)["S02"][0].message
    plan.schedule.wave("w1").mtls = "PERMISSIVE"
    assert "S02" not in rules(plan)


def test_authorization_policy_before_callers_meshed() -> None:
    plan = make_plan(["front", "api"], [("front", "api")])
    add_wave(plan, "w1", ["api"], authz=True)
    assert rules(plan)["S03"][0].items == (full("api"), full("front"), "w1")
    add_wave(plan, "w0", ["front"], phase="pilot")
    assert "S03" not in rules(plan)


def test_cycle_split_across_waves() -> None:
    plan = make_plan(["a", "b", "c"], [("a", "b"), ("b", "a"), ("b", "c")])
    add_wave(plan, "w1", ["a", "c"])
    add_wave(plan, "w2", ["b"], start=CORE + timedelta(days=14))
    hits = rules(plan)["S04"]
    assert set(hits[0].items) == {full("a"), full("b"), "w1", "w2"}
    plan.schedule.assign(full("b"), "w1")
    assert "S04" not in rules(plan)


def test_cycle_partly_unassigned_is_split() -> None:
    plan = make_plan(["a", "b"], [("a", "b"), ("b", "a")])
    add_wave(plan, "w1", ["a"])
    assert "S04" in rules(plan)
    blocked = ReadinessInput(frozenset({full("b")}), {})
    assert "S04" not in rules(plan, blocked)  # b cannot join: the rest may go


def test_wave_capacity() -> None:
    plan = make_plan(["a", "b", "c"], pods=3)
    add_wave(plan, "w1", ["a", "b", "c"], max_workloads=3, max_pods=9)
    assert "S05" not in rules(plan)
    plan.schedule.wave("w1").max_workloads = 2
    plan.schedule.wave("w1").max_pods = 8
    msg = rules(plan)["S05"][0].message
    assert "3 workloads (capacity 2)" in msg and "9 pods (capacity 8)" in msg


def test_production_before_non_production() -> None:
    plan = make_plan(["shop-prod/a", "shop-dev/a"])
    add_wave(plan, "w1", ["shop-prod/a"])
    add_wave(plan, "w2", ["shop-dev/a"], start=CORE + timedelta(days=14))
    hit = rules(plan)["S06"][0]
    assert hit.items == (full("shop-prod/a"), "w1", "w2")
    plan.schedule.wave("w2").start = CORE
    assert "S06" not in rules(plan)


def test_environment_from_namespace_labels() -> None:
    plan = make_plan(
        ["live/a", "edge/b"],
        ns_labels={"c1/edge": {"env": "Development"}, "c1/live": {"tier": "production"}},
    )
    add_wave(plan, "w1", ["live/a"])
    add_wave(plan, "w2", ["edge/b"], start=CORE + timedelta(days=1))
    assert "S06" in rules(plan)
    plan.inventory.namespaces["c1/edge"].labels = {"tier": "frontend"}  # names no environment
    assert "S06" not in rules(plan)


def test_risky_or_critical_workload_in_pilot() -> None:
    callers = [f"c{i}" for i in range(5)]
    plan = make_plan(["hub", "leaf", *callers], [(c, "hub") for c in callers])
    add_wave(plan, "p1", ["hub", "leaf"], phase="pilot")
    hits = rules(plan)["S07"]
    assert [f.subject for f in hits] == [full("hub")] and "5 callers" in hits[0].message
    risky = ReadinessInput(frozenset(), {full("leaf"): 35.0})
    assert {f.subject for f in rules(plan, risky)["S07"]} == {full("hub"), full("leaf")}
    plan.schedule.unassign(full("hub"))
    assert "S07" not in rules(plan)


def test_wave_outside_its_phase() -> None:
    plan = make_plan(["a"])
    wave = add_wave(plan, "w1", ["a"], phase="pilot")
    assert "S08" not in rules(plan)
    wave.end = plan.schedule.phase("pilot").end + timedelta(days=1)
    assert "outside phase Pilot" in rules(plan)["S08"][0].message


def test_concurrency_beyond_the_allowed() -> None:
    plan = make_plan(["a", "b", "c"])
    add_wave(plan, "w1", ["a"])
    add_wave(plan, "w2", ["b"], start=CORE + timedelta(days=3))
    add_wave(plan, "w3", ["c"], start=CORE + timedelta(days=13))
    hits = rules(plan)["S09"]
    assert [f.items for f in hits] == [("w3", "w1", "w2")]
    plan.schedule.max_concurrent_waves = 3
    assert "S09" not in rules(plan)


def test_namespace_split_under_namespace_label_injection() -> None:
    plan = make_plan(["a", "b"], injection="namespace-label")
    add_wave(plan, "w1", ["a"])
    add_wave(plan, "w2", ["b"], start=CORE + timedelta(days=14))
    # not labelled yet: the waves enrol pod by pod and label the namespace with the last
    assert "S10" not in rules(plan)
    plan.inventory.namespaces["c1/shop"].labels["istio-injection"] = "enabled"
    assert rules(plan)["S10"][0].items == ("c1/shop", "w1", "w2")
    plan.mesh.injection = "pod-label"
    assert "S10" not in rules(plan)


def test_ambient_wave_needs_waypoint_for_l7_policies() -> None:
    plan = make_plan(["a"])
    plan.inventory.mesh_policies.append(
        MeshPolicy("c1", "shop", "AuthorizationPolicy", "allow-get", action="ALLOW", l7=True)
    )
    wave = add_wave(plan, "w1", ["a"], mode="ambient")
    assert rules(plan)["S11"][0].items == (full("a"), "c1/shop", "w1")
    wave.waypoints = ["c1/shop"]
    assert "S11" not in rules(plan)
    wave.waypoints = []
    wave.mode = "sidecar"  # a sidecar enforces L7 itself
    assert "S11" not in rules(plan)


def test_cross_cluster_calls_before_multicluster_setup() -> None:
    plan = make_plan(["a", "c2/shop/b"], [("a", "c2/shop/b")])
    add_wave(plan, "w1", ["a", "c2/shop/b"])
    assert rules(plan)["S12"][0].items[:2] == (full("a"), full("c2/shop/b"))
    setup = Activity(
        "mc", "East-west gateway and shared root of trust", "foundation", date(2027, 3, 1), CORE
    )
    plan.schedule.activities.append(setup)
    assert "ends only on" in rules(plan)["S12"][0].message  # not before the wave starts
    setup.end = CORE - timedelta(days=1)
    assert "S12" not in rules(plan)


def test_unassigned_workloads() -> None:
    plan = make_plan(["a", "b", "c"])
    add_workload(plan, "d").mesh.injected = True  # already in the mesh
    add_wave(plan, "w1", ["a"])
    add_workload(plan, "kube-system/coredns")  # a system namespace: out of scope
    blocked = ReadinessInput(frozenset({full("c")}), {})
    hits = {f.subject: f.severity for f in rules(plan, blocked)["S13"]}
    assert hits == {full("b"): "medium"}  # c waits in the backlog; one severity per rule
    plan.schedule.assign(full("b"), "w1")
    assert "S13" not in rules(plan, blocked)


def test_s01_names_the_rule_that_keeps_the_workload_out() -> None:
    from workbench.domain.planning.backlog import BacklogCause

    plan = make_plan(["a"])
    add_wave(plan, "w1", ["a"])
    cause = BacklogCause(
        "R5", "blocker", "PSA restricted without CNI", "Install istio-cni", ("R1",)
    )
    blocked = ReadinessInput(frozenset({full("a")}), {}, {full("a"): cause})
    (hit,) = rules(plan, blocked)["S01"]
    assert "readiness rule R5 (also R1) keeps it out: PSA restricted" in hit.message
    assert hit.fix.startswith("Fix R5 first (Install istio-cni)")


def test_mutes_silence_schedule_findings() -> None:
    from workbench.domain.plan import Mute

    plan = make_plan(["a", "b"])
    plan.mutes.append(Mute("S13", "c1/shop/Deployment/a", "stays out"))
    assert {f.subject for f in rules(plan)["S13"]} == {full("b")}
