"""The remediation backlog: workloads the planner will not schedule until a cause is fixed.

A workload lands in the backlog when an active readiness blocker names it, or when it is
a batch pod (Job, CronJob, batch label) that would never complete under a classic sidecar
(rule R12 at its default severity: no native sidecars, no ``/quitquitquit``). Each entry
names the rule that keeps it out, the fix, and the namespace, so a team can work through
it. The backlog is computed from the readiness findings, never stored: fixing the cause
or muting the finding returns the workload to planning on the next evaluation.

Workloads out of scope (system namespaces such as kube-system, the mesh's own
namespace, vanished or already-meshed workloads) are not in the backlog: nobody plans
them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from workbench.domain.findings import SEVERITY_RANK, Finding
from workbench.domain.inventory import SYSTEM_NAMESPACES, Inventory
from workbench.domain.plan import Plan

NEVER_COMPLETES_RULE = "R12"  # batch pod without native sidecars
NEVER_COMPLETES_SEVERITY = "high"  # the rule's severity when the pod would never complete


@dataclass(frozen=True, slots=True)
class BacklogCause:
    """Why a workload cannot be scheduled: the first rule that keeps it out."""

    rule: str
    severity: str
    message: str
    fix: str
    others: tuple[str, ...] = ()  # further rules that also keep it out

    @property
    def label(self) -> str:
        more = f" (+{len(self.others)} more)" if self.others else ""
        return f"{self.rule}{more}"


@dataclass(frozen=True, slots=True)
class BacklogItem:
    key: str
    namespace: str  # namespace key cluster/namespace
    cause: BacklogCause


def out_of_scope_namespaces(plan: Plan) -> frozenset[str]:
    """Namespace names nobody plans: the system namespaces and the mesh's own."""
    return SYSTEM_NAMESPACES | {plan.mesh.root_namespace}


def keeps_out(finding: Finding) -> bool:
    """Whether a readiness finding keeps its workloads out of every wave."""
    if finding.severity == "blocker":
        return True
    return finding.rule == NEVER_COMPLETES_RULE and finding.severity == NEVER_COMPLETES_SEVERITY


def backlog_causes(
    findings: Iterable[Finding], workloads: Iterable[str]
) -> dict[str, BacklogCause]:
    """The cause per workload key in ``workloads`` that an active finding keeps out.

    ``findings`` are active readiness findings; a finding counts for every workload it
    names (a namespace-wide blocker names the workloads it rejects)."""
    wanted = set(workloads)
    hits: dict[str, list[Finding]] = {}
    for f in findings:
        if not keeps_out(f):
            continue
        for key in dict.fromkeys(f.items):
            if key in wanted:
                hits.setdefault(key, []).append(f)
    causes: dict[str, BacklogCause] = {}
    for key, found in hits.items():
        found.sort(key=lambda f: (SEVERITY_RANK[f.severity], _rule_number(f.rule), f.message))
        first = found[0]
        others = tuple(dict.fromkeys(f.rule for f in found[1:] if f.rule != first.rule))
        causes[key] = BacklogCause(first.rule, first.severity, first.message, first.fix, others)
    return causes


def backlog_items(
    causes: Mapping[str, BacklogCause], inventory: Inventory, scope: Iterable[str]
) -> list[BacklogItem]:
    """Backlog entries for the in-scope workloads with a cause, by namespace then key."""
    items = [
        BacklogItem(key, inventory.workloads[key].namespace_key, causes[key])
        for key in scope
        if key in causes
    ]
    return sorted(items, key=lambda i: (i.namespace, i.key))


def _rule_number(rule: str) -> tuple[str, int]:
    digits = rule.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return (rule[: len(rule) - len(digits)], int(digits) if digits.isdigit() else 0)
