"""Batch pods, init containers, probes and proxy races (R12, R13, R18, R23)."""

from __future__ import annotations

from tests.domain.readiness_support import fired, load_plan, wl
from workbench.domain.readiness import evaluate

LIFECYCLE = "readiness-lifecycle.yaml"
OLD_NODES = "nodes-kubelet-1.31.yaml"
NEW_NODES = "nodes-kubelet-1.34.yaml"


def test_jobs_never_complete_without_native_sidecars() -> None:
    found = fired(load_plan(LIFECYCLE, OLD_NODES, istio_version="1.28"), "R12")
    assert found[wl("batch", "Job", "db-migrate")].severity == "high"
    assert found[wl("batch", "CronJob", "nightly-report")].severity == "high"
    assert found[wl("batch", "Job", "cleanup")].severity == "low"  # calls /quitquitquit
    assert wl("batch", "Deployment", "api") not in found


def test_native_sidecars_from_kubelet_versions_lower_the_job_rule() -> None:
    found = fired(load_plan(LIFECYCLE, NEW_NODES, istio_version="1.28"), "R12")
    assert found[wl("batch", "Job", "db-migrate")].severity == "low"
    # Istio before 1.28 does not turn native sidecars on by itself
    older = fired(load_plan(LIFECYCLE, NEW_NODES, istio_version="1.26"), "R12")
    assert older[wl("batch", "Job", "db-migrate")].severity == "high"


def test_init_container_needing_network() -> None:
    found = fired(load_plan(LIFECYCLE), "R13")
    assert wl("batch", "Deployment", "api") in found  # until nc -z postgres 5432
    assert wl("batch", "Deployment", "static") not in found  # cp only
    assert found[wl("batch", "Deployment", "api")].severity == "high"  # STRICT planned
    permissive = fired(load_plan(LIFECYCLE, final_mtls="PERMISSIVE"), "R13")
    assert permissive[wl("batch", "Deployment", "api")].severity == "medium"
    assert not fired(load_plan(LIFECYCLE, native_sidecars=True), "R13")


def test_probe_rewrite_opt_out_under_strict() -> None:
    found = fired(load_plan(LIFECYCLE), "R18")
    assert found[wl("batch", "Deployment", "legacy-health")].severity == "high"
    assert wl("batch", "Deployment", "api") not in found  # probes rewritten
    relaxed = fired(load_plan(LIFECYCLE, final_mtls="PERMISSIVE"), "R18")
    assert relaxed[wl("batch", "Deployment", "legacy-health")].severity == "low"


def test_start_and_shutdown_races() -> None:
    plan = load_plan(LIFECYCLE)
    findings = [f for f in evaluate(plan).findings if f.rule == "R23"]
    subjects = {(f.subject, f.severity) for f in findings}
    assert (wl("batch", "Pod", "etcd-member"), "high") in subjects  # restartPolicy Never
    assert (wl("batch", "Job", "db-migrate"), "medium") in subjects  # retried by the Job
    assert (wl("batch", "Deployment", "consumer"), "medium") in subjects  # 120 s + preStop
    keys = {s for s, _ in subjects}
    assert wl("batch", "Deployment", "consumer-drained") not in keys  # drain configured
    assert wl("batch", "Deployment", "static") not in keys
    assert not fired(load_plan(LIFECYCLE, native_sidecars=True), "R23")
