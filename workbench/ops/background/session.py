"""A plan's findings kept current edit by edit, reported as deltas.

:class:`CheckSession` holds an :class:`IncrementalReadiness` and a
:class:`ScheduleValidator` over one plan. After an edit it re-evaluates readiness for
what the edit can affect, hands the workloads whose risk or blocker status moved to the
validator, lets the validator re-check what the edit touched, and produces the same
:class:`CheckResult` as :func:`workbench.ops.check.check_plan` (a test holds the two
equal). :meth:`CheckSession.delta` says what changed since the last delta: findings
added and removed (as a multiset), risk scores changed, the muted list when it
changed; :meth:`FindingsDelta.chunks` cuts a large one into pieces that unpickle fast.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from workbench.domain.commands import Change
from workbench.domain.findings import Finding, sort_findings
from workbench.domain.incremental import IncrementalReadiness
from workbench.domain.plan import Plan
from workbench.domain.planning.outputs import StrictDate, namespace_strict_dates
from workbench.domain.planning.readiness_input import ReadinessInput
from workbench.domain.planning.validator import ScheduleValidator
from workbench.domain.readiness import ReadinessReport
from workbench.ops.background.sync import PlanParts, apply_parts
from workbench.ops.check import CheckResult

CHUNK = 400  # findings per chunk: each unpickles in a few milliseconds


@dataclass(slots=True)
class FindingsDelta:
    """What changed in a plan's findings; ``reset``: forget everything held before."""

    generation: int
    reset: bool = False
    added: list[Finding] = field(default_factory=list)
    removed: list[Finding] = field(default_factory=list)
    risk: dict[str, float] = field(default_factory=dict)  # new or changed scores
    dropped: list[str] = field(default_factory=list)  # workloads no longer scored
    muted: list[Finding] | None = None  # the whole muted list, when it changed
    # namespace key -> when STRICT is safe there (the Gantt's markers), when they changed
    strict_dates: dict[str, StrictDate] | None = None
    final: bool = True  # the last chunk of this generation's delta

    @property
    def empty(self) -> bool:
        return not (self.reset or self.added or self.removed or self.risk or self.dropped) and (
            self.muted is None and self.strict_dates is None
        )

    def chunks(self, size: int = CHUNK) -> Iterator[FindingsDelta]:
        """This delta in pieces of at most ``size`` findings (and scores); only the last
        is ``final`` and only the first may ``reset``."""
        items: list[tuple[str, object]] = [("removed", f) for f in self.removed]
        items += [("added", f) for f in self.added]
        scores = list(self.risk.items())
        pieces = max(1, -(-len(items) // size), -(-len(scores) // (size * 10)))
        for i in range(pieces):
            part = items[i * size : (i + 1) * size]
            yield FindingsDelta(
                self.generation,
                reset=self.reset and i == 0,
                added=[f for kind, f in part if kind == "added"],  # type: ignore[misc]
                removed=[f for kind, f in part if kind == "removed"],  # type: ignore[misc]
                risk=dict(scores[i * size * 10 : (i + 1) * size * 10]),
                dropped=self.dropped if i == 0 else [],
                muted=self.muted if i == pieces - 1 else None,
                strict_dates=self.strict_dates if i == pieces - 1 else None,
                final=i == pieces - 1,
            )


def readiness_input_of(report: ReadinessReport) -> ReadinessInput:
    return ReadinessInput(frozenset(report.blocked()), dict(report.risk))


class CheckSession:
    """Findings of one plan, kept current as parts of it are replaced."""

    def __init__(self, plan: Plan) -> None:
        self._reported: Counter[Finding] = Counter()
        self._risk: dict[str, float] = {}
        self._muted: list[Finding] = []
        self._dates: dict[str, StrictDate] = {}
        self._reset = True
        self._start(plan)

    def _start(self, plan: Plan) -> None:
        self.plan = plan
        self.readiness = IncrementalReadiness(plan)
        self.validator = ScheduleValidator(plan, readiness_input_of(self.readiness.report))
        self._reset = True

    # -- edits ------------------------------------------------------------------------
    def apply(self, parts: PlanParts, change: Change) -> None:
        """Take the parts an edit (or several, ``change`` their union) replaced."""
        plan = apply_parts(self.plan, parts)
        if plan is not self.plan:
            self._start(plan)
            return
        before = self.readiness.report
        report = self.readiness.update(change)
        if self.readiness.scope.full:
            self.validator = ScheduleValidator(plan, readiness_input_of(report))
            return
        if report is not before:
            old, new = before.risk, report.risk
            moved = [k for k, score in new.items() if old.get(k) != score]
            self.validator.set_readiness(readiness_input_of(report), moved)
        if "schedule" in change.areas:
            self.validator.update(Change(frozenset({"schedule"}), change.keys))

    # -- results ----------------------------------------------------------------------
    def result(self) -> CheckResult:
        """Everything :func:`workbench.ops.check.check_plan` would say about the plan now."""
        report = self.readiness.report
        return CheckResult(
            findings=sort_findings([*report.findings, *self.validator.findings()]),
            muted=list(report.muted),
            risk=dict(report.risk),
        )

    def delta(self, generation: int) -> FindingsDelta:
        """What changed since the last delta (everything, with ``reset``, after a new plan)."""
        report = self.readiness.report
        now: Counter[Finding] = Counter(report.findings)
        now.update(self.validator.findings())
        reset = self._reset
        before = Counter[Finding]() if reset else self._reported
        old_risk = {} if reset else self._risk
        delta = FindingsDelta(
            generation,
            reset=reset,
            added=list((now - before).elements()),
            removed=list((before - now).elements()),
            risk={k: v for k, v in report.risk.items() if old_risk.get(k) != v},
            dropped=[k for k in old_risk if k not in report.risk],
            muted=list(report.muted) if reset or report.muted != self._muted else None,
        )
        dates = namespace_strict_dates(self.validator.ctx)
        if reset or dates != self._dates:
            delta.strict_dates = dates
        self._reported, self._risk, self._muted = now, dict(report.risk), list(report.muted)
        self._dates = dates
        self._reset = False
        return delta

    def full_delta(self, generation: int) -> FindingsDelta:
        """Everything, as a reset (for a client that lost track)."""
        self._reset = True
        return replace(self.delta(generation), reset=True)
