"""Muting a finding rule for a namespace or a workload, with the reason kept in the plan."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from workbench.domain.commands import Change, Command
from workbench.domain.errors import WorkbenchError
from workbench.domain.plan import Mute, Plan


class MuteError(WorkbenchError, ValueError):
    """A mute that cannot be added or removed."""


def _change(mute: Mute) -> Change:
    return Change(frozenset({"mutes"}), frozenset({mute.rule, mute.scope}))


def _position(plan: Plan, rule: str, scope: str) -> int | None:
    for i, m in enumerate(plan.mutes):
        if m.rule == rule and m.scope == scope:
            return i
    return None


@dataclass
class MuteRule(Command):
    """Silence ``mute.rule`` within ``mute.scope``; muting the same pair again updates the
    reason (and undo brings the old reason back)."""

    mute: Mute
    _replaced: tuple[int, Mute] | None = field(default=None, repr=False)

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"Mute {self.mute.rule} for {self.mute.scope}"

    def do(self, plan: Plan) -> Change:
        if not self.mute.rule.strip() or not self.mute.scope.strip():
            raise MuteError("a mute needs a rule and a scope")
        if not self.mute.reason.strip():
            raise MuteError(f"muting {self.mute.rule} for {self.mute.scope} needs a reason")
        pos = _position(plan, self.mute.rule, self.mute.scope)
        if pos is None:
            self._replaced = None
            plan.mutes.append(copy.copy(self.mute))
        else:
            self._replaced = (pos, plan.mutes[pos])
            plan.mutes[pos] = copy.copy(self.mute)
        return _change(self.mute)

    def undo(self, plan: Plan) -> Change:
        pos = _position(plan, self.mute.rule, self.mute.scope)
        if pos is None:
            raise MuteError(f"no mute of {self.mute.rule} for {self.mute.scope} to undo")
        if self._replaced is None:
            del plan.mutes[pos]
        else:
            plan.mutes[pos] = self._replaced[1]
        return _change(self.mute)


@dataclass
class UnmuteRule(Command):
    """Remove the mute of ``rule`` for ``scope``; undo puts it back where it was."""

    rule: str
    scope: str
    _removed: tuple[int, Mute] | None = field(default=None, repr=False)

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"Unmute {self.rule} for {self.scope}"

    def do(self, plan: Plan) -> Change:
        pos = _position(plan, self.rule, self.scope)
        if pos is None:
            raise MuteError(f"{self.rule} is not muted for {self.scope}")
        self._removed = (pos, plan.mutes.pop(pos))
        return _change(self._removed[1])

    def undo(self, plan: Plan) -> Change:
        assert self._removed is not None
        pos, mute = self._removed
        plan.mutes.insert(min(pos, len(plan.mutes)), mute)
        return _change(mute)
