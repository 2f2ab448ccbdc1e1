"""The ``check`` use-case: every finding about a plan, for the CLI and the UI.

Readiness findings come from :mod:`workbench.domain.readiness`; schedule findings from
:mod:`workbench.domain.planning.validator`, under the same :class:`Finding` type with
``source: schedule``. Readiness is evaluated once and shared by both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from workbench.domain.findings import Finding, count_by_severity, sort_findings
from workbench.domain.plan import Plan
from workbench.domain.planning.backlog import BacklogItem
from workbench.domain.planning.backlog_lanes import plan_backlog
from workbench.domain.planning.readiness_input import from_report
from workbench.domain.planning.validator import schedule_findings
from workbench.domain.readiness import evaluate


@dataclass(slots=True)
class CheckResult:
    findings: list[Finding] = field(default_factory=list)  # active, most severe first
    muted: list[Finding] = field(default_factory=list)
    risk: dict[str, float] = field(default_factory=dict)  # workload key -> 0..100
    backlog: list[BacklogItem] = field(default_factory=list)  # kept out of the waves

    def counts(self) -> dict[str, int]:
        return count_by_severity(self.findings)

    @property
    def has_blocker(self) -> bool:
        return any(f.severity == "blocker" for f in self.findings)


def check_plan(plan: Plan) -> CheckResult:
    """All active findings of the plan (mutes applied), with the readiness risk scores."""
    readiness = evaluate(plan)
    shared = from_report(readiness)
    return CheckResult(
        findings=sort_findings([*readiness.findings, *schedule_findings(plan, shared)]),
        muted=readiness.muted,
        risk=readiness.risk,
        backlog=plan_backlog(plan, shared),
    )


def finding_json(f: Finding) -> dict[str, Any]:
    """One finding in the ``check --json`` contract (keys only ever added)."""
    return {
        "rule": f.rule,
        "severity": f.severity,
        "source": f.source,
        "items": list(f.items),
        "message": f.message,
        "fix": f.fix,
        "why": f.why,
    }


def check_json(result: CheckResult) -> dict[str, Any]:
    return {
        "findings": [finding_json(f) for f in result.findings],
        "counts": result.counts(),
        "muted": len(result.muted),
    }


def finding_counts(plan: Plan) -> dict[str, int]:
    """Active findings by severity: the ``findings`` key of the plan summary."""
    return check_plan(plan).counts()
