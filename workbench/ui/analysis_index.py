"""The open plan's findings as the views read them, kept current delta by delta.

:class:`Analysis` indexes the active findings by subject (the worst one) and by every
item they name, keeps the counts by severity and the risk scores, and applies a
:class:`FindingsDelta` in time proportional to the delta, not to the estate. The sorted
list of all findings (:attr:`Analysis.result`) is built only when a view asks for it.
"""

from __future__ import annotations

from collections.abc import Iterable

from workbench.domain.findings import SEVERITIES, Finding, sort_findings
from workbench.domain.planning.outputs import StrictDate
from workbench.ops.background import FindingsDelta
from workbench.ops.check import CheckResult


class Analysis:
    """Findings and risk of one plan; ``ready`` once the first full result arrived."""

    def __init__(self) -> None:
        self.worst: dict[str, Finding] = {}  # subject key -> worst finding
        self.by_item: dict[str, list[Finding]] = {}  # any item key -> findings, worst first
        self.risk: dict[str, float] = {}  # workload key -> 0..100
        self.muted: list[Finding] = []
        self.strict_dates: dict[str, StrictDate] = {}  # namespace key -> when STRICT is safe
        self.ready = False
        self._held: dict[Finding, int] = {}
        self._by_subject: dict[str, list[Finding]] = {}
        self._counts = dict.fromkeys(SEVERITIES, 0)
        self._result: CheckResult | None = None

    @classmethod
    def of(cls, result: CheckResult) -> Analysis:
        """An index over one complete check result."""
        analysis = cls()
        analysis.apply(
            FindingsDelta(0, reset=True, added=list(result.findings), risk=dict(result.risk),
                          muted=list(result.muted))
        )  # fmt: skip
        return analysis

    @property
    def result(self) -> CheckResult:
        """All active findings, most severe first (sorted on first use after a change)."""
        if self._result is None:
            findings = [f for f, n in self._held.items() for _ in range(n)]
            self._result = CheckResult(sort_findings(findings), list(self.muted), self.risk)
        return self._result

    def of_source(self, source: str) -> list[Finding]:
        """Active findings from ``readiness`` or ``schedule``, in no particular order."""
        return [f for f, n in self._held.items() if f.source == source for _ in range(n)]

    def counts(self) -> dict[str, int]:
        return dict(self._counts)

    def __len__(self) -> int:
        return sum(self._counts.values())

    # -- deltas -------------------------------------------------------------------------
    def apply(self, delta: FindingsDelta) -> None:
        """Apply one delta chunk; ``ready`` turns true with the first final chunk."""
        if delta.reset:
            self.__init__()  # type: ignore[misc]
        items: set[str] = set()
        for f in delta.removed:
            self._remove(f, items)
        for f in delta.added:
            self._add(f, items)
        for key in items:
            found = self.by_item.get(key)
            if found:
                found.sort(key=Finding.sort_key)
            else:
                self.by_item.pop(key, None)
        self._rank({f.subject for f in (*delta.removed, *delta.added)})
        self.risk.update(delta.risk)
        for key in delta.dropped:
            self.risk.pop(key, None)
        if delta.muted is not None:
            self.muted = list(delta.muted)
        if delta.strict_dates is not None:
            self.strict_dates = dict(delta.strict_dates)
        self._result = None
        if delta.final:
            self.ready = True

    def _add(self, f: Finding, items: set[str]) -> None:
        self._held[f] = self._held.get(f, 0) + 1
        self._counts[f.severity] += 1
        for key in dict.fromkeys(f.items):
            self.by_item.setdefault(key, []).append(f)
            items.add(key)
        self._by_subject.setdefault(f.subject, []).append(f)

    def _remove(self, f: Finding, items: set[str]) -> None:
        held = self._held.get(f, 0)
        if held == 0:
            return
        if held == 1:
            del self._held[f]
        else:
            self._held[f] = held - 1
        self._counts[f.severity] -= 1
        for key in dict.fromkeys(f.items):
            found = self.by_item.get(key)
            if found is not None and f in found:
                found.remove(f)
                items.add(key)
        mine = self._by_subject.get(f.subject)
        if mine is not None and f in mine:
            mine.remove(f)

    def _rank(self, subjects: Iterable[str]) -> None:
        for subject in subjects:
            mine = self._by_subject.get(subject)
            if mine:
                self.worst[subject] = min(mine, key=Finding.sort_key)
            else:
                self._by_subject.pop(subject, None)
                self.worst.pop(subject, None)
