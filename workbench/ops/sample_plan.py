"""The sample plan ``plans/seed-playbook.meshplan``: the seed playbook as a plan.

Its estate is the reference e-commerce platform (about 150 workloads, 12 namespaces, two
clusters); its schedule is the playbook's Gantt chart with the playbook's dates, the
service migrations of the chart becoming waves; its business case is the playbook's five
cost lines and nine benefit lines; its success metrics are the playbook's tables. Two
scenarios: ``playbook`` (benefits from month 1, the playbook's own 3-year convention) and
``ramp-with-migration`` (benefits ramp linearly over the 14-month migration).

Rebuild the committed file with::

    python -m workbench.ops.sample_plan -o plans/seed-playbook.meshplan
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from workbench.domain.assumptions import Scenario, SuccessMetric
from workbench.domain.defaults import default_assumptions, default_phases
from workbench.domain.errors import WorkbenchError
from workbench.domain.plan import Meta, Plan
from workbench.domain.schedule import Activity, Schedule, Wave
from workbench.io.plan_file import save_plan
from workbench.ops.generate.calls import dependencies_from
from workbench.ops.generate.seed_estate import SeedEstate, build_seed_estate

TITLE = "Istio adoption playbook (reference case)"
START = date(2023, 1, 1)
STAMP = "2023-01-01T09:00:00+00:00"
DEFAULT_OUTPUT = Path("plans") / "seed-playbook.meshplan"
MIGRATION_MONTHS = 14

# The playbook's Gantt chart: (phase id, activity, start, end).
GANTT: tuple[tuple[str, str, date, date], ...] = (
    ("foundation", "Cluster Preparation", date(2023, 1, 1), date(2023, 2, 28)),
    ("foundation", "Istio Installation", date(2023, 2, 1), date(2023, 3, 15)),
    ("foundation", "Ingress Gateway Migration", date(2023, 3, 1), date(2023, 4, 30)),
    ("foundation", "Monitoring Integration", date(2023, 4, 1), date(2023, 4, 30)),
    ("pilot", "Non-Critical Services", date(2023, 5, 1), date(2023, 6, 30)),
    ("pilot", "Observability Validation", date(2023, 6, 1), date(2023, 7, 15)),
    ("pilot", "Security Policies Testing", date(2023, 7, 1), date(2023, 7, 31)),
    ("core", "Business Critical Services", date(2023, 8, 1), date(2023, 10, 31)),
    ("core", "mTLS Enablement", date(2023, 9, 1), date(2023, 11, 30)),
    ("core", "Advanced Traffic Management", date(2023, 10, 1), date(2023, 11, 30)),
    ("optimization", "Performance Tuning", date(2023, 12, 1), date(2024, 1, 31)),
    ("optimization", "Policy Refinement", date(2024, 1, 1), date(2024, 2, 29)),
    ("optimization", "Complete Migration", date(2024, 2, 1), date(2024, 2, 29)),
)
SERVICE_MIGRATIONS = frozenset({"Non-Critical Services", "Business Critical Services"})

# Waves of the service-migration rows: (row, wave name, members as namespace/name).
WAVES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Non-Critical Services", "Non-Critical Services", (
        "notification/notification-service", "notification/email-sender",
        "notification/sms-gateway", "notification/push-service", "notification/template-service",
        "notification/preferences-service", "notification/in-app-messages",
        "catalog/reviews-service", "catalog/media-service", "catalog/seo-service",
        "edge/geo-ip", "edge/static-assets",
    )),
    ("Business Critical Services", "Business Critical Services: identity, catalog, inventory", (
        "identity/user-service", "identity/auth-service", "identity/token-service",
        "identity/profile-service", "identity/consent-service", "identity/account-recovery",
        "identity/mfa-service", "identity/sso-bridge", "identity/permissions-service",
        "identity/identity-admin", "catalog/catalog-service", "catalog/pricing-service",
        "catalog/promotions-service", "catalog/recommendations", "catalog/category-service",
        "catalog/bundle-service", "inventory/inventory-service", "inventory/warehouse-sync",
        "inventory/stock-reservation", "inventory/location-service",
        "inventory/allocation-service",
    )),
    ("Business Critical Services", "Business Critical Services: orders, payments, edge", (
        "orders/order-service", "orders/cart-service", "orders/checkout-service",
        "orders/shipping-service", "orders/order-history", "orders/returns-service",
        "orders/order-tracking", "orders/fulfilment-service", "orders/order-search",
        "orders/delivery-slots", "payments/payment-service", "payments/fraud-detection",
        "payments/ledger-service", "payments/refund-service", "payments/payout-service",
        "payments/billing-service", "payments/invoice-service", "payments/wallet-service",
        "payments/currency-service", "payments/tax-service", "payments/chargeback-service",
        "edge/api-gateway", "edge/web-frontend", "edge/mobile-bff", "edge/partner-api",
        "edge/rate-limiter", "edge/auth-proxy", "edge/feature-flags",
    )),
)  # fmt: skip

# (name, baseline, target, achieved, category)
METRICS: tuple[tuple[str, str, str, str | None, str], ...] = (
    ("Mean Time to Detection", "15 minutes", "2 minutes", "90 seconds", "Technical"),
    ("Mean Time to Resolution", "2 hours", "30 minutes", "25 minutes", "Technical"),
    ("Service Communication Visibility", "20%", "100%", "100%", "Technical"),
    ("Security Policy Coverage", "10%", "95%", "98%", "Technical"),
    ("Automated Certificate Rotation", "0%", "100%", "100%", "Technical"),
    ("P1 Incidents per Month", "8", "4", None, "Operational"),
    ("Debug Time per Incident", "4 hours", "45 minutes", None, "Operational"),
    ("Security Audit Time", "40 hours", "4 hours", None, "Operational"),
    ("Compliance Violations", "12/year", "1/year", None, "Operational"),
    ("Cross-Team Dependencies", "50/month", "10/month", None, "Operational"),
)

NOTES = (
    "The reference case of the Istio adoption playbook: its rollout phases and Gantt dates, "
    "its cost and benefit tables and its success metrics, over an e-commerce estate of two "
    "clusters. The 'playbook' scenario counts benefits from month 1, as the playbook's "
    "3-year figures do; 'ramp-with-migration' lets them grow over the 14-month migration."
)


def _slug(name: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split())


def _schedule(estate: SeedEstate) -> Schedule:
    schedule = Schedule(phases=default_phases(START))
    rows = {name: (phase, start, end) for phase, name, start, end in GANTT}
    for phase, name, start, end in GANTT:
        if name not in SERVICE_MIGRATIONS:
            schedule.activities.append(Activity(_slug(name), name, phase, start, end))
    for n, (row, name, members) in enumerate(WAVES, start=1):
        phase, start, end = rows[row]
        keys = [estate.members[m].workload.key for m in members]
        schedule.insert_wave(Wave(f"wave-{n:02d}", name, phase, start, end, members=keys))
    return schedule


def build_sample_plan() -> Plan:
    """The sample plan, the same on every call."""
    estate = build_seed_estate()
    assumptions = default_assumptions("seed-playbook")
    assumptions.start = START
    return Plan(
        meta=Meta(
            title=TITLE,
            author="Mesh Migration Workbench",
            created=STAMP,
            modified=STAMP,
            notes=NOTES,
        ),
        inventory=estate.inventory,
        dependencies=dependencies_from(estate.stated),
        schedule=_schedule(estate),
        assumptions=assumptions,
        scenarios=[
            Scenario(
                "playbook",
                "The playbook's convention: benefits at the full run-rate from month 1.",
                {"ramp.kind": "full"},
            ),
            Scenario(
                "ramp-with-migration",
                f"Benefits ramp linearly over the {MIGRATION_MONTHS}-month migration.",
                {"ramp.kind": "linear", "ramp.months": MIGRATION_MONTHS},
            ),
        ],
        active_scenario="playbook",
        metrics=[SuccessMetric(*row) for row in METRICS],
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m workbench.ops.sample_plan",
        description="Build the sample plan from the seed playbook.",
    )
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT, help="plan file")
    args = parser.parse_args(argv)
    try:
        plan = build_sample_plan()
        save_plan(plan, args.output, keep_backup=False)
    except (WorkbenchError, OSError) as exc:
        print(f"sample_plan: error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {args.output}: {len(plan.inventory.workloads)} workloads")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
