"""What the planner takes from readiness: who cannot be scheduled, why, and how risky each is.

The coupling to the readiness engine is this one module: the planner needs the workloads
kept out of every wave (an active blocker, or a batch pod that would never complete under
a classic sidecar) with the rule that keeps each out, and a risk score (0-100) per
workload.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field

from workbench.domain.plan import Plan
from workbench.domain.planning.backlog import BacklogCause, backlog_causes
from workbench.domain.readiness import ReadinessReport, evaluate

HIGH_RISK = 35.0  # one active high finding scores 35 (see workbench.domain.readiness.report)


@dataclass(frozen=True, slots=True)
class ReadinessInput:
    blockers: frozenset[str] = frozenset()  # kept out of every wave: the backlog
    risk: Mapping[str, float] = field(default_factory=dict)
    causes: Mapping[str, BacklogCause] = field(default_factory=dict)  # why, per blocker

    def risk_of(self, key: str) -> float:
        return self.risk.get(key, 0.0)

    def high_risk(self, key: str) -> bool:
        return self.risk.get(key, 0.0) >= HIGH_RISK

    def cause_of(self, key: str) -> BacklogCause | None:
        return self.causes.get(key)


def from_report(report: ReadinessReport) -> ReadinessInput:
    """The planner's view of an evaluated readiness report."""
    causes = backlog_causes(report.findings, report.risk)
    return ReadinessInput(frozenset(causes) | report.blocked(), dict(report.risk), causes)


def readiness_input(plan: Plan, mode: str | None = None) -> ReadinessInput:
    """Evaluate readiness; ``mode`` is the data-plane mode assumed for unassigned workloads."""
    if mode is not None and mode != plan.mesh.default_mode:
        mesh = dataclasses.replace(plan.mesh, default_mode=mode)
        plan = dataclasses.replace(plan, mesh=mesh)
    return from_report(evaluate(plan))
