"""The sample plan ``plans/seed-playbook.meshplan``: the seed playbook as a plan.

Its estate is the reference e-commerce platform (about 150 workloads, 12 namespaces, two
clusters); its schedule is the playbook's Gantt chart (moved to 2027), with the service
migrations of the chart planned by auto-plan as the product would: a pilot of low-risk
workloads, then waves that keep the capacity, blocked workloads in the remediation
backlog; its success metrics are the playbook's tables. Its business case is the
``estate`` case every new plan gets (derived from the estate and the schedule); two
scenarios carry the playbook's own five cost lines and nine benefit lines: ``playbook``
(benefits from month 1, the playbook's 3-year convention) and
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
from workbench.domain.defaults import (
    default_assumptions,
    default_phases,
    playbook_benefit_lines,
    playbook_cost_lines,
)
from workbench.domain.errors import WorkbenchError
from workbench.domain.plan import Meta, Plan
from workbench.domain.planning.autoplan import AutoPlanOptions
from workbench.domain.schedule import Activity, Schedule
from workbench.io.plan_file import save_plan
from workbench.ops.generate.calls import dependencies_from
from workbench.ops.generate.seed_estate import build_seed_estate
from workbench.ops.planning import propose_plan

TITLE = "Istio adoption playbook (reference case)"
START = date(2027, 1, 1)
STAMP = "2027-01-01T09:00:00+00:00"
DEFAULT_OUTPUT = Path("plans") / "seed-playbook.meshplan"
MIGRATION_MONTHS = 14

# The playbook's Gantt chart: (phase id, activity, start, end).
GANTT: tuple[tuple[str, str, date, date], ...] = (
    ("foundation", "Cluster Preparation", date(2027, 1, 1), date(2027, 2, 28)),
    ("foundation", "Istio Installation", date(2027, 2, 1), date(2027, 3, 15)),
    ("foundation", "Ingress Gateway Migration", date(2027, 3, 1), date(2027, 4, 30)),
    ("foundation", "Monitoring Integration", date(2027, 4, 1), date(2027, 4, 30)),
    ("pilot", "Non-Critical Services", date(2027, 5, 1), date(2027, 6, 30)),
    ("pilot", "Observability Validation", date(2027, 6, 1), date(2027, 7, 15)),
    ("pilot", "Security Policies Testing", date(2027, 7, 1), date(2027, 7, 31)),
    ("core", "Business Critical Services", date(2027, 8, 1), date(2027, 10, 31)),
    ("core", "mTLS Enablement", date(2027, 9, 1), date(2027, 11, 30)),
    ("core", "Advanced Traffic Management", date(2027, 10, 1), date(2027, 11, 30)),
    ("optimization", "Performance Tuning", date(2027, 12, 1), date(2028, 1, 31)),
    ("optimization", "Policy Refinement", date(2028, 1, 1), date(2028, 2, 29)),
    ("optimization", "Complete Migration", date(2028, 2, 1), date(2028, 2, 29)),
)
SERVICE_MIGRATIONS = frozenset({"Non-Critical Services", "Business Critical Services"})

# How the planner fills the service-migration rows: waves of at most 25 workloads, three
# weeks each, two at once, a pilot of 10 (see workbench.domain.planning.autoplan).
PLANNING = AutoPlanOptions(max_workloads=25, wave_length_days=21, pilot_size=10, parallel=2)

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
    "clusters. The plan's own business case is derived from this estate and schedule. "
    "The 'playbook' and 'ramp-with-migration' scenarios carry the playbook's figures, "
    "which are inconsistent with each other: its 134% ROI counts every benefit from "
    "month 1, while its 16-month payback implies benefits that ramp up over the "
    "14-month migration (which gives an ROI of 92%)."
)
PLAYBOOK_NOTE = (
    "The playbook's figures: its five cost lines and nine benefit lines for a "
    "1,000-service estate, benefits at the full run-rate from month 1 (its 3-year "
    "convention: cost $7.05M, benefits $16.5M, ROI 134%). Not derived from this estate."
)
RAMP_NOTE = (
    f"The playbook's figures with benefits ramping linearly over the {MIGRATION_MONTHS}-month "
    "migration: the payback of about 16 months the playbook quotes, at an ROI of 92%. "
    "Not derived from this estate."
)
PLAYBOOK_CASE: dict[str, float | int | str] = {"case": "lines", "infrastructure": "fixed"}


def _slug(name: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split())


def _schedule() -> Schedule:
    """The playbook's phases and activities; the waves come from the planner."""
    schedule = Schedule(phases=default_phases(START))
    for phase, name, start, end in GANTT:
        if name not in SERVICE_MIGRATIONS:
            schedule.activities.append(Activity(_slug(name), name, phase, start, end))
    return schedule


def build_sample_plan() -> Plan:
    """The sample plan, the same on every call."""
    estate = build_seed_estate()
    assumptions = default_assumptions("seed-playbook")
    assumptions.start = START
    plan = Plan(
        meta=Meta(
            title=TITLE,
            author="Mesh Migration Workbench",
            created=STAMP,
            modified=STAMP,
            notes=NOTES,
        ),
        inventory=estate.inventory,
        dependencies=dependencies_from(estate.stated),
        schedule=_schedule(),
        assumptions=assumptions,
        scenarios=[
            Scenario(
                "playbook",
                PLAYBOOK_NOTE,
                {**PLAYBOOK_CASE, "ramp.kind": "full"},
                cost_lines=playbook_cost_lines(),
                benefit_lines=playbook_benefit_lines(),
            ),
            Scenario(
                "ramp-with-migration",
                RAMP_NOTE,
                {**PLAYBOOK_CASE, "ramp.kind": "linear", "ramp.months": MIGRATION_MONTHS},
                cost_lines=playbook_cost_lines(),
                benefit_lines=playbook_benefit_lines(),
            ),
        ],
        active_scenario=None,
        metrics=[SuccessMetric(*row) for row in METRICS],
    )
    propose_plan(plan, PLANNING).command().do(plan)
    return plan


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
