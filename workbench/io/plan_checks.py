"""Consistency checks of a whole plan: ranges, allowed values and references.

Run after a plan file is decoded (and before one is written), so that a plan which
loads is one every view and computation can trust. The first problem found raises
:class:`PlanDataError` naming its JSON path, for example
``plan.schedule.waves[2].members[0]: workload "c/ns/Deployment/x" is not in the inventory``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from workbench.domain.assumptions import INFRASTRUCTURE_MODES, RAMP_KINDS, Assumptions
from workbench.domain.comments import CommentError, target_kind
from workbench.domain.dependencies import EVIDENCE_KINDS
from workbench.domain.economics.scenarios import apply_scenario
from workbench.domain.errors import WorkbenchError
from workbench.domain.inventory import (
    PROTOCOLS,
    SERVICE_TYPES,
    WORKLOAD_KINDS,
    Container,
    Inventory,
)
from workbench.domain.plan import INJECTION_MODES, Plan
from workbench.domain.schedule import DATAPLANE_MODES, MTLS_MODES, Activity, Schedule, Wave
from workbench.io.plan_data_errors import PlanDataError, describe, key_segment
from workbench.io.plan_limits import check_bound, check_numbers
from workbench.io.plan_references import check_references

MAX_HORIZON_MONTHS = 600


def _one_of(value: Any, choices: Sequence[str], path: str) -> None:
    if value not in choices:
        raise PlanDataError(f"must be one of {', '.join(choices)}, got {describe(value)}", path)


def _at_least(value: int | float | None, low: int | float, path: str) -> None:
    if value is not None and value < low:
        raise PlanDataError(f"must be {low} or more, got {value!r}", path)


def _port(value: int | None, path: str) -> None:
    if value is not None and not 1 <= value <= 65535:
        raise PlanDataError(f"a port must be between 1 and 65535, got {value}", path)


def _unique(ids: Iterable[str], path: str, what: str) -> None:
    seen: set[str] = set()
    for i, item in enumerate(ids):
        if item in seen:
            raise PlanDataError(f"duplicate {what} {describe(item)}", f"{path}[{i}]")
        seen.add(item)


def _dates(start: date, end: date, path: str) -> None:
    if end < start:
        raise PlanDataError(
            f"ends ({end.isoformat()}) before it starts ({start.isoformat()})", path
        )


def _containers(containers: list[Container], path: str) -> None:
    for i, c in enumerate(containers):
        at = f"{path}[{i}]"
        for j, p in enumerate(c.ports):
            _port(p.container_port, f"{at}.ports[{j}].container_port")
            _one_of(p.protocol, PROTOCOLS, f"{at}.ports[{j}].protocol")
        r = c.resources
        for name in ("cpu_request_m", "memory_request_bytes", "cpu_limit_m", "memory_limit_bytes"):
            check_bound(getattr(r, name), name, f"{at}.resources.{name}")
        check_bound(c.run_as_user, "run_as_user", f"{at}.run_as_user")


def check_inventory(inv: Inventory, root: str = "plan.inventory") -> None:
    for name, cluster in inv.clusters.items():
        check_numbers(cluster, f"{root}.clusters{key_segment(name)}")
        if cluster.name != name:
            raise PlanDataError(
                f"the entry's key does not match its content ({cluster.name!r})",
                f"{root}.clusters{key_segment(name)}",
            )
    for key, w in inv.workloads.items():
        at = f"{root}.workloads{key_segment(key)}"
        _one_of(w.kind, WORKLOAD_KINDS, f"{at}.kind")
        check_bound(w.replicas, "replicas", f"{at}.replicas")
        check_bound(w.pods, "pods", f"{at}.pods")
        check_bound(w.run_as_user, "run_as_user", f"{at}.run_as_user")
        _containers(w.containers, f"{at}.containers")
        _containers(w.init_containers, f"{at}.init_containers")
    for key, s in inv.services.items():
        at = f"{root}.services{key_segment(key)}"
        _one_of(s.type, SERVICE_TYPES, f"{at}.type")
        for j, sp in enumerate(s.ports):
            _port(sp.port, f"{at}.ports[{j}].port")
            _one_of(sp.protocol, PROTOCOLS, f"{at}.ports[{j}].protocol")
    for i, hook in enumerate(inv.webhooks):
        _port(hook.port, f"{root}.webhooks[{i}].port")


def check_schedule(schedule: Schedule, root: str = "plan.schedule") -> None:
    _unique((p.id for p in schedule.phases), f"{root}.phases", "phase id")
    _unique((a.id for a in schedule.activities), f"{root}.activities", "activity id")
    _unique((w.id for w in schedule.waves), f"{root}.waves", "wave id")
    phase_ids = {p.id for p in schedule.phases}
    for i, phase in enumerate(schedule.phases):
        _dates(phase.start, phase.end, f"{root}.phases[{i}].end")
    dated: list[tuple[str, Sequence[Activity | Wave]]] = [
        ("activities", schedule.activities),
        ("waves", schedule.waves),
    ]
    for group, items in dated:
        for i, item in enumerate(items):
            at = f"{root}.{group}[{i}]"
            _dates(item.start, item.end, f"{at}.end")
            if item.phase not in phase_ids:
                raise PlanDataError(f"no phase with id {describe(item.phase)}", f"{at}.phase")
    for i, wave in enumerate(schedule.waves):
        at = f"{root}.waves[{i}]"
        _one_of(wave.mode, DATAPLANE_MODES, f"{at}.mode")
        _one_of(wave.mtls, MTLS_MODES, f"{at}.mtls")
        check_bound(wave.max_workloads, "max_workloads", f"{at}.max_workloads")
        check_bound(wave.max_pods, "max_pods", f"{at}.max_pods")


def _check_members(plan: Plan) -> None:
    workloads = plan.inventory.workloads
    for i, wave in enumerate(plan.schedule.waves):
        for j, key in enumerate(wave.members):
            if key not in workloads:
                raise PlanDataError(
                    f"workload {describe(key)} is not in the inventory",
                    f"plan.schedule.waves[{i}].members[{j}]",
                )


def _check_dependencies(plan: Plan) -> None:
    workloads = plan.inventory.workloads
    for i, edge in enumerate(plan.dependencies.edges.values()):
        at = f"plan.dependencies.edges[{i}]"
        for end in ("caller", "callee"):
            key = getattr(edge, end)
            if key not in workloads:
                raise PlanDataError(
                    f"workload {describe(key)} is not in the inventory", f"{at}.{end}"
                )
        if not 0.0 <= edge.confidence <= 1.0:
            raise PlanDataError(
                f"must be between 0 and 1, got {edge.confidence}", f"{at}.confidence"
            )
        check_bound(edge.requests_per_second, "requests_per_second", f"{at}.requests_per_second")
        for j, ev in enumerate(edge.evidence):
            _one_of(ev.kind, EVIDENCE_KINDS, f"{at}.evidence[{j}].kind")


def _check_assumptions(a: Assumptions, root: str) -> None:
    _one_of(a.ramp.kind, RAMP_KINDS, f"{root}.ramp.kind")
    _at_least(a.ramp.months, 1, f"{root}.ramp.months")
    _one_of(a.infrastructure, INFRASTRUCTURE_MODES, f"{root}.infrastructure")
    if not 1 <= a.horizon_months <= MAX_HORIZON_MONTHS:
        raise PlanDataError(
            f"must be between 1 and {MAX_HORIZON_MONTHS} months, got {a.horizon_months}",
            f"{root}.horizon_months",
        )
    if not math.isfinite(a.discount_rate) or a.discount_rate <= -1.0:
        raise PlanDataError(
            f"must be a finite rate above -1, got {a.discount_rate!r}", f"{root}.discount_rate"
        )
    check_numbers(a, root)


def _check_scenarios(plan: Plan) -> None:
    _unique((s.name for s in plan.scenarios), "plan.scenarios", "scenario name")
    for i, scenario in enumerate(plan.scenarios):
        at = f"plan.scenarios[{i}].overrides"
        try:
            adjusted = apply_scenario(plan.assumptions, scenario)
        except WorkbenchError as exc:
            raise PlanDataError(str(exc), at) from None
        _check_assumptions(adjusted, at)
    names = {s.name for s in plan.scenarios}
    if plan.active_scenario is not None and plan.active_scenario not in names:
        raise PlanDataError(
            f"no scenario named {describe(plan.active_scenario)}", "plan.active_scenario"
        )


def check_plan(plan: Plan) -> None:
    """Raise :class:`PlanDataError` at the first inconsistency in the plan."""
    check_inventory(plan.inventory)
    check_references(plan)
    check_schedule(plan.schedule)
    _check_members(plan)
    _check_dependencies(plan)
    _check_assumptions(plan.assumptions, "plan.assumptions")
    _check_scenarios(plan)
    _one_of(plan.mesh.injection, INJECTION_MODES, "plan.mesh.injection")
    for i, baseline in enumerate(plan.meta.baselines):
        for wave_id, (start, end) in baseline.waves.items():
            _dates(start, end, f"plan.meta.baselines[{i}].waves{key_segment(wave_id)}")
    _check_comments(plan)


def _check_comments(plan: Plan) -> None:
    """Ids unique, targets well-formed. A target that names nothing any more (a wave since
    removed) is kept: the comment still says something."""
    _unique((c.id for c in plan.comments), "plan.comments", "comment id")
    for i, c in enumerate(plan.comments):
        try:
            target_kind(c.target)
        except CommentError as exc:
            raise PlanDataError(str(exc), f"plan.comments[{i}].target") from None
        _unique((r.id for r in c.replies), f"plan.comments[{i}].replies", "reply id")
