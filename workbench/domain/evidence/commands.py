"""Confirming a workload's callers by hand, with the reason kept in the plan (do/undo)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from workbench.domain.commands import Change, Command
from workbench.domain.dependencies import CallerConfirmation
from workbench.domain.errors import WorkbenchError
from workbench.domain.plan import Plan


class ConfirmationError(WorkbenchError, ValueError):
    """A confirmation that cannot be made or withdrawn."""


def _change(key: str) -> Change:
    return Change(frozenset({"dependencies"}), frozenset({key}))


@dataclass
class ConfirmCallers(Command):
    """State that ``confirmation.workload``'s callers are known completely; confirming
    again replaces the reason (undo brings the old one back)."""

    confirmation: CallerConfirmation
    _replaced: CallerConfirmation | None = field(default=None, repr=False)

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"Confirm callers of {self.confirmation.workload}"

    def do(self, plan: Plan) -> Change:
        key = self.confirmation.workload
        if key not in plan.inventory.workloads:
            raise ConfirmationError(f"no workload {key}")
        if not self.confirmation.reason.strip():
            raise ConfirmationError(f"confirming the callers of {key} needs a reason")
        confirmations = plan.dependencies.confirmations
        self._replaced = confirmations.get(key)
        confirmations[key] = copy.copy(self.confirmation)
        plan.dependencies.confirmations = dict(sorted(confirmations.items()))
        plan.dependencies.revision += 1
        return _change(key)

    def undo(self, plan: Plan) -> Change:
        key = self.confirmation.workload
        if self._replaced is None:
            plan.dependencies.confirmations.pop(key, None)
        else:
            plan.dependencies.confirmations[key] = self._replaced
        plan.dependencies.revision += 1
        return _change(key)


@dataclass
class WithdrawConfirmation(Command):
    """Take back a confirmation of a workload's callers; undo restores it."""

    workload: str
    _removed: CallerConfirmation | None = field(default=None, repr=False)

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"Withdraw caller confirmation of {self.workload}"

    def do(self, plan: Plan) -> Change:
        removed = plan.dependencies.confirmations.pop(self.workload, None)
        if removed is None:
            raise ConfirmationError(f"the callers of {self.workload} are not confirmed")
        self._removed = removed
        plan.dependencies.revision += 1
        return _change(self.workload)

    def undo(self, plan: Plan) -> Change:
        assert self._removed is not None
        confirmations = plan.dependencies.confirmations
        confirmations[self.workload] = self._removed
        plan.dependencies.confirmations = dict(sorted(confirmations.items()))
        plan.dependencies.revision += 1
        return _change(self.workload)
