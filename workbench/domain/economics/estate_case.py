"""Cost derived from the estate and the schedule: the ``estate`` business case.

Four computed cost lines, each timed by the schedule so that moving a wave moves them:

* **Platform team**: max(minimum, workloads / workloads per FTE) people at the loaded
  annual cost, for the programme (month 1 to the last wave's end), then the run share
  of that team for the rest of the horizon.
* **Migration effort**: per wave, each member's days by readiness class (ready, needs
  work, blocked) plus a fixed number of days per wave, at the day rate; spread over the
  wave's days (start to end, inclusive).
* **Training**: per team, with the first wave (in start order) that holds one of its
  workloads, spread like that wave's effort. A workload's team is its owner team from
  the business metadata, else its namespace (a namespace stands for a team).
* **Remediation**: days per open blocker rule (estate-wide), at the day rate, in month 1.

Infrastructure is the priced overhead the timeline already computes (``computed``
infrastructure); tools and licences stay plain cost lines.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from workbench.domain.assumptions import EstateCase
from workbench.domain.economics.coverage import MonthGrid
from workbench.domain.economics.membership import Membership
from workbench.domain.economics.overhead import FloatArray, WorkloadTable
from workbench.domain.schedule import Schedule

PLATFORM_TEAM = "Platform team (schedule)"
MIGRATION_EFFORT = "Migration effort (per wave)"
TRAINING = "Training (per namespace)"
REMEDIATION = "Remediation (open blockers)"
ESTATE_LINES = (PLATFORM_TEAM, MIGRATION_EFFORT, TRAINING, REMEDIATION)
ESTATE_BASES = {
    PLATFORM_TEAM: "team size from the workloads, for the programme's months, then its run share",
    MIGRATION_EFFORT: "days per workload by readiness class plus days per wave, over each wave",
    TRAINING: "per team (owner from business metadata, else namespace), with the first "
    "wave that reaches it",
    REMEDIATION: "days per open blocker rule, in month 1",
}
READINESS_CLASSES = ("ready", "needs work", "blocked")


@dataclass(frozen=True, slots=True)
class ReadinessBasis:
    """What the readiness report says about effort: per workload key its class, and the
    open blocker rules (rule ids)."""

    classes: Mapping[str, str]  # key -> READINESS_CLASSES; absent: ready
    blocker_rules: frozenset[str]


@dataclass(frozen=True, slots=True)
class WaveEffort:
    """Per wave (schedule order): its migration effort and training, as money."""

    effort: FloatArray
    training: FloatArray
    namespaces: tuple[int, ...]  # teams (owner, else namespace) first reached by each wave
    classes: FloatArray  # (waves, 3): members per READINESS_CLASSES

    @property
    def count(self) -> int:
        return len(self.effort)


def team_size(settings: EstateCase, workloads: int) -> float:
    per = settings.workloads_per_fte
    return max(settings.min_fte, workloads / per if per > 0 else 0.0)


def wave_effort(
    settings: EstateCase,
    table: WorkloadTable,
    members: Membership,
    schedule: Schedule,
    readiness: ReadinessBasis,
    owners: Mapping[str, str] | None = None,
) -> WaveEffort:
    """Each wave's effort and training; depends on membership, not on dates.
    ``owners``: workload key -> owner team (business metadata); others count by namespace."""
    days = np.array([settings.days_ready, settings.days_needs_work, settings.days_blocked])
    position = {name: k for k, name in enumerate(READINESS_CLASSES)}
    keys = list(table.index)
    classes = np.zeros((len(members.members), len(READINESS_CLASSES)))
    for i, idx in enumerate(members.members):
        for j in idx.tolist():
            classes[i, position[readiness.classes.get(keys[j], "ready")]] += 1
    effort = (classes @ days + settings.days_per_wave) * settings.day_rate
    order = sorted(range(len(schedule.waves)), key=lambda i: (schedule.waves[i].start, i))
    teams = owners or {}
    seen: set[str] = set()
    first = [0] * len(members.members)
    for i in order:
        fresh = {
            f"team:{t}" if (t := teams.get(keys[j])) else table.namespace[j]
            for j in members.members[i].tolist()
        } - seen
        first[i] = len(fresh)
        seen |= fresh
    training = np.array(first, dtype=np.float64) * settings.training_per_namespace
    return WaveEffort(np.asarray(effort, dtype=np.float64), training, tuple(first), classes)


def programme_end(schedule: Schedule) -> date | None:
    """The last wave's end, else the schedule's last date, else None."""
    if schedule.waves:
        return max(w.end for w in schedule.waves)
    ends = [p.end for p in schedule.phases] + [a.end for a in schedule.activities]
    return max(ends) if ends else None


def in_programme(grid: MonthGrid, end: date | None) -> FloatArray:
    """Share of each month up to and including ``end`` (1 everywhere when undated)."""
    if end is None or grid.start is None:
        return np.ones(grid.months)
    b = grid.boundaries().astype(np.float64)
    lo, hi = b[:-1], b[1:]
    return np.asarray(np.clip((end.toordinal() + 1 - lo) / (hi - lo), 0.0, 1.0))


def estate_cost_series(
    settings: EstateCase,
    grid: MonthGrid,
    schedule: Schedule,
    workloads: int,
    effort: WaveEffort,
    blocker_rules: int,
) -> list[tuple[str, FloatArray]]:
    """The four computed cost lines, month by month."""
    n = grid.months
    share = in_programme(grid, programme_end(schedule))
    monthly_team = team_size(settings, workloads) * settings.fte_annual_cost / 12.0
    team = monthly_team * (share + settings.run_share * (1.0 - share))
    spread = grid.active_fractions([(w.start, w.end) for w in schedule.waves])
    remediation = np.zeros(n)
    if n:
        remediation[0] = blocker_rules * settings.days_per_blocker_rule * settings.day_rate
    return [
        (PLATFORM_TEAM, np.asarray(team, dtype=np.float64)),
        (MIGRATION_EFFORT, np.asarray(effort.effort @ spread, dtype=np.float64)),
        (TRAINING, np.asarray(effort.training @ spread, dtype=np.float64)),
        (REMEDIATION, remediation),
    ]


def readiness_basis(
    severities: Mapping[str, Sequence[str]], blocker_rules: frozenset[str]
) -> ReadinessBasis:
    """Classes from each workload's active finding severities."""
    classes: dict[str, str] = {}
    for key, found in severities.items():
        if "blocker" in found:
            classes[key] = "blocked"
        elif "high" in found or "medium" in found:
            classes[key] = "needs work"
    return ReadinessBasis(classes, blocker_rules)
