"""Findings: what the readiness rules and the schedule rules report.

A finding names a rule, a severity, where it comes from (``readiness`` or
``schedule``), the items it concerns (workload, service, namespace or cluster keys,
the subject first), what was seen, why it matters (with the Istio source) and how
to fix it. Findings are computed from the plan, never stored in it; the plan only
keeps the user's mutes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from workbench.domain.plan import Mute

SEVERITIES = ("blocker", "high", "medium", "low", "info")
SOURCES = ("readiness", "schedule")
SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: str  # SEVERITIES
    source: str  # SOURCES
    items: tuple[str, ...]  # keys; the first is the subject the finding is about
    message: str  # what was seen
    why: str  # why it matters, citing the Istio source
    fix: str  # how to fix it

    def __post_init__(self) -> None:
        if self.severity not in SEVERITY_RANK:
            raise ValueError(f"unknown severity {self.severity!r} in finding {self.rule}")
        if self.source not in SOURCES:
            raise ValueError(f"unknown source {self.source!r} in finding {self.rule}")
        if not self.items:
            raise ValueError(f"finding {self.rule} names no item")

    @property
    def subject(self) -> str:
        return self.items[0]

    def sort_key(self) -> tuple[int, str, str, tuple[str, ...]]:
        return (SEVERITY_RANK[self.severity], self.rule, self.source, self.items)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Most severe first, then by rule and items: a stable order for output and diffs."""
    return sorted(findings, key=Finding.sort_key)


def count_by_severity(findings: Iterable[Finding]) -> dict[str, int]:
    """Counts for every severity (zeros included), most severe first."""
    counts = dict.fromkeys(SEVERITIES, 0)
    for f in findings:
        counts[f.severity] += 1
    return counts


def in_scope(key: str, scope: str) -> bool:
    """Whether a key lies within a mute scope.

    A scope is ``*`` (everything), a cluster name, a namespace key
    ``cluster/namespace``, or an exact workload or service key. Scopes match whole
    path segments: ``prod/shop`` covers ``prod/shop/Deployment/web`` but not
    ``prod/shopping/...``.
    """
    return scope == "*" or key == scope or key.startswith(scope + "/")


def is_muted(finding: Finding, mutes: Sequence[Mute]) -> bool:
    """A mute applies when its rule matches (or is ``*``) and its scope covers the subject."""
    return any(
        (m.rule == finding.rule or m.rule == "*") and in_scope(finding.subject, m.scope)
        for m in mutes
    )


def split_muted(
    findings: Iterable[Finding], mutes: Sequence[Mute]
) -> tuple[list[Finding], list[Finding]]:
    """(active, muted): findings the user still has to act on, and those silenced."""
    active: list[Finding] = []
    muted: list[Finding] = []
    if not mutes:
        return list(findings), muted
    for f in findings:
        (muted if is_muted(f, mutes) else active).append(f)
    return active, muted
