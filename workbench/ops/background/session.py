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
from workbench.domain.findings import Finding, sort_findings, split_muted
from workbench.domain.incremental import IncrementalReadiness
from workbench.domain.plan import Plan
from workbench.domain.planning.backlog import backlog_causes
from workbench.domain.planning.backlog_lanes import plan_backlog
from workbench.domain.planning.outputs import StrictDate, namespace_strict_dates
from workbench.domain.planning.readiness_input import ReadinessInput, from_report
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


def changed_objects(
    before: list[Finding], after: list[Finding]
) -> tuple[Counter[Finding], Counter[Finding]]:
    """The findings in ``before`` and in ``after`` that are not the very same objects in
    both (the validator keeps the objects of a result that did not change), so only
    those are hashed and compared by value."""
    was, now = Counter(map(id, before)), Counter(map(id, after))
    gone, came = was - now, now - was
    by_id = {id(f): f for f in before if id(f) in gone}
    by_id.update((id(f), f) for f in after if id(f) in came)
    lost, found = Counter[Finding](), Counter[Finding]()
    for i, n in gone.items():
        lost[by_id[i]] += n
    for i, n in came.items():
        found[by_id[i]] += n
    return lost, found


def _move(held: Counter[Finding], added: Counter[Finding], removed: Counter[Finding]) -> None:
    """``held`` plus ``added`` minus ``removed``, in place (no zero counts left)."""
    held.update(added)
    for f, n in removed.items():
        left = held[f] - n
        if left > 0:
            held[f] = left
        else:
            del held[f]


def readiness_input_of(report: ReadinessReport) -> ReadinessInput:
    """What the planner takes from readiness (blockers, backlog causes, risk)."""
    return from_report(report)


def named_by(replaced: list[tuple[list[Finding], list[Finding]]]) -> set[str]:
    """Every key the findings of re-run subjects name, before and after."""
    return {key for was, now in replaced for f in (*was, *now) for key in f.items}


def updated_input(old: ReadinessInput, report: ReadinessReport, keys: set[str]) -> ReadinessInput:
    """``old`` brought up to date for ``keys`` alone, equal to ``readiness_input_of(report)``
    when no finding naming another workload changed (the findings of a key come from
    ``report.for_item`` in report order, as a full pass meets them)."""
    causes = dict(old.causes)
    blockers = set(old.blockers)
    for key in keys:
        causes.pop(key, None)
        blockers.discard(key)
        if key not in report.risk:
            continue
        found = report.for_item(key)
        cause = backlog_causes(found, (key,)).get(key)
        if cause is not None:
            causes[key] = cause
        if cause is not None or any(f.severity == "blocker" for f in found):
            blockers.add(key)
    return ReadinessInput(frozenset(blockers), dict(report.risk), causes)


def moved_keys(
    old: ReadinessInput, new: ReadinessInput, among: set[str] | None = None
) -> list[str]:
    """Workloads (of ``among``, else all) whose risk, blocker status or backlog cause differs."""
    if among is None:
        among = set(old.risk) | set(new.risk) | old.blockers | new.blockers
    return [
        k
        for k in among
        if old.risk.get(k) != new.risk.get(k)
        or (k in old.blockers) != (k in new.blockers)
        or old.causes.get(k) != new.causes.get(k)
    ]


class CheckSession:
    """Findings of one plan, kept current as parts of it are replaced."""

    def __init__(self, plan: Plan) -> None:
        self._reported: Counter[Finding] = Counter()
        self._schedule: list[Finding] = []  # the validator's part of it, as reported
        # readiness slots re-run since the last delta (before, after); None: compare all
        self._replaced: list[tuple[list[Finding], list[Finding]]] | None = None
        self._risk: dict[str, float] = {}
        self._muted: list[Finding] = []
        self._dates: dict[str, StrictDate] = {}
        self._reset = True
        self._start(plan)

    def _start(self, plan: Plan) -> None:
        self.plan = plan
        self.readiness = IncrementalReadiness(plan)
        self._input = readiness_input_of(self.readiness.report)
        self.validator = ScheduleValidator(plan, self._input)
        self._reset = True
        self._replaced = None

    # -- edits ------------------------------------------------------------------------
    def apply(self, parts: PlanParts, change: Change) -> None:
        """Take the parts an edit (or several, ``change`` their union) replaced."""
        plan = apply_parts(self.plan, parts)
        if plan is not self.plan:
            self._start(plan)
            return
        before = self.readiness.report
        report = self.readiness.update(change)
        replaced = self.readiness.replaced
        if replaced is None or self.readiness.scope.mutes or self._replaced is None:
            self._replaced = None  # mutes moved, or a rebuild: compare everything
        else:
            self._replaced += replaced
        if self.readiness.scope.full:
            self._input = readiness_input_of(report)
            self.validator = ScheduleValidator(plan, self._input)
            return
        if report is not before:
            old = self._input
            if replaced is not None and not self.readiness.scope.mutes:
                keys = named_by(replaced)  # the only workloads whose findings moved
                self._input = updated_input(old, report, keys)
                moved = moved_keys(old, self._input, keys)
            else:
                self._input = readiness_input_of(report)
                moved = moved_keys(old, self._input)
            self.validator.set_readiness(self._input, moved)
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
            backlog=plan_backlog(self.plan, self._input),
        )

    def delta(self, generation: int) -> FindingsDelta:
        """What changed since the last delta (everything, with ``reset``, after a new plan).

        After edits that re-ran a few readiness subjects, only their findings are
        compared (and the schedule's); otherwise every finding of the plan is."""
        report = self.readiness.report
        schedule = self.validator.findings()
        reset = self._reset
        old_risk = {} if reset else self._risk
        if reset or self._replaced is None:
            now: Counter[Finding] = Counter(report.findings)
            now.update(schedule)
            before = Counter[Finding]() if reset else self._reported
            added, removed = now - before, before - now
            self._reported = now
        else:
            old, new = Counter[Finding](), Counter[Finding]()
            for was, is_now in self._replaced:
                old.update(split_muted(was, self.plan.mutes)[0])
                new.update(split_muted(is_now, self.plan.mutes)[0])
            gone, came = changed_objects(self._schedule, schedule)
            added = (new - old) + (came - gone)
            removed = (old - new) + (gone - came)
            _move(self._reported, added, removed)
        delta = FindingsDelta(
            generation,
            reset=reset,
            added=list(added.elements()),
            removed=list(removed.elements()),
            risk={k: v for k, v in report.risk.items() if old_risk.get(k) != v},
            dropped=[k for k in old_risk if k not in report.risk],
            muted=list(report.muted) if reset or report.muted != self._muted else None,
        )
        dates = namespace_strict_dates(self.validator.ctx)
        if reset or dates != self._dates:
            delta.strict_dates = dates
        self._schedule, self._risk, self._muted = schedule, dict(report.risk), list(report.muted)
        self._dates = dates
        self._reset = False
        self._replaced = []
        return delta

    def full_delta(self, generation: int) -> FindingsDelta:
        """Everything, as a reset (for a client that lost track)."""
        self._reset = True
        return replace(self.delta(generation), reset=True)
