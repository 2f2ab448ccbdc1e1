"""The command protocol: every edit of a plan is a command with do/undo, shared by CLI,
scripts and UI.

A command captures what it needs to undo itself when it is done, so ``do`` then
``undo`` leaves the plan equal to what it was. ``do`` and ``undo`` return a
:class:`Change` naming what moved, so views refresh only what they show.
A command whose ``merge_key`` matches the previous one's can absorb it
(a Gantt drag becomes one undo step). A :class:`Macro` runs several as one step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from workbench.domain.plan import Plan
from workbench.domain.schedule import ScheduleError


@dataclass(frozen=True, slots=True)
class Change:
    areas: frozenset[str]  # "schedule", "assumptions", "dependencies", "inventory", "meta"
    keys: frozenset[str] = frozenset()  # workload keys or ids touched, when known

    def __or__(self, other: Change) -> Change:
        return Change(self.areas | other.areas, self.keys | other.keys)


def area_change(area: str, keys: list[str] | tuple[str, ...] = ()) -> Change:
    """The change of one area, naming the keys it touched."""
    return Change(frozenset({area}), frozenset(keys))


class Command:
    label = "Edit"

    def do(self, plan: Plan) -> Change:
        raise NotImplementedError

    def undo(self, plan: Plan) -> Change:
        raise NotImplementedError

    def merge_key(self) -> str | None:
        return None

    def merge(self, later: Command) -> bool:
        """Absorb a later command of the same merge key; False when it cannot."""
        return False


def check_dates(start: date, end: date) -> None:
    if end < start:
        raise ScheduleError(f"end {end.isoformat()} is before start {start.isoformat()}")


@dataclass
class Macro(Command):
    """Several commands as one step; undone in reverse order."""

    commands: list[Command]
    text: str = "Edit"
    _done: int = 0

    @property
    def label(self) -> str:  # type: ignore[override]
        return self.text

    def do(self, plan: Plan) -> Change:
        change = Change(frozenset())
        self._done = 0
        try:
            for cmd in self.commands:
                change = change | cmd.do(plan)
                self._done += 1
        except Exception:
            for cmd in reversed(self.commands[: self._done]):
                cmd.undo(plan)
            raise
        return change

    def undo(self, plan: Plan) -> Change:
        change = Change(frozenset())
        for cmd in reversed(self.commands):
            change = change | cmd.undo(plan)
        return change
