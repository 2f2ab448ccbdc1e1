"""Visit every text of a plan that can carry a name of the estate, and rewrite it.

The walk follows the dataclasses by reflection, so a field added to the model later is
covered without a change here. Each text is handed to a visitor with its role:

- ``name``: a structured text made of names (a key, a name, an image, an address);
- ``free``: prose a person or the product wrote (comment text, notes, evidence detail);
- ``source``: where a runtime capture came from (its file or URL): every word is a name;
- ``whole``: a wave, phase or activity name, or the plan title, hidden as one piece;
- ``label_key`` / ``label_value``: a label, annotation or selector entry (with its key).

Fields that are vocabulary rather than names (kinds, modes, protocols, probe kinds,
timestamps, authors, finding rule ids, quota resource names) are left alone, and so
are the assumptions and scenarios: they hold money and rates, not names.
"""

from __future__ import annotations

import copy
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
        "path_type",
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
# Fields that name where evidence came from (a capture's file or URL): every word hidden.
SOURCE_IN_CLASS = {"Observation": frozenset({"detail"})}
FREE_FIELDS = frozenset({"detail", "reason", "text", "notes", "message", "why", "fix"})
LABEL_FIELDS = frozenset(
    {"labels", "annotations", "selector", "node_selector", "pod_selector", "namespace_selector"}
)
_WHOLE_NAMED = (Wave, Phase, Activity)
# Mesh settings that may name the organisation (a trust domain such as ``corp.example``).
MESH_NAMES = ("trust_domain", "root_namespace")


_SKIP, _NAME, _FREE, _WHOLE, _LABELS, _SOURCE = range(6)
_ROLE_TEXT = {_NAME: "name", _FREE: "free", _WHOLE: "whole", _SOURCE: "source"}
_LAYOUTS: dict[type, tuple[tuple[str, int], ...]] = {}
_IS_DATACLASS: dict[type, bool] = {}


def _is_dataclass(value: Any) -> bool:
    kind = type(value)
    known = _IS_DATACLASS.get(kind)
    if known is None:
        known = _IS_DATACLASS[kind] = is_dataclass(kind)
    return known


def _layout(cls: type) -> tuple[tuple[str, int], ...]:
    """Each field of a class with what the walk does to it, worked out once per class."""
    layout = _LAYOUTS.get(cls)
    if layout is None:
        whole_name = issubclass(cls, _WHOLE_NAMED)
        kept_here = KEPT_IN_CLASS.get(cls.__name__, frozenset())
        source_here = SOURCE_IN_CLASS.get(cls.__name__, frozenset())
        rows = []
        for f in fields(cls):
            name = f.name
            if name.startswith("_") or name in KEPT_FIELDS or name in kept_here:
                rows.append((name, _SKIP))
            elif name in source_here:
                rows.append((name, _SOURCE))
            elif name == "name" and whole_name:
                rows.append((name, _WHOLE))
            elif name in FREE_FIELDS:
                rows.append((name, _FREE))
            elif name in LABEL_FIELDS:
                rows.append((name, _LABELS))
            else:
                rows.append((name, _NAME))
        layout = _LAYOUTS[cls] = tuple(rows)
    return layout


def _value(value: Any, role: str, visit: Visitor, copying: bool = False) -> Any:
    if isinstance(value, str):
        return visit(role, value, "")
    if _is_dataclass(value):
        return walk_object(value, visit, copying=copying)
    if isinstance(value, list):
        if value and isinstance(value[0], str):
            new = [visit(role, x, "") for x in value]
        else:
            new = [_value(x, role, visit, copying) for x in value]
        return value if not copying and new == value else new
    if isinstance(value, dict):
        if value and isinstance(next(iter(value)), tuple):  # edges keyed by (caller, callee)
            items = [_value(x, role, visit, copying) for x in value.values()]
            return {x.key: x for x in items}
        new_dict = {
            (visit(role, k, "") if isinstance(k, str) else k): _value(x, role, visit, copying)
            for k, x in value.items()
        }
        return value if not copying and new_dict == value else new_dict
    return value


def _labels(value: dict[str, str], visit: Visitor, copying: bool) -> dict[str, str]:
    new = {visit("label_key", k, ""): visit("label_value", v, k) for k, v in value.items()}
    return value if not copying and new == value else new


def walk_object(obj: Any, visit: Visitor, *, copying: bool = False) -> Any:
    """Rewrite every text field of a dataclass tree (see the module docstring): in place,
    or into a new tree when ``copying`` (the original untouched). In place, a container
    whose texts all stay the same is kept, so a visitor that only reads changes nothing."""
    out = object.__new__(type(obj)) if copying else obj
    for name, kind in _layout(type(obj)):
        value = getattr(obj, name)
        if kind == _SKIP:
            new = copy.deepcopy(value) if copying and not isinstance(value, str) else value
        elif kind == _LABELS and isinstance(value, dict):
            new = _labels(value, visit, copying)
        else:
            new = _value(value, _ROLE_TEXT.get(kind, "name"), visit, copying)
        if copying or new is not value:
            setattr(out, name, new)
    return out


def walk_plan(plan: Plan, visit: Visitor, *, estate_only: bool = False) -> None:
    """Rewrite every text of the plan that can carry a name, in place. ``estate_only``:
    only the inventory and the dependencies (where the names of the estate come from)."""
    walk_object(plan.inventory, visit)
    walk_object(plan.dependencies, visit)
    if not estate_only:
        walk_beyond_estate(plan, visit)


def walk_beyond_estate(plan: Plan, visit: Visitor) -> None:
    """Rewrite, in place, every text outside the inventory and the dependencies."""
    walk_object(plan.schedule, visit)
    plan.schedule.reindex()  # members may have new keys
    _walk_rest(plan, visit)


def _walk_rest(plan: Plan, visit: Visitor) -> None:
    plan.mutes = _value(plan.mutes, "name", visit)
    plan.comments = _value(plan.comments, "name", visit)
    plan.meta.title = visit("whole", plan.meta.title, "")
    plan.meta.notes = visit("free", plan.meta.notes, "")
    plan.meta.baselines = _value(plan.meta.baselines, "name", visit)
    if plan.mesh.jwt_issuer is not None:
        plan.mesh.jwt_issuer = visit("free", plan.mesh.jwt_issuer, "")
    for name in MESH_NAMES:
        setattr(plan.mesh, name, visit("name", getattr(plan.mesh, name), ""))


def walked_copy(plan: Plan, visit: Visitor) -> Plan:
    """A new plan with every text rewritten as :func:`walk_plan` would; ``plan`` untouched.
    Faster than a deep copy followed by a walk: the tree is copied as it is walked."""
    out = copy.copy(plan)
    out.inventory = walk_object(plan.inventory, visit, copying=True)
    out.dependencies = walk_object(plan.dependencies, visit, copying=True)
    out.schedule = walk_object(plan.schedule, visit, copying=True)
    out.schedule.reindex()
    for name in ("meta", "mesh", "assumptions", "scenarios", "metrics", "sharing"):
        setattr(out, name, copy.deepcopy(getattr(plan, name)))
    out.mutes = copy.deepcopy(plan.mutes)
    out.comments = copy.deepcopy(plan.comments)
    _walk_rest(out, visit)
    return out
