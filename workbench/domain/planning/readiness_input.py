"""What the planner takes from readiness: who cannot be scheduled and how risky each is.

The coupling to the readiness engine is this one function: the planner needs the
workloads with an active blocker and a risk score (0-100) per workload.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field

from workbench.domain.plan import Plan
from workbench.domain.readiness import evaluate

HIGH_RISK = 35.0  # one active high finding scores 35 (see workbench.domain.readiness.report)


@dataclass(frozen=True, slots=True)
class ReadinessInput:
    blockers: frozenset[str] = frozenset()
    risk: Mapping[str, float] = field(default_factory=dict)

    def risk_of(self, key: str) -> float:
        return self.risk.get(key, 0.0)

    def high_risk(self, key: str) -> bool:
        return self.risk.get(key, 0.0) >= HIGH_RISK


def readiness_input(plan: Plan, mode: str | None = None) -> ReadinessInput:
    """Evaluate readiness; ``mode`` is the data-plane mode assumed for unassigned workloads."""
    if mode is not None and mode != plan.mesh.default_mode:
        mesh = dataclasses.replace(plan.mesh, default_mode=mode)
        plan = dataclasses.replace(plan, mesh=mesh)
    report = evaluate(plan)
    return ReadinessInput(frozenset(report.blocked()), dict(report.risk))
