"""What the schedule means for economics and exports.

* Coverage: per month, the share of workloads and of pods meshed (the economics
  engine's convention, :mod:`workbench.domain.economics.coverage`, reused as it is).
* Per namespace, the earliest safe STRICT date: the day by which every meshed workload
  of the namespace and every caller of those is meshed. None when a caller is never
  meshed or clients outside the mesh reach a workload directly.
* The mesh-wide STRICT milestone: the latest of those dates, None if any is None.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from workbench.domain.economics.coverage import coverage, month_grid
from workbench.domain.plan import Plan
from workbench.domain.planning.context import ALREADY, PlanningContext


@dataclass(frozen=True, slots=True)
class MonthCoverage:
    month: int  # 1-based
    label: str  # YYYY-MM, or M<n> when nothing is dated
    workloads: float  # share 0..1
    pods: float


def monthly_coverage(plan: Plan, months: int | None = None) -> list[MonthCoverage]:
    grid = month_grid(
        plan.schedule, plan.assumptions.start, months or plan.assumptions.horizon_months
    )
    cov = coverage(plan.inventory, plan.schedule, grid)
    return [
        MonthCoverage(i + 1, label, float(cov.workloads[i]), float(cov.pods[i]))
        for i, label in enumerate(grid.labels())
    ]


@dataclass(frozen=True, slots=True)
class StrictDate:
    namespace: str
    date: date | None  # None: never safe under this schedule
    reason: str  # what decides the date (or blocks it)
    # safe from the start: everything involved is already meshed, or nothing is
    already: bool = False


def namespace_strict_dates(ctx: PlanningContext) -> dict[str, StrictDate]:
    out: dict[str, StrictDate] = {}
    for ns, members in sorted(ctx.namespace_members.items()):
        latest = ALREADY
        reason = "everything involved is already meshed"
        blocked: str | None = None
        for key in members:
            meshed = ctx.mesh_time(key)
            if meshed is None:
                continue
            if key in ctx.graph.exposed:
                blocked = f"{key} is reached directly by clients outside the mesh"
                break
            if meshed > latest:
                latest, reason = meshed, f"{key} is meshed"
            for caller in ctx.graph.callers[key]:
                t = ctx.mesh_time(caller)
                if t is None:
                    blocked = f"caller {caller} of {key} is in no wave"
                    break
                if t > latest:
                    latest, reason = t, f"caller {caller} of {key} is meshed"
            if blocked:
                break
        if blocked:
            out[ns] = StrictDate(ns, None, blocked)
        elif not any(ctx.mesh_time(k) is not None for k in members):
            out[ns] = StrictDate(
                ns,
                None,
                "no workload of the namespace is meshed: STRICT changes nothing",
                already=True,
            )
        elif latest == ALREADY:
            out[ns] = StrictDate(ns, None, reason, already=True)
        else:
            out[ns] = StrictDate(ns, latest, reason)
    return out


def strict_milestone(dates: dict[str, StrictDate]) -> date | None:
    """The day STRICT can be set mesh-wide; None when some namespace never gets there."""
    latest: date | None = None
    for d in dates.values():
        if d.already:
            continue
        if d.date is None:
            return None
        latest = d.date if latest is None else max(latest, d.date)
    return latest
