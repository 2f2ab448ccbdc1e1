"""Ambient mode and mesh state (R19, R20, R27, R28, B33)."""

from __future__ import annotations

import pytest

from tests.domain.readiness_support import fired, load_plan, wl

AMBIENT = "readiness-ambient.yaml"


@pytest.fixture(scope="module")
def plan():  # type: ignore[no-untyped-def]
    return load_plan(AMBIENT)


def test_default_deny_network_policy_blocks_hbone_and_probes(plan) -> None:  # type: ignore[no-untyped-def]
    found = fired(plan, "R27")
    f = found[wl("mesh-a", "Deployment", "backend")]
    assert f.severity == "blocker"
    assert "15008" in f.message and "169.254.7.127" in f.message
    assert wl("mesh-b", "Deployment", "backend") not in found  # both allowed


def test_network_policies_do_not_matter_for_sidecar_waves(plan) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from workbench.domain.schedule import Wave

    plan.schedule.insert_wave(
        Wave(
            "w1",
            "pilot",
            "pilot",
            date(2026, 1, 5),
            date(2026, 1, 30),
            mode="sidecar",
            members=[wl("mesh-a", "Deployment", "backend")],
        )
    )
    try:
        assert wl("mesh-a", "Deployment", "backend") not in fired(plan, "R27")
    finally:
        plan.schedule.pop_wave("w1")


def test_sidecar_only_annotations_in_ambient(plan) -> None:  # type: ignore[no-untyped-def]
    found = fired(plan, "R28")
    assert "excludeOutboundPorts" in found[wl("mesh-b", "Deployment", "reports")].message
    assert wl("mesh-b", "Deployment", "backend") not in found


def test_peer_authentication_disable_in_ambient(plan) -> None:  # type: ignore[no-untyped-def]
    found = fired(plan, "R20")
    assert found[wl("mesh-b", "Deployment", "legacy")].severity == "medium"
    assert wl("mesh-b", "Deployment", "reports") not in found


def test_l7_policy_needs_a_waypoint(plan) -> None:  # type: ignore[no-untyped-def]
    found = fired(plan, "B33")
    assert found[wl("mesh-a", "Deployment", "backend")].severity == "high"
    assert wl("mesh-b", "Deployment", "backend") not in found  # namespace uses a waypoint


def test_sidecar_and_ambient_markers_together(plan) -> None:  # type: ignore[no-untyped-def]
    found = fired(plan, "R19")
    assert found[wl("mixed", "Deployment", "both")].severity == "info"
    assert wl("mixed", "Deployment", "plain") not in found
