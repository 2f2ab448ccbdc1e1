"""A plan's key figures, as one flat dictionary: the ``summary --json`` contract."""

from __future__ import annotations

from typing import Any

from workbench.domain.errors import WorkbenchError
from workbench.domain.plan import Plan


def plan_counts(plan: Plan) -> dict[str, int]:
    """The counts of the summary that need no findings or economics run (cheap)."""
    inv = plan.inventory
    return {
        "clusters": len(inv.clusters),
        "namespaces": len(inv.namespaces),
        "workloads": len(inv.workloads),
        "pods": inv.total_pods(),
        "phases": len(plan.schedule.phases),
        "waves": len(plan.schedule.waves),
        "unassigned": len(plan.unassigned()),
    }


def plan_summary(plan: Plan, scenario: str | None = None) -> dict[str, Any]:
    """Keys are a contract for scripts: only ever add, never rename."""
    if scenario is not None and scenario not in {s.name for s in plan.scenarios}:
        names = ", ".join(s.name for s in plan.scenarios) or "none"
        raise WorkbenchError(f"no scenario named {scenario!r} in the plan (it has: {names})")
    data: dict[str, Any] = {"title": plan.meta.title, **plan_counts(plan)}
    from workbench.ops.check import finding_counts

    data["findings"] = finding_counts(plan)  # active findings by severity
    from workbench.domain.defaults import untouched_defaults
    from workbench.ops.economics import scenario_assumptions, summary_keys

    data.update(summary_keys(plan, scenario))
    # what of the business case the economics still take from the shipped defaults
    data["defaults_untouched"] = untouched_defaults(scenario_assumptions(plan, scenario)[1])
    # what the last imports could not read: the inventory is incomplete there
    data["import_gaps"] = [
        {"cluster": g.cluster, "namespace": g.namespace, "resource": g.resource, "reason": g.reason}
        for g in plan.inventory.gaps
    ]
    return data
