"""Service port rules (R7-R11, R26, B23, B31) from kubectl-made Services."""

from __future__ import annotations

import pytest

from tests.domain.readiness_support import load_plan, wl
from workbench.domain.readiness import evaluate

PROTOCOLS = "readiness-protocols.yaml"


@pytest.fixture(scope="module")
def report():  # type: ignore[no-untyped-def]
    return evaluate(load_plan(PROTOCOLS))


def _by(report, rule):  # type: ignore[no-untyped-def]
    return {f.subject: f for f in report.findings if f.rule == rule}


@pytest.mark.parametrize(
    ("rule", "hit", "clean", "severity"),
    [
        # kubectl names a --tcp=80:8080 port "80-8080": no protocol declared
        ("R7", wl("shop", "Deployment", "catalogue"), wl("shop", "Deployment", "orders"), "medium"),
        # SSH on an undeclared port; MySQL 3306 is auto-TCP and exempt
        ("R8", wl("shop", "Deployment", "sftp"), wl("shop", "Deployment", "mysql"), "high"),
        (
            "R26",
            wl("shop", "Deployment", "webhook-server"),
            wl("shop", "Deployment", "metrics-server"),
            "high",
        ),
        ("B31", wl("shop", "Deployment", "cart"), wl("shop", "Deployment", "orders"), "medium"),
        ("B23", wl("shop", "Deployment", "edge-v6"), wl("shop", "Deployment", "orders"), "high"),
    ],
)
def test_port_rules(report, rule: str, hit: str, clean: str, severity: str) -> None:  # type: ignore[no-untyped-def]
    found = _by(report, rule)
    assert hit in found and clean not in found
    assert found[hit].severity == severity
    assert len(found[hit].items) >= 2, "the Service is named among the items"


def test_mysql_port_is_auto_tcp(report) -> None:  # type: ignore[no-untyped-def]
    assert wl("shop", "Deployment", "mysql") not in _by(report, "R7")


def test_conflicting_ports_across_services(report) -> None:  # type: ignore[no-untyped-def]
    r9 = [f for f in report.findings if f.rule == "R9"]
    by_subject = {f.subject: f for f in r9}
    dns = by_subject[wl("shop", "Deployment", "dns-cache")]
    assert dns.severity == "high" and "IST0116" in dns.message
    assert set(dns.items[1:]) == {"prod/shop/dns-cache-tcp", "prod/shop/dns-cache-udp"}
    api = by_subject[wl("shop", "Deployment", "api")]
    assert api.severity == "medium" and "IST0137" in api.message
    assert wl("shop", "Deployment", "orders") not in by_subject


def test_external_name_services(report) -> None:  # type: ignore[no-untyped-def]
    found = _by(report, "R11")
    assert found["prod/shop/payments-gateway"].severity == "medium"
    assert "prod/shop/billing-api" not in found  # port declared https


def test_tls_port_declared_https_is_fine_but_http_with_tls_probe_is_not(report) -> None:  # type: ignore[no-untyped-def]
    f = _by(report, "R26")[wl("shop", "Deployment", "webhook-server")]
    assert "HTTPS probe" in f.message
