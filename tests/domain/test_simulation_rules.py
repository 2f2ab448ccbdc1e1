"""The rollout simulator, one Istio rule at a time, on a three-workload estate
(shop/front -> shop/api -> data/db)."""

from __future__ import annotations

from tests.domain.simulation_estate import (
    API,
    DB,
    FRONT,
    C,
    allow_principals,
    apply,
    authz,
    estate,
    inject,
    peer_auth,
    pod_label,
)
from workbench.domain.dependencies import Evidence
from workbench.domain.inventory import Container
from workbench.domain.plan import Plan
from workbench.domain.simulation import (
    AT_RISK,
    BROKEN,
    EXTERNAL,
    RolloutStep,
    SimulationReport,
    simulate,
)
from workbench.domain.simulation.facts import estate_facts
from workbench.domain.simulation.replay import judge
from workbench.domain.simulation.state import MeshState

P_FRONT = "cluster.local/ns/shop/sa/front"
P_API = "cluster.local/ns/shop/sa/api"


def _last(plan: Plan, *steps: RolloutStep) -> dict[tuple[str, str], str]:
    report = simulate(plan, steps)
    return {(v.call.caller, v.call.callee): v.reason for v in report.results[-1].broken}


def _risk(plan: Plan, *steps: RolloutStep) -> dict[tuple[str, str], str]:
    report = simulate(plan, steps)
    return {(v.call.caller, v.call.callee): v.reason for v in report.results[-1].at_risk}


# -- PeerAuthentication ------------------------------------------------------------------
def test_strict_rejects_a_caller_without_proxy_and_permissive_accepts_it() -> None:
    plan = estate()
    assert _last(plan, inject("data"), apply(peer_auth("data", "PERMISSIVE"))) == {}
    broken = _last(plan, inject("data"), apply(peer_auth("data", "STRICT")))
    assert list(broken) == [(API, DB)]
    assert "data/default is STRICT" in broken[(API, DB)]
    assert "has no proxy" in broken[(API, DB)]
    # once the caller has a proxy too, STRICT is fine
    assert _last(plan, inject("data", "shop"), apply(peer_auth("data", "STRICT"))) == {}


def test_workload_policy_wins_over_namespace_which_wins_over_root() -> None:
    plan = estate()
    root = peer_auth("istio-system", "STRICT")
    assert list(_last(plan, inject("data"), apply(root))) == [(API, DB)]
    ns_permissive = peer_auth("data", "PERMISSIVE")
    assert _last(plan, inject("data"), apply(root, ns_permissive)) == {}
    wl_strict = peer_auth("data", "STRICT", "db-strict", {"app": "db"})
    assert list(_last(plan, inject("data"), apply(root, ns_permissive, wl_strict))) == [(API, DB)]
    # UNSET inherits from the namespace; a root policy with a selector is ignored
    unset = peer_auth("data", "UNSET", "db-unset", {"app": "db"})
    assert _last(plan, inject("data"), apply(ns_permissive, unset)) == {}
    root_selector = peer_auth("istio-system", "STRICT", "db", {"app": "db"})
    assert _last(plan, inject("data"), apply(root_selector)) == {}


def test_port_level_mode_overrides_the_workload_mode() -> None:
    plan = estate()
    strict_but_port = peer_auth("data", "STRICT", "db", {"app": "db"}, {"5432": "PERMISSIVE"})
    assert _last(plan, inject("data"), apply(strict_but_port)) == {}
    permissive_but_port = peer_auth("data", "PERMISSIVE", "db", {"app": "db"}, {"5432": "STRICT"})
    assert list(_last(plan, inject("data"), apply(permissive_but_port))) == [(API, DB)]


# -- AuthorizationPolicy ----------------------------------------------------------------
def test_allow_by_principal_needs_the_caller_meshed() -> None:
    plan = estate()
    policy = authz("data", "db", allow_principals("db", P_API))
    broken = _last(plan, inject("data"), apply(policy))
    assert "does not allow plaintext" in broken[(API, DB)]
    assert _last(plan, inject("data", "shop"), apply(policy)) == {}
    other = authz("data", "db", allow_principals("db", P_FRONT))
    assert (
        "does not allow cluster.local/ns/shop/sa/api"
        in _last(plan, inject("data", "shop"), apply(other))[(API, DB)]
    )


