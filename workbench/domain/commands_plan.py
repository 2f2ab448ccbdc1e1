"""Replacing the whole content of a plan as one undoable edit (an import merged into it)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from workbench.domain.commands import Change, Command
from workbench.domain.plan import Plan

ALL_AREAS = frozenset(
    {"inventory", "dependencies", "schedule", "assumptions", "meta", "mutes", "mesh"}
)


@dataclass
class ReplacePlanContents(Command):
    """Swap every part of the open plan for the parts of ``incoming`` (an import merged
    into a copy of it); undo swaps them back. The plan object itself stays the same, so
    views keep their reference to it."""

    incoming: Plan
    text: str = "Import"
    _previous: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def label(self) -> str:  # type: ignore[override]
        return self.text

    def _swap(self, plan: Plan, values: dict[str, Any]) -> dict[str, Any]:
        old: dict[str, Any] = {}
        for f in dataclasses.fields(Plan):
            old[f.name] = getattr(plan, f.name)
            setattr(plan, f.name, values[f.name])
        return old

    def do(self, plan: Plan) -> Change:
        values = {f.name: getattr(self.incoming, f.name) for f in dataclasses.fields(Plan)}
        self._previous = self._swap(plan, values)
        return Change(ALL_AREAS)

    def undo(self, plan: Plan) -> Change:
        assert self._previous is not None
        self._swap(plan, self._previous)
        return Change(ALL_AREAS)
