"""Caller knowledge per workload: complete, partial or unknown, and external entry."""

from __future__ import annotations

from workbench.domain.dependencies import (
    CallerConfirmation,
    Edge,
    Evidence,
    Observation,
    source_of_kind,
)
from workbench.domain.evidence import CALLER_STATES, CallerEvidence, caller_evidence
from workbench.domain.inventory import Container
from workbench.domain.plan import Plan

from .conftest import AGENT, API, DB, JOB, WEB

WEEK = ("2026-11-01T00:00:00Z", "2026-11-08T00:00:00Z")


def test_every_workload_gets_a_state_and_nothing_seen_is_unknown(plan: Plan) -> None:
    found = caller_evidence(plan)
    assert list(found) == sorted(plan.inventory.workloads)
    assert all(isinstance(e, CallerEvidence) and e.callers in CALLER_STATES for e in found.values())
    assert found[DB].callers == "unknown"  # no edge, no observation: never "no callers"
    assert found[JOB].callers == "unknown"
    assert found[API].callers == "partial"  # a static edge only
    assert "1 known caller(s) (1 static evidence)" in found[API].reasons[0]


def test_external_entry_from_the_inventory(plan: Plan) -> None:
    found = caller_evidence(plan)
    assert found[WEB].external_callers
    assert "external entry: LoadBalancer Service shop/web" in found[WEB].reasons
    assert found[API].external_callers  # an Ingress backend
    assert any("Ingress shop/public" in r for r in found[API].reasons)
    assert found[AGENT].external_callers
    assert any("hostPort 9100" in r for r in found[AGENT].reasons)
    assert not found[DB].external_callers and not found[JOB].external_callers


def test_a_week_of_observation_completes_and_a_day_does_not(plan: Plan) -> None:
    day = ("2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z")
    plan.dependencies.observations.append(Observation("hubble", "a.json", *day, 10, [DB]))
    assert caller_evidence(plan)[DB].callers == "partial"
    rest = ("2026-11-02T00:00:00Z", "2026-11-08T00:00:00Z")
    plan.dependencies.observations.append(Observation("otlp", "b.json", *rest, 10, [DB]))
    found = caller_evidence(plan)[DB]
    assert found.callers == "complete" and found.observed_seconds == 7 * 86400
    assert found.sources == ("hubble", "otlp")


def test_overlapping_windows_count_once(plan: Plan) -> None:
    for name in ("a.json", "b.json"):  # the same four days imported twice
        obs = Observation("hubble", name, "2026-11-01T00:00:00Z", "2026-11-05T00:00:00Z", 1, [DB])
        plan.dependencies.observations.append(obs)
    found = caller_evidence(plan)[DB]
    assert found.callers == "partial" and found.observed_seconds == 4 * 86400


def test_the_minimum_window_is_a_plan_assumption(plan: Plan) -> None:
    plan.dependencies.observations.append(Observation("hubble", "a.json", *WEEK, 1, [DB]))
    assert plan.assumptions.min_observation_days == 7
    plan.assumptions.min_observation_days = 14
    assert caller_evidence(plan)[DB].callers == "partial"
    plan.assumptions.min_observation_days = 3
    assert caller_evidence(plan)[DB].callers == "complete"


def test_data_without_time_is_partial(plan: Plan) -> None:
    plan.dependencies.observations.append(Observation("jaeger", "deps.json", None, None, 3, [DB]))
    found = caller_evidence(plan)[DB]
    assert found.callers == "partial" and "carries no time" in found.reasons[0]


def test_observed_outside_callers_are_external(plan: Plan) -> None:
    obs = Observation("hubble", "a.json", *WEEK, 1, [DB], external={DB: 42})
    plan.dependencies.observations.append(obs)
    found = caller_evidence(plan)[DB]
    assert found.external_callers
    assert "external entry: 42 call(s) from outside the estate seen by hubble" in found.reasons


def test_a_person_confirms_with_a_reason(plan: Plan) -> None:
    plan.dependencies.confirmations[JOB] = CallerConfirmation(JOB, "a CronJob: nothing calls it")
    found = caller_evidence(plan)[JOB]
    assert found.callers == "complete"
    assert found.reasons[0] == "callers confirmed: a CronJob: nothing calls it"


def test_runtime_evidence_keeps_its_window_and_count() -> None:
    ev = Evidence("hubble", "hubble a.json", *WEEK, 120)
    assert ev.source == "runtime" and ev.count == 120 and ev.window_from == WEEK[0]
    assert Evidence("env", "env X").source == "static"
    assert Evidence("manual", "by hand").source == "person"
    assert [source_of_kind(k) for k in ("kiali", "csv", "networkpolicy")] == [
        "runtime",
        "person",
        "static",
    ]
    edge = Edge("a", "b", [ev])
    assert edge.evidence[0].source == "runtime"


def test_discovery_gaps_by_namespace(plan: Plan) -> None:
    from workbench.domain.evidence.gaps import discovery_gaps

    gaps = {g.namespace: g for g in discovery_gaps(plan)}
    assert list(gaps) == ["prod/shop", "prod/batch", "prod/ops"]  # most unknown first
    shop = gaps["prod/shop"]
    assert shop.unknown == (WEB, DB) and shop.partial == (API,) and shop.external == 2
    assert shop.source == "Hubble flows or flow logs covering the namespace for 7 day(s)"
    plan.inventory.workloads[JOB].containers.append(
        Container("report", env={"OTEL_EXPORTER_OTLP_ENDPOINT": ""})
    )
    gaps = {g.namespace: g for g in discovery_gaps(plan)}
    assert gaps["prod/batch"].source.startswith("their traces")
    plan.dependencies.confirmations[JOB] = CallerConfirmation(JOB, "a CronJob")
    assert "prod/batch" not in {g.namespace for g in discovery_gaps(plan)}
