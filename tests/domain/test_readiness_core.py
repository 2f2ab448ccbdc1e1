"""Findings, mutes, risk scores, the rule registry and container signals."""

from __future__ import annotations

import pytest

from tests.domain.readiness_support import load_plan, wl
from workbench.domain.findings import (
    SEVERITIES,
    Finding,
    count_by_severity,
    in_scope,
    is_muted,
    sort_findings,
    split_muted,
)
from workbench.domain.plan import Mute
from workbench.domain.readiness import RULES, evaluate, risk_score
from workbench.domain.readiness.signals import container_signals

ALL_FIXTURES = (
    "readiness-network.yaml",
    "readiness-security.yaml",
    "readiness-protocols.yaml",
    "readiness-clustered.yaml",
    "readiness-lifecycle.yaml",
    "readiness-capacity.yaml",
    "readiness-exposure.yaml",
)


def _f(rule: str, severity: str, *items: str) -> Finding:
    return Finding(rule, severity, "readiness", items, "seen", "why", "fix")


def test_finding_validates_its_fields() -> None:
    with pytest.raises(ValueError, match="severity"):
        _f("R1", "fatal", "a/b")
    with pytest.raises(ValueError, match="item"):
        _f("R1", "high")
    with pytest.raises(ValueError, match="source"):
        Finding("R1", "high", "elsewhere", ("a",), "m", "w", "f")


def test_counts_and_order() -> None:
    fs = [_f("R7", "medium", "c/ns/Deployment/a"), _f("R1", "blocker", "c/ns/DaemonSet/b")]
    assert count_by_severity(fs) == {"blocker": 1, "high": 0, "medium": 1, "low": 0, "info": 0}
    assert list(count_by_severity([])) == list(SEVERITIES)
    assert [f.rule for f in sort_findings(fs)] == ["R1", "R7"]


def test_mute_scopes_match_whole_segments() -> None:
    assert in_scope("prod/shop/Deployment/web", "prod/shop")
    assert not in_scope("prod/shopping/Deployment/web", "prod/shop")
    assert in_scope("prod/shop/Deployment/web", "prod")
    assert in_scope("anything", "*")
    f = _f("R7", "medium", "prod/shop/Deployment/web", "prod/shop/web")
    assert is_muted(f, [Mute("R7", "prod/shop", "accepted")])
    assert is_muted(f, [Mute("*", "prod/shop/Deployment/web", "accepted")])
    assert not is_muted(f, [Mute("R8", "prod/shop", "other rule")])
    assert not is_muted(f, [Mute("R7", "prod/shop/web", "only the service, not the subject")])
    active, muted = split_muted([f], [Mute("R7", "*", "all")])
    assert (active, muted) == ([], [f])


def test_risk_score_combines_findings_as_independent_chances() -> None:
    assert risk_score([]) == 0.0
    assert risk_score([_f("R1", "blocker", "k")]) == 60.0
    assert risk_score([_f("R1", "blocker", "k"), _f("R3", "high", "k")]) == 74.0
    assert risk_score([_f("R17", "blocker", "ns", "k")], "k") == 30.0  # namespace-wide
    assert risk_score([_f("R3", "high", "k")]) == 35.0
    assert risk_score([_f("R3", "high", "k"), _f("R9", "high", "k")]) == 57.75
    assert risk_score([_f("R3", "high", "k"), _f("R7", "medium", "k")]) == 42.8
    assert risk_score([_f("R15", "info", "k")]) == 0.0


def test_report_scores_workloads_and_honours_mutes() -> None:
    plan = load_plan("readiness-network.yaml")
    report = evaluate(plan)
    agent = wl("shop", "DaemonSet", "node-agent")
    assert report.risk[agent] >= 60.0 and agent in report.blocked()
    assert report.risk[wl("shop", "Deployment", "web")] == 0.0
    assert report.for_item(agent)[0].rule == "R1"
    plan.mutes.append(Mute("R1", agent, "monitoring agent stays outside the mesh"))
    muted = evaluate(plan)
    assert muted.risk[agent] == 0.0 and agent not in muted.blocked()
    assert [f.rule for f in muted.muted] == ["R1"]
    assert muted.counts()["blocker"] == report.counts()["blocker"] - 1


def test_registry_is_well_formed() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    assert {f"R{i}" for i in range(1, 29)} <= set(ids)
    for r in RULES:
        assert r.source.startswith("https://"), r.id
        assert r.title and r.why and r.fix, r.id
        assert set(r.modes) <= {"sidecar", "ambient"}


def test_every_rule_fires_on_some_fixture() -> None:
    seen = set()
    for name in ALL_FIXTURES:
        seen |= evaluate(load_plan(name)).rule_ids()
    seen |= evaluate(load_plan("readiness-security.yaml", cni=True)).rule_ids()
    seen |= evaluate(load_plan("readiness-ambient.yaml")).rule_ids()
    missing = {r.id for r in RULES} - seen
    assert not missing, f"rules without a triggering fixture: {sorted(missing)}"


def test_vanished_workloads_are_not_judged() -> None:
    plan = load_plan("readiness-network.yaml")
    agent = wl("shop", "DaemonSet", "node-agent")
    plan.inventory.workloads[agent].vanished = True
    report = evaluate(plan)
    assert agent not in report.risk and not report.for_item(agent)


def test_container_signals() -> None:
    raw = {
        "name": "app",
        "args": ["--bind-address=127.0.0.1", "--tls-cert-file=/certs/tls.crt"],
        "env": [
            {"name": "POD_IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}},
            {"name": "DB_PASSWORD", "value": "hunter2"},
        ],
        "ports": [{"name": "https", "containerPort": 8443}],
        "readinessProbe": {"httpGet": {"port": "https", "scheme": "HTTPS"}},
        "livenessProbe": {"httpGet": {"port": 8080}},
        "lifecycle": {"preStop": {"exec": {"command": ["sleep", "5"]}}},
    }
    signals = container_signals(raw)
    assert signals == sorted(
        [
            "advertises-pod-ip",
            "binds-localhost",
            "prestop",
            "probe-http:8080",
            "probe-https:8443",
            "tls-flags",
        ]
    )
    assert not any("hunter2" in s for s in signals)
    assert container_signals({"name": "x", "env": [{"name": "HOST", "value": "0.0.0.0"}]}) == []
    waits = container_signals({"command": ["sh", "-c", "until nc -z db 5432; do sleep 1; done"]})
    assert waits == ["waits-for-network"]
