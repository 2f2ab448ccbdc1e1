"""Fixtures for the manifest export tests: a small two-cluster plan."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from workbench.domain.assumptions import overhead_profile
from workbench.domain.dependencies import CallerConfirmation, Edge, UnresolvedAddress
from workbench.domain.inventory import (
    Cluster,
    Ingress,
    Namespace,
    Service,
    ServicePort,
    Workload,
)
from workbench.domain.plan import Meta, Plan
from workbench.domain.schedule import Phase, Schedule, Wave


def small_manifest_plan() -> Plan:
    """shop (east): frontend -> cart -> db, frontend -> reviews v1/v2, cart -> payments;
    payments (east) calls an external API; analytics (west) reporter -> cart."""
    plan = Plan(meta=Meta(title="Small shop"))
    inv = plan.inventory
    for name in ("east", "west"):
        inv.clusters[name] = Cluster(name)
    for cluster, ns in (("east", "shop"), ("east", "payments"), ("west", "analytics")):
        inv.add_namespace(Namespace(cluster, ns, service_accounts=["default"]))

    def workload(cluster: str, ns: str, name: str, kind: str = "Deployment", **labels: str) -> str:
        w = Workload(cluster, ns, kind, name, service_account=name, labels=labels)
        inv.add_workload(w)
        return w.key

    frontend = workload("east", "shop", "frontend", app="frontend")
    cart = workload("east", "shop", "cart", app="cart")
    r1 = workload("east", "shop", "reviews-v1", app="reviews", version="v1")
    r2 = workload("east", "shop", "reviews-v2", app="reviews", version="v2")
    db = workload("east", "shop", "db", "StatefulSet", app="db")
    pay = workload("east", "payments", "payments", app="payments")
    sync = workload("east", "payments", "ledger-sync", "CronJob", app="ledger-sync")
    reporter = workload("west", "analytics", "reporter", app="reporter")
    for svc, sel, port, kind in (
        ("frontend", "frontend", 80, "LoadBalancer"),
        ("cart", "cart", 8080, "ClusterIP"),
        ("reviews", "reviews", 9080, "ClusterIP"),
        ("db", "db", 5432, "ClusterIP"),
    ):
        inv.add_service(
            Service(
                "east", "shop", svc, kind, ports=[ServicePort(port, "http")], selector={"app": sel}
            )
        )
    inv.add_service(
        Service(
            "east",
            "payments",
            "payments",
            ports=[ServicePort(443, "https")],
            selector={"app": "payments"},
        )
    )
    inv.ingresses.append(Ingress("east", "shop", "storefront", "nginx", ["frontend"]))
    for a, b in ((frontend, cart), (frontend, r1), (frontend, r2), (cart, db), (cart, pay)):
        plan.dependencies.add(Edge(a, b))
    plan.dependencies.add(Edge(reporter, cart))
    plan.dependencies.add(Edge(sync, pay))
    plan.dependencies.unresolved.append(
        UnresolvedAddress(pay, "https://api.stripe.com:443", "env STRIPE_URL")
    )
    plan.dependencies.unresolved.append(UnresolvedAddress(pay, "10.1.2.3:5432", "env LEDGER_DB"))
    plan.schedule = Schedule(
        phases=[Phase("pilot", "Pilot", date(2027, 1, 1), date(2027, 3, 31))],
        waves=[
            Wave(
                "wave-01",
                "Pilot: data",
                "pilot",
                date(2027, 1, 4),
                date(2027, 1, 15),
                members=[db, sync],
            ),
            Wave(
                "wave-02",
                "Core shop",
                "pilot",
                date(2027, 1, 18),
                date(2027, 1, 29),
                members=[cart, r1, r2, pay],
                authz=True,
            ),
            Wave(
                "wave-03",
                "Edge and reporting",
                "pilot",
                date(2027, 2, 1),
                date(2027, 2, 12),
                members=[frontend],
            ),
            Wave(
                "wave-04",
                "Analytics ambient",
                "pilot",
                date(2027, 2, 1),
                date(2027, 2, 12),
                mode="ambient",
                members=[reporter],
            ),
        ],
        namespace_strict={"east/payments": date(2027, 2, 1)},
    )
    plan.assumptions.overhead = overhead_profile("seed-playbook")
    plan.mesh.jwt_issuer = "https://auth.example.com"
    for key in inv.workloads:  # every caller list reviewed: lockdowns may go ahead
        plan.dependencies.confirmations[key] = CallerConfirmation(key, "reviewed", by="team")
    return plan


@pytest.fixture
def manifest_plan() -> Callable[[], Plan]:
    return small_manifest_plan
