"""Evaluate every readiness rule over a plan and score each workload's risk.

Risk score (0-100) per workload: each active finding that names the workload is read
as an independent chance that the workload breaks when it joins the mesh: blocker
0.6, high 0.35, medium 0.12, low 0.03, info 0. A finding about the workload's
namespace or cluster (a quota, a LimitRange) that lists it among those affected counts
half: it says less about this workload than a finding about the workload itself. The
score is ``100 * (1 - product(1 - p))``: one blocker gives 60, one high 35, two highs
57.75, a blocker and a high 74, a namespace-wide blocker 30, and no finding 0, so
scores stay graded per workload rather than saturating. Whether a workload can be
scheduled at all does not rest on the score: :meth:`ReadinessReport.blocked` lists the
workloads an active blocker names. Muted findings do not count: muting is the user
accepting that risk. The planner uses the score to pick pilot workloads.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from workbench.domain.findings import Finding, count_by_severity, sort_findings, split_muted
from workbench.domain.inventory import Cluster, Namespace, Service, Workload
from workbench.domain.plan import Plan
from workbench.domain.readiness import (
    callers,
    capacity,
    clustered,
    exposure,
    lifecycle,
    mesh_state,
    network,
    protocols,
    security,
)
from workbench.domain.readiness.context import ReadinessContext
from workbench.domain.readiness.rule import Rule

RISK_WEIGHTS = {"blocker": 0.6, "high": 0.35, "medium": 0.12, "low": 0.03, "info": 0.0}
SHARED_FACTOR = 0.5  # a namespace- or cluster-wide finding, per affected workload

WORKLOAD_RULES: tuple[Rule[Workload], ...] = (
    *network.RULES,
    *security.RULES,
    *protocols.WORKLOAD_RULES,
    *clustered.RULES,
    *lifecycle.RULES,
    *capacity.WORKLOAD_RULES,
    *mesh_state.RULES,
    *exposure.RULES,
)
SERVICE_RULES: tuple[Rule[Service], ...] = protocols.SERVICE_RULES
NAMESPACE_RULES: tuple[Rule[Namespace], ...] = (*capacity.NAMESPACE_RULES, *callers.NAMESPACE_RULES)
CLUSTER_RULES: tuple[Rule[Cluster], ...] = capacity.CLUSTER_RULES


def _rule_order(r: Rule[Any]) -> tuple[str, int]:
    return (r.id[0], int(r.id[1:]))


RULES: tuple[Rule[Any], ...] = tuple(
    sorted((*WORKLOAD_RULES, *SERVICE_RULES, *NAMESPACE_RULES, *CLUSTER_RULES), key=_rule_order)
)
RULES_BY_ID: dict[str, Rule[Any]] = {r.id: r for r in RULES}


@dataclass(slots=True)
class ReadinessReport:
    findings: list[Finding] = field(default_factory=list)  # active, most severe first
    muted: list[Finding] = field(default_factory=list)
    risk: dict[str, float] = field(default_factory=dict)  # workload key -> 0..100
    _by_item: dict[str, list[Finding]] = field(default_factory=dict, repr=False)

    def counts(self) -> dict[str, int]:
        return count_by_severity(self.findings)

    def for_item(self, key: str) -> list[Finding]:
        """Active findings naming a workload, service, namespace or cluster key."""
        return list(self._by_item.get(key, ()))

    def blocked(self) -> set[str]:
        """Workloads an active blocker names: they cannot be scheduled."""
        return {
            k for k in self.risk if any(f.severity == "blocker" for f in self._by_item.get(k, ()))
        }

    def rule_ids(self) -> set[str]:
        return {f.rule for f in self.findings}


def risk_score(findings: list[Finding], key: str | None = None) -> float:
    """The score of the workload ``key`` from the findings naming it (``key`` None: every
    finding counts as the workload's own)."""
    keep = 1.0
    for f in findings:
        weight = RISK_WEIGHTS[f.severity]
        if key is not None and f.subject != key:
            weight *= SHARED_FACTOR
        keep *= 1.0 - weight
    return round(100.0 * (1.0 - keep), 2)


def evaluate(plan: Plan) -> ReadinessReport:
    """All readiness findings of the plan (mutes applied) and a risk score per workload."""
    ctx = ReadinessContext(plan)
    by_mode: dict[str, tuple[Rule[Workload], ...]] = {
        mode: tuple(r for r in WORKLOAD_RULES if mode in r.modes) for mode in ("sidecar", "ambient")
    }
    found: list[Finding] = []
    workloads = [w for w in plan.inventory.workloads.values() if not w.vanished]
    for w in workloads:
        for rule in by_mode.get(ctx.mode_of(w), WORKLOAD_RULES):
            found += rule.check(ctx, w)
    for svc in plan.inventory.services.values():
        for srule in SERVICE_RULES:
            found += srule.check(ctx, svc)
    for ns in plan.inventory.namespaces.values():
        for nrule in NAMESPACE_RULES:
            found += nrule.check(ctx, ns)
    for cluster in plan.inventory.clusters.values():
        for crule in CLUSTER_RULES:
            found += crule.check(ctx, cluster)
    active, muted = split_muted(sort_findings(found), plan.mutes)
    by_item: dict[str, list[Finding]] = defaultdict(list)
    for f in active:
        for key in f.items:
            by_item[key].append(f)
    risk = {w.key: risk_score(by_item.get(w.key, []), w.key) for w in workloads}
    return ReadinessReport(findings=active, muted=muted, risk=risk, _by_item=dict(by_item))
