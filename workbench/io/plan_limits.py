"""The plan's documented limits (:mod:`workbench.domain.limits`) applied to plan data.

Two checks, both raising :class:`PlanDataError` with the JSON path of the offence:

- :func:`check_collection_sizes` runs on the parsed JSON *before* it is decoded into the
  model, so a file with a million cost lines is refused in milliseconds instead of being
  built (and then computed on) for minutes;
- :func:`check_numbers` walks a decoded part of the plan and checks every number against
  its bound: finite, and within the range :data:`BOUNDS` gives for its field name (any
  other number: from 0 to :data:`~workbench.domain.limits.MAX_QUANTITY`).
"""

from __future__ import annotations

import dataclasses
import functools
import math
from typing import Any

from workbench.domain import limits as L
from workbench.io.plan_data_errors import PlanDataError, key_segment

_ANY = float("inf")
SMALLEST = 1e-9  # "more than zero" for quantities a computation divides by
BELOW_ONE = math.nextafter(1.0, 0.0)  # "less than one"
# field name -> (lowest, highest)
BOUNDS: dict[str, tuple[float, float]] = {
    "one_time": (-L.MAX_AMOUNT, L.MAX_AMOUNT),
    "annual": (-L.MAX_AMOUNT, L.MAX_AMOUNT),
    # Monte Carlo multipliers: 0 <= low <= 1 <= high
    "range_low": (0.0, 1.0),
    "range_high": (1.0, L.MAX_MULTIPLIER),
    "months": (1, L.MAX_HORIZON_MONTHS),
    "vcpu_hour": (0.0, L.MAX_PRICE),
    "gb_hour": (0.0, L.MAX_PRICE),
    "storage_gb_hour": (0.0, L.MAX_PRICE),
    "hours_per_month": (1.0, L.MAX_HOURS_PER_MONTH),
    "node_vcpu": (SMALLEST, 1e6),
    "node_memory_gib": (SMALLEST, 1e9),
    "node_target_utilisation": (SMALLEST, 1.0),
    "discount_rate": (-0.99, L.MAX_RATE),
    "horizon_months": (1, L.MAX_HORIZON_MONTHS),
    "risk_adjustment": (0.0, BELOW_ONE),
    "sensitivity_step": (0.0, 1.0),
    "draws": (1, L.MAX_DRAWS),
    "seed": (0, L.MAX_SEED),
    "cost_low": (0.0, 1.0),
    "cost_high": (1.0, L.MAX_MULTIPLIER),
    "benefit_low": (0.0, 1.0),
    "benefit_high": (1.0, L.MAX_MULTIPLIER),
    "infrastructure_low": (0.0, 1.0),
    "infrastructure_high": (1.0, L.MAX_MULTIPLIER),
    "sampling_production": (0.0, 1.0),
    "sampling_development": (0.0, 1.0),
    "istiod_replicas": (0, 10_000),
    "gateway_replicas": (0, 10_000),
    "pods_per_node_estimate": (1, 100_000),
    "trace_retention_days": (0, 36_500),
    "replicas": (0, L.MAX_REPLICAS),
    "pods": (0, L.MAX_PODS),
    "run_as_user": (0, L.MAX_USER_ID),
    "confidence": (0.0, 1.0),
    "requests_per_second": (0.0, 1e9),
    "max_workloads": (0, L.MAX_WORKLOADS),
    "max_pods": (0, L.MAX_PODS * 100),
    "max_concurrent_waves": (0, L.MAX_WAVES),
}
_SUFFIX_BOUNDS = (
    ("_m", (0, L.MAX_RESOURCE_MILLICORES)),
    ("_bytes", (0, L.MAX_RESOURCE_BYTES)),
    ("_ms", (0.0, 1e6)),
)
DEFAULT_BOUND = (0.0, L.MAX_QUANTITY)


@functools.cache
def bound_of(name: str) -> tuple[float, float]:
    found = BOUNDS.get(name)
    if found is not None:
        return found
    for suffix, bound in _SUFFIX_BOUNDS:
        if name.endswith(suffix):
            return bound
    return DEFAULT_BOUND


def bound_problem(value: float, name: str) -> str | None:
    """What is wrong with ``value`` for a field called ``name``, or None."""
    low, high = bound_of(name)
    if low <= value <= high and (type(value) is int or math.isfinite(value)):
        return None  # the common case, first
    if isinstance(value, float) and not math.isfinite(value):
        return f"must be a finite number, got {value!r}"
    if value < low:
        if low == SMALLEST:
            return f"must be more than 0, got {value!r}"
        return f"must be {low:g} or more, got {value!r}"
    if value > high:
        if high == BELOW_ONE:
            return f"must be less than 1, got {value!r}"
        return f"must be {high:,g} or less, got {value:,g}"
    return None


