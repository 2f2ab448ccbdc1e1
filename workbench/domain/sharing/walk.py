"""Visit every text of a plan that can carry a name of the estate, and rewrite it.

The walk follows the dataclasses by reflection, so a field added to the model later is
covered without a change here. Each text is handed to a visitor with its role:

- ``name``: a structured text made of names (a key, a name, an image, an address);
- ``free``: prose a person or the product wrote (comment text, notes, evidence detail);
- ``whole``: a wave, phase or activity name, or the plan title, hidden as one piece;
- ``label_key`` / ``label_value``: a label, annotation or selector entry (with its key).

Fields that are vocabulary rather than names (kinds, modes, protocols, probe kinds,
timestamps, authors, finding rule ids, quota resource names) are left alone, and so
are the assumptions and scenarios: they hold money and rates, not names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, is_dataclass
from typing import Any

from workbench.domain.plan import Plan
from workbench.domain.schedule import Activity, Phase, Wave

Visitor = Callable[[str, str, str], str]  # (role, text, label key) -> new text

KEPT_FIELDS = frozenset(
    {
        "kind",
        "type",
        "protocol",
        "app_protocol",
        "mode",
        "mtls",
        "restart_policy",
        "seccomp_profile",
        "action",
        "failure_policy",
        "policy_types",
        "probes",
        "signals",
        "capabilities_add",
        "resource_metrics",
        "ip_families",
        "session_affinity",
        "author",
        "created",
        "modified",
        "version",
        "server_version",
        "kubelet_versions",
        "os_images",
        "revision",
        "revisions",
        "resource",
        "hard",
        "used",
        "target_kind",
        "rule",
        "ip_block",
        "by",
        "at",
        "window_from",
        "window_to",
    }
)
# Field names that are vocabulary in one class only ("source" is a kind of evidence in
# Evidence, but the text "env X in Deployment y" in an unresolved address).
KEPT_IN_CLASS = {"Evidence": frozenset({"source"}), "Observation": frozenset({"source"})}
FREE_FIELDS = frozenset({"detail", "reason", "text", "notes", "message", "why", "fix"})
LABEL_FIELDS = frozenset(
    {"labels", "annotations", "selector", "node_selector", "pod_selector", "namespace_selector"}
)
_WHOLE_NAMED = (Wave, Phase, Activity)


def _value(value: Any, role: str, visit: Visitor) -> Any:
    if isinstance(value, str):
        return visit(role, value, "")
    if is_dataclass(value) and not isinstance(value, type):
        walk_object(value, visit)
        return value
    if isinstance(value, list):
        return [_value(x, role, visit) for x in value]
    if isinstance(value, dict):
        if value and isinstance(next(iter(value)), tuple):  # edges keyed by (caller, callee)
            items = [_value(x, role, visit) for x in value.values()]
            return {x.key: x for x in items}
        return {
            (visit(role, k, "") if isinstance(k, str) else k): _value(x, role, visit)
            for k, x in value.items()
        }
    return value


def _labels(value: dict[str, str], visit: Visitor) -> dict[str, str]:
    return {visit("label_key", k, ""): visit("label_value", v, k) for k, v in value.items()}


def walk_object(obj: Any, visit: Visitor) -> None:
    """Rewrite, in place, every text field of a dataclass tree (see the module docstring)."""
    whole_name = isinstance(obj, _WHOLE_NAMED)
    kept_here = KEPT_IN_CLASS.get(type(obj).__name__, frozenset())
    for f in fields(obj):
        name = f.name
        if name.startswith("_") or name in KEPT_FIELDS or name in kept_here:
            continue
        value = getattr(obj, name)
        if name == "name" and whole_name:
            role = "whole"
        elif name in FREE_FIELDS:
            role = "free"
        else:
            role = "name"
        if name in LABEL_FIELDS and isinstance(value, dict):
            new = _labels(value, visit)
        else:
            new = _value(value, role, visit)
        if new is not value:
            setattr(obj, name, new)


def walk_plan(plan: Plan, visit: Visitor, *, estate_only: bool = False) -> None:
    """Rewrite every text of the plan that can carry a name. ``estate_only``: only the
    inventory and the dependencies (where the names of the estate come from)."""
    walk_object(plan.inventory, visit)
    walk_object(plan.dependencies, visit)
    if estate_only:
        return
    walk_object(plan.schedule, visit)
    plan.schedule.reindex()
    plan.mutes = _value(plan.mutes, "name", visit)
    plan.comments = _value(plan.comments, "name", visit)
    plan.meta.title = visit("whole", plan.meta.title, "")
    plan.meta.notes = visit("free", plan.meta.notes, "")
    plan.meta.baselines = _value(plan.meta.baselines, "name", visit)
    if plan.mesh.jwt_issuer is not None:
        plan.mesh.jwt_issuer = visit("free", plan.mesh.jwt_issuer, "")
