"""Addressing single assumption values by path, for scenarios and edits.

A path is dot-separated; list items are picked by name in brackets:
``discount_rate``, ``ramp.kind``, ``prices.vcpu_hour``,
``cost_lines[Platform Team].annual``, ``benefit_lines[Incident Reduction].annual``.
"""

from __future__ import annotations

import copy
import re
from dataclasses import fields, is_dataclass
from typing import Any

from workbench.domain.assumptions import CASE_KINDS, INFRASTRUCTURE_MODES, RAMP_KINDS, Assumptions
from workbench.domain.errors import WorkbenchError

_SEGMENT = re.compile(r"^(?P<attr>[a-z_]+)(?:\[(?P<item>[^\]]+)\])?$")
_CHOICES = {"ramp.kind": RAMP_KINDS, "infrastructure": INFRASTRUCTURE_MODES, "case": CASE_KINDS}

Scalar = float | int | str


class AssumptionPathError(WorkbenchError, ValueError):
    """A path that names no assumption, or a value of the wrong kind for it."""


def _step(obj: Any, segment: str, path: str) -> Any:
    m = _SEGMENT.match(segment)
    if not m or not is_dataclass(obj) or m["attr"] not in {f.name for f in fields(obj)}:
        raise AssumptionPathError(f"no assumption at {path!r} (at {segment!r})")
    value = getattr(obj, m["attr"])
    if m["item"] is None:
        return value
    if not isinstance(value, list):
        raise AssumptionPathError(f"{m['attr']!r} is not a list in {path!r}")
    for item in value:
        if getattr(item, "name", None) == m["item"]:
            return item
    raise AssumptionPathError(f"no {m['attr']} item named {m['item']!r} in {path!r}")


def _parent(assumptions: Assumptions, path: str) -> tuple[Any, str]:
    segments = path.split(".")
    obj: Any = assumptions
    for seg in segments[:-1]:
        obj = _step(obj, seg, path)
    last = segments[-1]
    if not is_dataclass(obj) or last not in {f.name for f in fields(obj)}:
        raise AssumptionPathError(f"no assumption at {path!r}")
    return obj, last


def get_value(assumptions: Assumptions, path: str) -> Scalar:
    obj, attr = _parent(assumptions, path)
    value = getattr(obj, attr)
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise AssumptionPathError(f"{path!r} is not a single value")
    return value


def _coerce(path: str, old: Scalar, value: Scalar) -> Scalar:
    if isinstance(old, str):
        if not isinstance(value, str):
            raise AssumptionPathError(f"{path!r} takes text, got {value!r}")
        choices = _CHOICES.get(path)
        if choices and value not in choices:
            raise AssumptionPathError(f"{path!r} must be one of {', '.join(choices)}")
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise AssumptionPathError(f"{path!r} takes a number, got {value!r}")
    if value != value or value in (float("inf"), float("-inf")):
        raise AssumptionPathError(f"{path!r} must be a finite number")
    if isinstance(old, int):
        if value != int(value):
            raise AssumptionPathError(f"{path!r} takes a whole number, got {value!r}")
        return int(value)
    return float(value)


def set_value(assumptions: Assumptions, path: str, value: Scalar) -> Scalar:
    """Set one value in place; return the previous one."""
    obj, attr = _parent(assumptions, path)
    old = getattr(obj, attr)
    if isinstance(old, bool) or not isinstance(old, (int, float, str)):
        raise AssumptionPathError(f"{path!r} is not a single value")
    setattr(obj, attr, _coerce(path, old, value))
    return old


def with_overrides(assumptions: Assumptions, overrides: dict[str, Scalar]) -> Assumptions:
    """A copy of the assumptions with a scenario's overrides applied."""
    result = copy.deepcopy(assumptions)
    for path in sorted(overrides):
        set_value(result, path, overrides[path])
    return result
