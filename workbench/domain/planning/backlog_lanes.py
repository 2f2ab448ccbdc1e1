"""The remediation backlog of a plan as it stands, and its lanes: one per namespace.

A lane gathers a namespace's backlog workloads with the rules that keep them out (most
frequent first) and the fix of the most frequent one: what the Gantt chart shows under
the waves and what a team works through.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from workbench.domain.plan import Plan
from workbench.domain.planning.backlog import BacklogItem, backlog_items, out_of_scope_namespaces
from workbench.domain.planning.context import PlanningContext
from workbench.domain.planning.readiness_input import ReadinessInput


@dataclass(frozen=True, slots=True)
class BacklogLane:
    namespace: str  # namespace key cluster/namespace
    keys: tuple[str, ...]
    rules: tuple[tuple[str, int], ...]  # (rule, workloads), most first
    fix: str  # the fix of the most frequent rule

    @property
    def summary(self) -> str:
        return ", ".join(f"{rule} ×{n}" for rule, n in self.rules)


def current_backlog(ctx: PlanningContext) -> list[BacklogItem]:
    """In-scope workloads in no wave that a readiness cause keeps out, by namespace."""
    return plan_backlog(ctx.plan, ctx.readiness)


def plan_backlog(plan: Plan, readiness: ReadinessInput) -> list[BacklogItem]:
    """The same without a planning context (no call graph needed)."""
    assigned = plan.schedule.assigned()
    system = out_of_scope_namespaces(plan)
    scope = [
        k
        for k, w in plan.inventory.workloads.items()
        if not w.vanished and w.namespace not in system and k not in assigned
    ]
    return backlog_items(readiness.causes, plan.inventory, scope)


def backlog_lanes(items: list[BacklogItem]) -> list[BacklogLane]:
    by_ns: dict[str, list[BacklogItem]] = {}
    for item in items:
        by_ns.setdefault(item.namespace, []).append(item)
    lanes = []
    for ns in sorted(by_ns):
        group = by_ns[ns]
        counts = Counter(i.cause.rule for i in group)
        rules = tuple(sorted(counts.items(), key=lambda rc: (-rc[1], rc[0])))
        fix = next(i.cause.fix for i in group if i.cause.rule == rules[0][0])
        lanes.append(BacklogLane(ns, tuple(i.key for i in group), rules, fix))
    return lanes
