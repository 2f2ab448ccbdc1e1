"""What a new plan starts from: the seed playbook's four phases and a business case
derived from the estate and the schedule.

The phases follow the playbook's rollout (Foundation 4 months, Pilot 3, Core 4,
Optimization 3). The business case is the ``estate`` case: platform team, migration
effort, training and remediation computed from the estate and the schedule, the priced
mesh overhead as infrastructure, and benefits per workload meshed (the playbook's
figures for its 1,000-service estate, brought to one workload), following coverage.
The playbook's own fixed lines (:func:`playbook_cost_lines`) belong to the sample
plan's ``playbook`` scenario. Overhead defaults to Istio's own Helm values.
"""

from __future__ import annotations

from datetime import date, timedelta

from workbench.domain.assumptions import (
    Assumptions,
    BenefitLine,
    CostLine,
    EstateCase,
    Ramp,
    overhead_profile,
)
from workbench.domain.schedule import Phase

# (id, name, months): consecutive, in this order.
DEFAULT_PHASES: tuple[tuple[str, str, int], ...] = (
    ("foundation", "Foundation", 4),
    ("pilot", "Pilot", 3),
    ("core", "Core", 4),
    ("optimization", "Optimization", 3),
)

# (name, one-time, annual)
SEED_COST_LINES: tuple[tuple[str, float, float], ...] = (
    ("Platform Team", 500_000.0, 800_000.0),
    ("Infrastructure", 200_000.0, 400_000.0),
    ("Training", 300_000.0, 100_000.0),
    ("Migration Effort", 1_000_000.0, 200_000.0),
    ("Tools & Licensing", 100_000.0, 150_000.0),
)

# (name, annual run-rate, category)
SEED_BENEFIT_LINES: tuple[tuple[str, float, str], ...] = (
    ("Incident Reduction", 1_000_000.0, "Operational"),
    ("Debug Time Reduction", 800_000.0, "Operational"),
    ("Compliance Automation", 500_000.0, "Operational"),
    ("Security Improvements", 200_000.0, "Operational"),
    ("Development Velocity", 1_200_000.0, "Developer Productivity"),
    ("Reduced Complexity", 400_000.0, "Developer Productivity"),
    ("Improved Testing", 200_000.0, "Developer Productivity"),
    ("Improved Reliability", 800_000.0, "Business Impact"),
    ("Better Performance", 400_000.0, "Business Impact"),
)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    next_first = date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_first - timedelta(days=1)).day
    return date(year, month, min(day.day, last_day))


def default_phases(start: date) -> list[Phase]:
    """The four phases back to back from ``start``; each ends the day before the next."""
    phases: list[Phase] = []
    begin = start
    for phase_id, name, months in DEFAULT_PHASES:
        following = add_months(begin, months)
        phases.append(Phase(phase_id, name, begin, following - timedelta(days=1)))
        begin = following
    return phases


SEED_SERVICES = 1_000  # the playbook's estate: "1,000+ services"
PLAYBOOK_BASIS = "the playbook's figure (its 1,000-service estate)"
TOOLS_LINE = "Tools & licences"


def playbook_cost_lines() -> list[CostLine]:
    """The playbook's five fixed cost lines (3-year cost $7.05M)."""
    return [
        CostLine(name, one_time=once, annual=annual, basis=PLAYBOOK_BASIS)
        for name, once, annual in SEED_COST_LINES
    ]


def playbook_benefit_lines() -> list[BenefitLine]:
    """The playbook's nine benefit run-rates ($5.5M a year)."""
    return [
        BenefitLine(name, annual=annual, category=cat, basis=PLAYBOOK_BASIS)
        for name, annual, cat in SEED_BENEFIT_LINES
    ]


def estate_benefit_lines() -> list[BenefitLine]:
    """The playbook's benefit lines per workload meshed: its run-rate / 1,000 services."""
    return [
        BenefitLine(
            name,
            category=cat,
            per_workload=annual / SEED_SERVICES,
            basis=(
                f"per workload meshed: the playbook's {annual:,.0f} a year "
                f"for {SEED_SERVICES:,} services"
            ),
        )
        for name, annual, cat in SEED_BENEFIT_LINES
    ]


def estate_cost_lines() -> list[CostLine]:
    """The plain lines of the estate case: tools and licences, none assumed."""
    return [CostLine(TOOLS_LINE, category="Tools", basis="enter your tooling and licences")]


def default_assumptions(profile: str = "istio-defaults") -> Assumptions:
    """A new plan's business case: the ``estate`` case with benefits following coverage,
    the priced overhead as infrastructure, 10% discount, 36 months."""
    return Assumptions(
        cost_lines=estate_cost_lines(),
        benefit_lines=estate_benefit_lines(),
        ramp=Ramp(kind="coverage"),
        overhead=overhead_profile(profile),
        discount_rate=0.10,
        horizon_months=36,
        infrastructure="computed",
        case="estate",
        estate_case=EstateCase(),
    )


def playbook_assumptions(profile: str = "istio-defaults") -> Assumptions:
    """The playbook's fixed case: its lines, benefits from month 1, fixed infrastructure."""
    a = default_assumptions(profile)
    a.cost_lines = playbook_cost_lines()
    a.benefit_lines = playbook_benefit_lines()
    a.ramp = Ramp(kind="full")
    a.infrastructure = "fixed"
    a.case = "lines"
    return a


def untouched_defaults(a: Assumptions) -> list[str]:
    """What of the business case still stands at the shipped defaults (empty: reviewed)."""
    out = []
    if a.case == "estate" and a.estate_case == EstateCase():
        out.append("estate case rates")
    if a.benefit_lines == estate_benefit_lines():
        out.append("benefit lines")
    if a.cost_lines in (estate_cost_lines(), playbook_cost_lines()):
        out.append("cost lines")
    return out
