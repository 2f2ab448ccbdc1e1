"""Edits of the business case's lists: cost and benefit lines, and the active scenario.

Single values are edited with :class:`workbench.domain.commands.SetAssumption`; adding,
removing and renaming a line changes a list and the paths that name the line, so each
has its own command. Scenario overrides that name a removed line go with it and come
back on undo; a rename carries them along.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from typing import ClassVar

from workbench.domain.assumptions import BenefitLine, CostLine
from workbench.domain.commands import Change, Command
from workbench.domain.errors import WorkbenchError
from workbench.domain.plan import Plan

Line = CostLine | BenefitLine
RESERVED_NAME_CHARACTERS = "[]."
_WHAT = {"cost_lines": "cost line", "benefit_lines": "benefit line"}


class LineEditError(WorkbenchError, ValueError):
    """A line the business case cannot take (no name, a duplicate, a negative amount ...)."""


def _lines(plan: Plan, attr: str) -> list[Line]:
    lines: list[Line] = getattr(plan.assumptions, attr)
    return lines


def _index(plan: Plan, attr: str, name: str) -> int:
    for i, line in enumerate(_lines(plan, attr)):
        if line.name == name:
            return i
    raise LineEditError(f"there is no {_WHAT[attr]} named {name!r}")


def check_line_name(plan: Plan, attr: str, name: str, current: str | None = None) -> None:
    """Raise :class:`LineEditError` unless ``name`` can name a new (or renamed) line."""
    what = _WHAT[attr]
    if not name.strip():
        raise LineEditError(f"a {what} needs a name")
    if name != name.strip():
        raise LineEditError(f"the {what} name {name!r} starts or ends with a space")
    bad = [c for c in RESERVED_NAME_CHARACTERS if c in name]
    if bad:
        raise LineEditError(f"a {what} name cannot contain {' or '.join(repr(c) for c in bad)}")
    if name != current and any(line.name == name for line in _lines(plan, attr)):
        raise LineEditError(f"there is already a {what} named {name!r}")


def check_line_values(line: Line, what: str) -> None:
    """Amounts finite and not negative; a Monte Carlo range around 1."""
    amounts = {"annual": line.annual}
    if isinstance(line, CostLine):
        amounts["one-time"] = line.one_time
    for label, value in amounts.items():
        if not math.isfinite(value) or value < 0:
            raise LineEditError(f"the {label} amount of {what} {line.name!r} must be 0 or more")
    low = 1.0 if line.range_low is None else line.range_low
    high = 1.0 if line.range_high is None else line.range_high
    if not 0.0 <= low <= 1.0 <= high or not math.isfinite(high):
        raise LineEditError(f"the range of {what} {line.name!r} must satisfy 0 <= low <= 1 <= high")


def _line_change(attr: str, *names: str) -> Change:
    return Change(frozenset({"assumptions"}), frozenset(f"{attr}[{n}]" for n in names))


def _overrides_of(plan: Plan, attr: str, name: str) -> list[tuple[int, str]]:
    """(scenario index, path) of every scenario override naming the line."""
    prefix = f"{attr}[{name}]."
    return [
        (i, path)
        for i, s in enumerate(plan.scenarios)
        for path in s.overrides
        if path.startswith(prefix)
    ]


@dataclass
class _AddLine(Command):
    line: Line
    position: int | None = None
    _attr: ClassVar[str] = ""

    def do(self, plan: Plan) -> Change:
        check_line_name(plan, self._attr, self.line.name)
        check_line_values(self.line, _WHAT[self._attr])
        lines = _lines(plan, self._attr)
        if self.position is not None and not 0 <= self.position <= len(lines):
            raise LineEditError(f"position {self.position} is outside 0..{len(lines)}")
        where = len(lines) if self.position is None else self.position
        lines.insert(where, copy.deepcopy(self.line))
        return _line_change(self._attr, self.line.name)

    def undo(self, plan: Plan) -> Change:
        del _lines(plan, self._attr)[_index(plan, self._attr, self.line.name)]
        return _line_change(self._attr, self.line.name)


@dataclass
class _RemoveLine(Command):
    name: str
    _removed: tuple[Line, int] | None = field(default=None, repr=False)
    _overrides: list[tuple[int, str, float | int | str]] = field(default_factory=list, repr=False)
    _attr: ClassVar[str] = ""

    def do(self, plan: Plan) -> Change:
        lines = _lines(plan, self._attr)
        pos = _index(plan, self._attr, self.name)
        self._overrides = []
        for i, path in _overrides_of(plan, self._attr, self.name):
            self._overrides.append((i, path, plan.scenarios[i].overrides.pop(path)))
        self._removed = (lines.pop(pos), pos)
        return _line_change(self._attr, self.name)

    def undo(self, plan: Plan) -> Change:
        assert self._removed is not None
        line, pos = self._removed
        _lines(plan, self._attr).insert(pos, line)
        for i, path, value in self._overrides:
            plan.scenarios[i].overrides[path] = value
        return _line_change(self._attr, self.name)


@dataclass
class _RenameLine(Command):
    old: str
    new: str
    _attr: ClassVar[str] = ""

    def do(self, plan: Plan) -> Change:
        pos = _index(plan, self._attr, self.old)
        check_line_name(plan, self._attr, self.new, current=self.old)
        self._rename(plan, pos, self.old, self.new)
        return _line_change(self._attr, self.old, self.new)

    def undo(self, plan: Plan) -> Change:
        self._rename(plan, _index(plan, self._attr, self.new), self.new, self.old)
        return _line_change(self._attr, self.old, self.new)

    def _rename(self, plan: Plan, pos: int, old: str, new: str) -> None:
        _lines(plan, self._attr)[pos].name = new
        old_prefix, new_prefix = f"{self._attr}[{old}].", f"{self._attr}[{new}]."
        for i, path in _overrides_of(plan, self._attr, old):
            overrides = plan.scenarios[i].overrides
            overrides[new_prefix + path[len(old_prefix) :]] = overrides.pop(path)


@dataclass
class AddCostLine(_AddLine):
    """Add a cost line (at ``position``, default the end)."""

    line: CostLine
    _attr = "cost_lines"
    label = "Add cost line"


@dataclass
class RemoveCostLine(_RemoveLine):
    _attr = "cost_lines"
    label = "Remove cost line"


@dataclass
class RenameCostLine(_RenameLine):
    _attr = "cost_lines"
    label = "Rename cost line"


@dataclass
class AddBenefitLine(_AddLine):
    """Add a benefit line (at ``position``, default the end)."""

    line: BenefitLine
    _attr = "benefit_lines"
    label = "Add benefit line"


@dataclass
class RemoveBenefitLine(_RemoveLine):
    _attr = "benefit_lines"
    label = "Remove benefit line"


@dataclass
class RenameBenefitLine(_RenameLine):
    _attr = "benefit_lines"
    label = "Rename benefit line"


@dataclass
class SetActiveScenario(Command):
    """Evaluate the plan under a named scenario, or under its own assumptions (None)."""

    name: str | None
    _old: str | None = field(default=None, repr=False)
    label = "Switch scenario"

    def do(self, plan: Plan) -> Change:
        if self.name is not None and all(s.name != self.name for s in plan.scenarios):
            names = ", ".join(s.name for s in plan.scenarios) or "none"
            raise LineEditError(f"no scenario named {self.name!r} in the plan (it has: {names})")
        self._old, plan.active_scenario = plan.active_scenario, self.name
        return Change(frozenset({"assumptions"}), frozenset({"active_scenario"}))

    def undo(self, plan: Plan) -> Change:
        plan.active_scenario = self._old
        return Change(frozenset({"assumptions"}), frozenset({"active_scenario"}))
