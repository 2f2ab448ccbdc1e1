"""Network and security rules (R1-R6, R14, R15, B24) from kubectl-made objects."""

from __future__ import annotations

import pytest

from tests.domain.readiness_support import fired, load_plan, wl

NETWORK = "readiness-network.yaml"
SECURITY = "readiness-security.yaml"


@pytest.fixture(scope="module")
def network_plan():  # type: ignore[no-untyped-def]
    return load_plan(NETWORK)


@pytest.mark.parametrize(
    ("rule", "hit", "clean", "severity"),
    [
        ("R1", wl("shop", "DaemonSet", "node-agent"), wl("shop", "Deployment", "web"), "blocker"),
        (
            "R2",
            wl("kube-system", "Deployment", "metrics-agent"),
            wl("shop", "Deployment", "web"),
            "blocker",
        ),
        ("R4", wl("shop", "Deployment", "admin-panel"), wl("shop", "Deployment", "web"), "high"),
        ("R14", wl("shop", "Deployment", "legacy-api"), wl("shop", "Deployment", "web"), "high"),
        ("R15", wl("shop", "Deployment", "syslog"), wl("shop", "Deployment", "web"), "info"),
        ("B24", wl("shop", "Deployment", "win-app"), wl("shop", "Deployment", "web"), "blocker"),
    ],
)
def test_network_rules(network_plan, rule: str, hit: str, clean: str, severity: str) -> None:  # type: ignore[no-untyped-def]
    found = fired(network_plan, rule)
    assert hit in found, f"{rule} should fire for {hit}"
    assert clean not in found, f"{rule} must not fire for {clean}"
    assert found[hit].severity == severity
    assert found[hit].source == "readiness"
    assert "istio" in found[hit].why.lower() and "https://" in found[hit].why
    assert found[hit].fix


def test_reserved_port_in_ambient_is_only_hbone(network_plan) -> None:  # type: ignore[no-untyped-def]
    network_plan.mesh.default_mode = "ambient"
    assert wl("shop", "Deployment", "admin-panel") not in fired(network_plan, "R4")


def test_uid_1337_in_the_app_not_in_an_init_container() -> None:
    found = fired(load_plan(SECURITY), "R3")
    assert found[wl("legacy", "Deployment", "ledger")].severity == "high"
    # reporter runs as 1000; its init container's 1337 is the documented CNI workaround
    assert wl("legacy", "Deployment", "reporter") not in found


def test_pod_security_without_cni_blocks_and_cni_lifts_it() -> None:
    checkout = wl("payments", "Deployment", "checkout")
    without = fired(load_plan(SECURITY), "R5")
    assert without[checkout].severity == "blocker"
    assert "prod/payments" in without[checkout].items
    assert wl("legacy", "Deployment", "ledger") not in without  # no PSA label
    assert checkout not in fired(load_plan(SECURITY, cni=True), "R5")


def test_restricted_needs_a_seccomp_profile_with_cni() -> None:
    found = fired(load_plan(SECURITY, cni=True), "R6")
    assert found[wl("secure", "Deployment", "vault-ui")].severity == "high"
    assert wl("secure", "Deployment", "tokenizer") not in found  # RuntimeDefault set
    assert wl("payments", "Deployment", "checkout") not in found  # baseline only


def test_cni_is_read_from_an_existing_install() -> None:
    plan = load_plan(SECURITY)
    cluster = plan.inventory.clusters["prod"]
    from workbench.domain.inventory import IstioInstall

    cluster.istio = IstioInstall(version="1.24.2", cni=True)
    assert not fired(plan, "R5")