def test_custom_then_deny_then_allow_and_audit_never_decides() -> None:
    plan = estate()
    mesh = inject("data", "shop")
    allow_all = authz("data", "allow-all", {"action": "ALLOW", "rules": [{}]})
    deny_api = authz(
        "data",
        "deny-api",
        {"action": "DENY", "rules": [{"from": [{"source": {"principals": [P_API]}}]}]},
    )
    assert list(_last(plan, mesh, apply(allow_all, deny_api))) == [(API, DB)]
    custom = authz("data", "ext", {"action": "CUSTOM", "provider": {"name": "opa"}, "rules": [{}]})
    assert (API, DB) in _risk(plan, mesh, apply(custom))
    assert list(_last(plan, mesh, apply(custom, deny_api))) == [(API, DB)]
    audit = authz("data", "audit", {"action": "AUDIT", "rules": [{}]})
    assert _last(plan, mesh, apply(audit)) == {}
    allow_nothing = authz("data", "nothing", {})
    assert list(_last(plan, mesh, apply(allow_nothing))) == [(API, DB)]
    assert _last(plan, mesh, apply(allow_nothing, allow_all)) == {}


def test_dry_run_policies_deny_nothing_but_show_what_they_would_deny() -> None:
    plan = estate()
    policy = authz("data", "db", allow_principals("db", P_FRONT), dry_run=True)
    assert _last(plan, inject("data", "shop"), apply(policy)) == {}
    assert "dry-run" in _risk(plan, inject("data", "shop"), apply(policy))[(API, DB)]


def test_http_attributes_are_at_risk_not_broken() -> None:
    plan = estate()
    spec = {
        "selector": {"matchLabels": {"app": "db"}},
        "rules": [{"to": [{"operation": {"paths": ["/orders"]}}]}],
    }
    risky = _risk(plan, inject("data", "shop"), apply(authz("data", "db", spec)))
    assert "may not allow" in risky[(API, DB)]


def test_a_root_namespace_policy_applies_mesh_wide() -> None:
    plan = estate()
    deny = authz(
        "istio-system",
        "deny-shop",
        {"action": "DENY", "rules": [{"from": [{"source": {"namespaces": ["shop"]}}]}]},
    )
    assert set(_last(plan, inject("data", "shop"), apply(deny))) == {(API, DB), (FRONT, API)}


# -- plaintext callers ---------------------------------------------------------------
def test_pod_ip_callers_bypass_their_proxy() -> None:
    plan = estate()
    plan.dependencies.edges[(API, DB)].evidence.append(
        Evidence("manual", "Consul registry hands out pod IPs")
    )
    broken = _last(plan, inject("data", "shop"), apply(peer_auth("data", "STRICT")))
    assert "pod IP" in broken[(API, DB)]


def test_init_containers_run_before_a_classic_sidecar_but_not_a_native_one() -> None:
    plan = estate()
    api = plan.inventory.workloads[API]
    api.init_containers.append(Container("wait", "busybox", signals=["waits-for-network"]))
    strict = apply(peer_auth("data", "STRICT"))
    broken = simulate(plan, [inject("data", "shop"), strict]).results[-1].broken
    assert [(v.call.what, v.call.callee) for v in broken] == [("init", DB)]
    assert "run before the proxy" in broken[0].reason
    native = pod_label(API, {}, {"sidecar.istio.io/nativeSidecar": "true"})
    assert _last(plan, inject("data", "shop"), native, strict) == {}


def test_external_clients_have_no_identity_until_the_cut_over() -> None:
    plan = estate(exposed=True)
    gateway = "cluster.local/ns/istio-ingress/sa/istio-ingressgateway"
    policy = authz("shop", "front", allow_principals("front", gateway))
    broken = _last(plan, inject("shop"), apply(policy))
    assert "outside the mesh" in broken[(EXTERNAL, FRONT)]
    cutover = RolloutStep("cut over", "Cut over entry traffic", "cutover", C, cutover=True)
    assert (EXTERNAL, FRONT) not in _last(plan, inject("shop"), cutover, apply(policy))


def test_istio_mutual_towards_a_workload_without_proxy_fails() -> None:
    plan = estate()
    dr = {
        "apiVersion": "networking.istio.io/v1",
        "kind": "DestinationRule",
        "metadata": {"name": "db", "namespace": "data"},
        "spec": {
            "host": "db.data.svc.cluster.local",
            "trafficPolicy": {"tls": {"mode": "ISTIO_MUTUAL"}},
        },
    }
    broken = _last(plan, inject("shop"), apply(dr))
    assert "ISTIO_MUTUAL" in broken[(API, DB)]
    assert _last(plan, inject("shop", "data"), apply(dr)) == {}


