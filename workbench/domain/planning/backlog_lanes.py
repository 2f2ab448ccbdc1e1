"""The remediation backlog of a plan as it stands, and its lanes: one per namespace.

A lane gathers a namespace's backlog workloads with the rules that keep them out (most
frequent first) and the fix of the most frequent one: what the Gantt chart shows under
the waves and what a team works through.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from workbench.domain.planning.backlog import BacklogItem, backlog_items
from workbench.domain.planning.context import PlanningContext


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
    assigned = ctx.plan.schedule.assigned()
    scope = [k for k in ctx.graph.nodes if ctx.in_scope(k) and k not in assigned]
    return backlog_items(ctx.readiness.causes, ctx.inventory, scope)


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
