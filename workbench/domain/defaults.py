"""What a new plan starts from: the seed playbook's four phases and its business case.

The phases follow the playbook's rollout (Foundation 4 months, Pilot 3, Core 4,
Optimization 3); the cost and benefit lines are its reference figures, a starting point
the user edits. Overhead defaults to Istio's own Helm values.
"""

from __future__ import annotations

from datetime import date, timedelta

from workbench.domain.assumptions import (
    Assumptions,
    BenefitLine,
    CostLine,
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


def default_cost_lines() -> list[CostLine]:
    return [CostLine(name, one_time=once, annual=annual) for name, once, annual in SEED_COST_LINES]


def default_benefit_lines() -> list[BenefitLine]:
    return [
        BenefitLine(name, annual=annual, category=cat) for name, annual, cat in SEED_BENEFIT_LINES
    ]


def default_assumptions(profile: str = "istio-defaults") -> Assumptions:
    """The seed's business case with benefits from month 1, 10% discount, 36 months."""
    return Assumptions(
        cost_lines=default_cost_lines(),
        benefit_lines=default_benefit_lines(),
        ramp=Ramp(kind="full"),
        overhead=overhead_profile(profile),
        discount_rate=0.10,
        horizon_months=36,
        infrastructure="fixed",
    )
