"""Headless Services and clustered StatefulSets (R10, R16, R24)."""

from __future__ import annotations

from tests.domain.readiness_support import fired, load_plan, wl

CLUSTERED = "readiness-clustered.yaml"


def test_peer_ports_missing_from_the_headless_service_under_strict() -> None:
    found = fired(load_plan(CLUSTERED), "R24")
    kafka = found[wl("data", "StatefulSet", "kafka")]
    assert kafka.severity == "high"
    assert "9093" in kafka.message and "pod IP" in kafka.message
    assert "prod/data/kafka-headless" in kafka.items
    assert wl("data", "StatefulSet", "zookeeper") not in found  # every peer port declared


def test_peer_ports_are_medium_while_strict_is_not_planned() -> None:
    found = fired(load_plan(CLUSTERED, final_mtls="PERMISSIVE"), "R24")
    assert found[wl("data", "StatefulSet", "kafka")].severity == "medium"


def test_headless_service_missing_a_container_port() -> None:
    found = fired(load_plan(CLUSTERED), "R10")
    pg = found[wl("data", "StatefulSet", "postgres")]
    assert pg.severity == "medium" and "9187" in pg.message
    assert wl("data", "StatefulSet", "minio") not in found  # port declared
    assert wl("data", "StatefulSet", "kafka") not in found  # judged by R24 instead


def test_replicated_statefulset_peer_traffic_is_info() -> None:
    found = fired(load_plan(CLUSTERED), "R16")
    assert found[wl("data", "StatefulSet", "minio")].severity == "info"
    assert wl("data", "StatefulSet", "postgres") not in found  # one replica
    assert wl("data", "Deployment", "web") not in found


def test_clustered_rules_are_sidecar_only() -> None:
    plan = load_plan(CLUSTERED, default_mode="ambient")
    assert not fired(plan, "R24") and not fired(plan, "R10")
