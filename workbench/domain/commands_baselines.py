"""Baselines: a saved copy of the wave dates, to compare the current schedule against."""

from __future__ import annotations

from dataclasses import dataclass, field

from workbench.domain.commands import Change, Command
from workbench.domain.plan import Baseline, Plan
from workbench.domain.schedule import ScheduleError


@dataclass
class SaveBaseline(Command):
    """Keep the current start and end of every wave under a name."""

    name: str
    created: str  # ISO 8601 timestamp
    _saved: Baseline | None = field(default=None, repr=False)

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"Save baseline {self.name}"

    def do(self, plan: Plan) -> Change:
        if not self.name.strip():
            raise ScheduleError("a baseline needs a name")
        waves = {w.id: (w.start, w.end) for w in plan.schedule.waves}
        self._saved = Baseline(self.name, self.created, waves)
        plan.meta.baselines.append(self._saved)
        return Change(frozenset({"meta"}), frozenset({self.name}))

    def undo(self, plan: Plan) -> Change:
        baselines = plan.meta.baselines
        for i in range(len(baselines) - 1, -1, -1):
            if baselines[i] is self._saved:
                del baselines[i]
                break
        return Change(frozenset({"meta"}), frozenset({self.name}))


def baseline_name(plan: Plan) -> str:
    """A name not yet used by the plan's baselines: ``Baseline 1``, ``Baseline 2``..."""
    used = {b.name for b in plan.meta.baselines}
    n = len(used) + 1
    while f"Baseline {n}" in used:
        n += 1
    return f"Baseline {n}"
