"""Edits of the business metadata (owner team, criticality, ...) per workload."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from workbench.domain.business import BusinessInfo
from workbench.domain.commands import Change, Command
from workbench.domain.plan import Plan
from workbench.domain.schedule import ScheduleError


@dataclass
class SetBusinessInfo(Command):
    """Set the business metadata of workloads (an empty record removes it)."""

    infos: dict[str, BusinessInfo]
    _old: dict[str, BusinessInfo | None] = field(default_factory=dict, repr=False)
    label = "Set business metadata"

    def do(self, plan: Plan) -> Change:
        unknown = sorted(k for k in self.infos if k not in plan.inventory.workloads)
        if unknown:
            raise ScheduleError(f"no workload {unknown[0]}")
        self._old = {k: plan.business.get(k) for k in self.infos}
        for key, info in self.infos.items():
            if info.is_empty():
                plan.business.pop(key, None)
            else:
                plan.business[key] = copy.copy(info)
        return Change(frozenset({"inventory"}), frozenset(self.infos))

    def undo(self, plan: Plan) -> Change:
        for key, old in self._old.items():
            if old is None:
                plan.business.pop(key, None)
            else:
                plan.business[key] = old
        return Change(frozenset({"inventory"}), frozenset(self.infos))
