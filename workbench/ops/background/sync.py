"""The parts of a plan an edit touched: what a mirror of the plan needs to catch up.

An edit's :class:`Change` names areas; each area maps to the plan's sections that hold
it (``schedule`` -> the schedule, ``assumptions`` -> assumptions, scenarios and
metrics ...). Those sections travel whole (a schedule of 10,000 assignments pickles to
about 150 KB); an area this module does not know sends the whole plan, so a mirror can
fall behind in speed but never in content.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workbench.domain.commands import Change
from workbench.domain.plan import Plan

SECTIONS_BY_AREA: dict[str, tuple[str, ...]] = {
    "schedule": ("schedule",),
    "assumptions": ("assumptions", "scenarios", "active_scenario", "metrics"),
    "mutes": ("mutes",),
    "meta": ("meta",),
    "dependencies": ("dependencies",),
    "mesh": ("mesh",),
}


@dataclass(slots=True)
class PlanParts:
    """Sections of a plan by attribute name, or the whole plan."""

    sections: dict[str, object] = field(default_factory=dict)
    whole: Plan | None = None


def parts_for(plan: Plan, change: Change) -> PlanParts:
    """The sections holding what ``change`` touched (the whole plan for unknown areas)."""
    names: set[str] = set()
    for area in change.areas:
        sections = SECTIONS_BY_AREA.get(area)
        if sections is None:
            return PlanParts(whole=plan)
        names.update(sections)
    return PlanParts({name: getattr(plan, name) for name in sorted(names)})


def apply_parts(plan: Plan, parts: PlanParts) -> Plan:
    """``plan`` with the sections replaced, or the whole plan the parts carry."""
    if parts.whole is not None:
        return parts.whole
    for name, value in parts.sections.items():
        setattr(plan, name, value)
    return plan
