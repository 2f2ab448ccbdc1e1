"""What an import of runtime data found: calls between workloads, what was left out and why,
names that match no workload, bad lines, and the window the data spans."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from workbench.domain.dependencies import Edge, Evidence, Observation
from workbench.domain.evidence.windows import format_instant, parse_instant
from workbench.io.runtime.lines import LineError

MAX_ERRORS_KEPT = 200  # bad lines listed one by one; the rest are counted
RUNTIME_CONFIDENCE = 0.99  # traffic was seen


@dataclass(slots=True)
class RuntimeTally:
    """Everything one file gave, before it is merged into a plan."""

    fmt: str  # hubble, otlp, jaeger, zipkin, flowlog
    path: str
    records: int = 0  # records read (flows, spans, rows, links)
    calls: Counter[tuple[str, str]] = field(default_factory=Counter)  # (caller, callee)
    left_out: Counter[str] = field(default_factory=Counter)  # reason -> records
    unmatched: Counter[str] = field(default_factory=Counter)  # name -> records
    dropped: Counter[tuple[str, str]] = field(default_factory=Counter)  # denied (from, to)
    external: Counter[str] = field(default_factory=Counter)  # callee key -> outside calls
    seen: set[str] = field(default_factory=set)  # workload keys the data covers
    errors: list[LineError] = field(default_factory=list)
    error_count: int = 0
    first: float | None = None  # seconds since the epoch
    last: float | None = None
    first_text: str | None = None  # the same, while read as text (see when_text)
    last_text: str | None = None

    def error(self, line: int, problem: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(LineError(self.path, line, problem))

    def when(self, seconds: float | None) -> None:
        if seconds is None:
            return
        if self.first is None or seconds < self.first:
            self.first = seconds
        if self.last is None or seconds > self.last:
            self.last = seconds

    def when_text(self, text: str) -> None:
        """An instant as ISO 8601 text of one fixed shape (compared as text, parsed once)."""
        if self.first_text is None or text < self.first_text:
            self.first_text = text
        if self.last_text is None or text > self.last_text:
            self.last_text = text

    def _settle(self) -> None:
        for text in (self.first_text, self.last_text):
            if text is not None:
                self.when(parse_instant(text))
        self.first_text = self.last_text = None

    def call(self, caller: str, callee: str, count: int = 1) -> None:
        self.seen.add(caller)
        self.seen.add(callee)
        if caller != callee:
            self.calls[(caller, callee)] += count

    @property
    def window(self) -> tuple[str | None, str | None]:
        self._settle()
        if self.first is None or self.last is None:
            return None, None
        return format_instant(self.first), format_instant(self.last)

    @property
    def detail(self) -> str:
        return f"{self.fmt} {self.path.rsplit('/', 1)[-1]}"

    def edges(self) -> list[Edge]:
        start, end = self.window
        return [
            Edge(
                caller,
                callee,
                [Evidence(self.fmt, self.detail, start, end, count)],
                RUNTIME_CONFIDENCE,
            )
            for (caller, callee), count in sorted(self.calls.items())
        ]

    def observation(self) -> Observation:
        start, end = self.window
        return Observation(
            self.fmt,
            self.path.rsplit("/", 1)[-1],
            start,
            end,
            self.records,
            sorted(self.seen),
            dict(sorted(self.external.items())),
        )