def check_bound(value: float | None, name: str, path: str) -> None:
    problem = None if value is None else bound_problem(value, name)
    if problem is not None:
        raise PlanDataError(problem, path)


def _number(value: float, name: str, path: str) -> None:
    problem = bound_problem(value, name)
    if problem is not None:
        raise PlanDataError(problem, path)


def check_numbers(obj: Any, path: str) -> None:
    """Every number in ``obj`` (a dataclass, walked with its lists and dicts) in bounds."""
    stack: list[tuple[Any, str, str]] = [(obj, path, "")]
    while stack:
        value, at, name = stack.pop()
        kind = type(value)
        if kind is int or kind is float:
            _number(value, name, at)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            for f in dataclasses.fields(value):
                if not f.name.startswith("_"):
                    stack.append((getattr(value, f.name), f"{at}.{f.name}", f.name))
        elif kind is list or kind is tuple:
            stack.extend((item, f"{at}[{i}]", name) for i, item in enumerate(value))
        elif kind is dict:
            stack.extend((item, f"{at}{key_segment(str(k))}", name) for k, item in value.items())


# JSON path (from the plan) -> limit on the number of entries
SIZES: tuple[tuple[tuple[str, ...], int], ...] = (
    (("inventory", "clusters"), L.MAX_CLUSTERS),
    (("inventory", "namespaces"), L.MAX_NAMESPACES),
    (("inventory", "workloads"), L.MAX_WORKLOADS),
    (("inventory", "services"), L.MAX_SERVICES),
    (("dependencies", "edges"), L.MAX_EDGES),
    (("schedule", "phases"), L.MAX_PHASES),
    (("schedule", "waves"), L.MAX_WAVES),
    (("schedule", "activities"), L.MAX_ACTIVITIES),
    (("assumptions", "cost_lines"), L.MAX_LINES),
    (("assumptions", "benefit_lines"), L.MAX_LINES),
    (("scenarios",), L.MAX_SCENARIOS),
    (("metrics",), L.MAX_METRICS),
    (("mutes",), L.MAX_MUTES),
    (("meta", "baselines"), L.MAX_BASELINES),
    (("inventory", "network_policies"), L.MAX_POLICIES),
    (("inventory", "ingresses"), L.MAX_POLICIES),
    (("inventory", "mesh_policies"), L.MAX_POLICIES),
    (("inventory", "monitors"), L.MAX_POLICIES),
    (("inventory", "autoscalers"), L.MAX_POLICIES),
    (("inventory", "webhooks"), L.MAX_WEBHOOKS),
    (("inventory", "gaps"), L.MAX_GAPS),
    (("dependencies", "unresolved"), L.MAX_UNRESOLVED),
    (("dependencies", "observations"), L.MAX_OBSERVATIONS),
    (("dependencies", "confirmations"), L.MAX_OBSERVATIONS),
    (("schedule", "namespace_strict"), L.MAX_NAMESPACES),
    (("business",), L.MAX_WORKLOADS),
    (("comments",), L.MAX_COMMENTS),
)


def _size_error(count: int, limit: int, path: str) -> PlanDataError:
    return PlanDataError(f"holds {count:,} entries, over the limit of {limit:,}", path)


def check_collection_sizes(data: Any, root: str = "plan") -> None:
    """Refuse raw plan data whose collections exceed their limits, before decoding."""
    if type(data) is not dict:
        return  # the decoder reports the wrong type
    for steps, limit in SIZES:
        value: Any = data
        for step in steps:
            value = value.get(step) if type(value) is dict else None
        if type(value) in (list, dict) and len(value) > limit:
            raise _size_error(len(value), limit, ".".join((root, *steps)))
    scenarios = data.get("scenarios")
    if type(scenarios) is list:
        for i, scenario in enumerate(scenarios):
            overrides = scenario.get("overrides") if type(scenario) is dict else None
            if type(overrides) is dict and len(overrides) > L.MAX_OVERRIDES:
                at = f"{root}.scenarios[{i}].overrides"
                raise _size_error(len(overrides), L.MAX_OVERRIDES, at)
    comments = data.get("comments")
    if type(comments) is list:
        for i, comment in enumerate(comments):
            replies = comment.get("replies") if type(comment) is dict else None
            if type(replies) is list and len(replies) > L.MAX_REPLIES:
                raise _size_error(len(replies), L.MAX_REPLIES, f"{root}.comments[{i}].replies")
    workloads = (
        (data.get("inventory") or {}).get("workloads")
        if type(data.get("inventory")) is dict
        else None
    )
    if type(workloads) is dict:
        for key, w in workloads.items():
            for field in ("containers", "init_containers"):
                items = w.get(field) if type(w) is dict else None
                if type(items) is list and len(items) > L.MAX_CONTAINERS:
                    at = f"{root}.inventory.workloads{key_segment(key)}.{field}"
                    raise _size_error(len(items), L.MAX_CONTAINERS, at)
