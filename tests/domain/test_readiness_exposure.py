"""Callers outside the mesh (R21, R22, R25, B21)."""

from __future__ import annotations

import pytest

from tests.domain.readiness_support import fired, load_plan, wl

EXPOSURE = "readiness-exposure.yaml"


@pytest.fixture(scope="module")
def plan():  # type: ignore[no-untyped-def]
    return load_plan(EXPOSURE)


def test_webhook_backends_under_strict(plan) -> None:  # type: ignore[no-untyped-def]
    found = fired(plan, "R21")
    assert found[wl("platform", "Deployment", "policy-webhook")].severity == "blocker"
    assert found[wl("platform", "Deployment", "defaulter")].severity == "high"  # Ignore
    assert wl("platform", "Deployment", "storefront") not in found


def test_webhook_backends_without_strict_are_low() -> None:
    found = fired(load_plan(EXPOSURE, final_mtls="PERMISSIVE"), "R21")
    assert found[wl("platform", "Deployment", "policy-webhook")].severity == "low"


def test_entry_points_outside_a_mesh_gateway(plan) -> None:  # type: ignore[no-untyped-def]
    found = fired(plan, "R22")
    assert "Ingress shop (nginx)" in found[wl("platform", "Deployment", "storefront")].message
    assert "LoadBalancer" in found[wl("platform", "Deployment", "mqtt")].message
    assert wl("platform", "Deployment", "istio-ingressgateway") not in found
    assert wl("platform", "Deployment", "internal") not in found


def test_service_monitor_scraping_under_strict(plan) -> None:  # type: ignore[no-untyped-def]
    found = fired(plan, "R25")
    assert (
        "ServiceMonitor platform/billing" in found[wl("platform", "Deployment", "billing")].message
    )
    # annotation scraping is covered by metrics merging
    assert wl("platform", "Deployment", "storefront") not in found
    assert not fired(load_plan(EXPOSURE, final_mtls="PERMISSIVE"), "R25")


def test_external_hosts(plan) -> None:  # type: ignore[no-untyped-def]
    found = fired(plan, "B21")
    billing = found[wl("platform", "Deployment", "billing")]
    assert billing.severity == "info" and "api.stripe.com" in billing.message
    assert "storefront" not in billing.message  # a Service of the estate
    assert wl("platform", "Deployment", "internal") not in found  # cluster.local address
    strict_egress = fired(load_plan(EXPOSURE, outbound_policy="REGISTRY_ONLY"), "B21")
    assert strict_egress[wl("platform", "Deployment", "billing")].severity == "high"