def test_callees_outside_the_sidecar_egress_scope_get_plaintext() -> None:
    plan = estate()
    scope = {
        "apiVersion": "networking.istio.io/v1",
        "kind": "Sidecar",
        "metadata": {"name": "default", "namespace": "shop"},
        "spec": {"egress": [{"hosts": ["./*", "istio-system/*"]}]},
    }
    strict = peer_auth("data", "STRICT")
    assert "egress hosts" in _last(plan, inject("shop", "data"), apply(scope, strict))[(API, DB)]
    scope["spec"]["egress"][0]["hosts"].append("data/*")
    assert _last(plan, inject("shop", "data"), apply(scope, strict)) == {}


def test_server_first_ports_hang_under_permissive_with_plaintext_clients() -> None:
    plan = estate(db_image="mysql:8")  # 5432 here is undeclared TCP with a server-first image
    plan.inventory.services[f"{C}/data/db"].ports[0].name = None
    broken = _last(plan, inject("data"))
    assert "server-first" in broken[(API, DB)]
    assert _last(plan, inject("data", "shop")) == {}  # mTLS from a meshed client is fine


def test_ambient_without_waypoint_denies_http_rules() -> None:
    plan = estate()
    spec = {
        "selector": {"matchLabels": {"app": "db"}},
        "rules": [
            {
                "from": [{"source": {"principals": [P_API]}}],
                "to": [{"operation": {"methods": ["GET"]}}],
            }
        ],
    }
    steps = (inject("data", "shop", ambient=True), apply(authz("data", "db", spec)))
    assert "no waypoint" in _last(plan, *steps)[(API, DB)]
    waypoint = RolloutStep(
        "waypoint",
        "Apply",
        "mesh",
        C,
        changes=(pod_label(DB, {"istio.io/use-waypoint": "waypoint"}).changes[0],),
    )
    assert _last(plan, steps[0], waypoint, steps[1]) == {}


def test_statefulset_members_call_their_peers() -> None:
    plan = estate()
    db = plan.inventory.workloads[DB]
    db.kind, db.replicas = "StatefulSet", 3
    plan.inventory.workloads.pop(DB)
    plan.inventory.add_workload(db)
    key = db.key
    edge = plan.dependencies.edges.pop((API, DB))
    edge.callee = key
    plan.dependencies.add(edge)
    policy = authz("data", "db", allow_principals("db", P_API))
    broken = _last(plan, inject("data", "shop"), apply(policy))
    assert list(broken) == [(key, key)]
    fixed = authz("data", "db", allow_principals("db", P_API, "cluster.local/ns/data/sa/db"))
    assert _last(plan, inject("data", "shop"), apply(fixed)) == {}


# -- replay ------------------------------------------------------------------------------
def test_calls_failing_before_the_rollout_are_not_blamed_on_it() -> None:
    plan = estate()
    plan.inventory.workloads[DB].mesh.injected = True
    from workbench.domain.inventory import MeshPolicy

    plan.inventory.mesh_policies.append(
        MeshPolicy(C, "data", "PeerAuthentication", "default", mode="STRICT")
    )
    report = simulate(plan, [inject("shop")])
    assert report.results[-1].broken == []
    assert report.notes and "already fail before the rollout" in report.notes[0]


def test_rollback_in_reverse_restores_every_call() -> None:
    plan = estate()
    strict = apply(peer_auth("data", "STRICT"))
    undo = RolloutStep("undo", "Roll back", "other", C, delete=strict.apply)
    report: SimulationReport = simulate(plan, [inject("data"), strict, undo])
    assert [len(r.broken) for r in report.results] == [0, 1, 0]
    assert report.broken_edges == 1
    assert [len(r.new_broken) for r in report.results] == [0, 1, 0]


def test_incremental_replay_agrees_with_judging_everything_again() -> None:
    plan = estate(exposed=True)
    steps = [
        inject("data"),
        apply(peer_auth("data", "STRICT"), authz("data", "db", allow_principals("db", P_API))),
        inject("shop"),
        apply(peer_auth("istio-system", "STRICT")),
    ]
    report = simulate(plan, steps)
    facts = estate_facts(plan)
    state = MeshState(facts)
    for step, result in zip(steps, report.results, strict=True):
        state.apply(step)
        full = {c for c in facts.calls if (v := judge(state, c)) is not None and v.status == BROKEN}
        assert {v.call for v in result.broken} == full
    assert AT_RISK  # the statuses are exported names
