"""Use-case: add runtime captures (Hubble flows, traces, flow logs) to a plan.

    outcome = import_runtime(plan, ["flows.json", "spans.otlp.json"], progress=..., cancel=...)
    save_plan(outcome.plan, "estate.meshplan")

Each file is read on its own (its format detected, or forced with ``fmt``); bad lines are
reported with file and line while the good records are kept; ``plan`` is never modified.
Cancel is honoured every few thousand lines; a cancelled import changes nothing.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from workbench.domain.evidence.merge import merge_runtime
from workbench.domain.jobs import CancelToken, Progress, no_progress
from workbench.domain.plan import Plan
from workbench.io.runtime import EndpointResolver, RuntimeTally, read_runtime_file

MAX_NAMES_SHOWN = 10


@dataclass(slots=True)
class FileReport:
    """What one capture gave."""

    tally: RuntimeTally
    added: int = 0
    merged: int = 0

    def lines(self) -> list[str]:
        t = self.tally
        start, end = t.window
        window = f", window {start} to {end}" if start else ", no time in the data"
        out = [
            f"{t.path}: {t.fmt}, {t.records:,} record(s) read{window}; "
            f"{self.added} edge(s) added, {self.merged} merged"
        ]
        if t.left_out:
            parts = ", ".join(f"{n:,} {why}" for why, n in sorted(t.left_out.items()))
            out.append(f"  left out: {parts}")
        if t.dropped:
            total = sum(t.dropped.values())
            top = ", ".join(f"{a} -> {b} ({n})" for (a, b), n in t.dropped.most_common(5))
            out.append(f"  denied by the network (dropped, not edges): {total:,}: {top}")
        if t.external:
            out.append(
                f"  calls from outside the estate: {sum(t.external.values()):,} "
                f"into {len(t.external)} workload(s)"
            )
        if t.unmatched:
            names = ", ".join(f"{n} ({c:,})" for n, c in t.unmatched.most_common(MAX_NAMES_SHOWN))
            more = len(t.unmatched) - MAX_NAMES_SHOWN
            out.append(f"  unmatched names: {names}" + (f" and {more} more" if more > 0 else ""))
        return out


@dataclass(slots=True)
class RuntimeImportOutcome:
    plan: Plan
    files: list[FileReport] = field(default_factory=list)

    @property
    def added(self) -> int:
        return sum(f.added for f in self.files)

    @property
    def merged(self) -> int:
        return sum(f.merged for f in self.files)

    @property
    def errors(self) -> list[str]:
        found: list[str] = []
        for f in self.files:
            found.extend(str(e) for e in f.tally.errors)
            hidden = f.tally.error_count - len(f.tally.errors)
            if hidden > 0:
                found.append(f"{f.tally.path}: {hidden:,} more bad line(s)")
        return found


def import_runtime(
    plan: Plan,
    paths: Sequence[str],
    *,
    fmt: str | None = None,
    columns: Mapping[str, str] | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> RuntimeImportOutcome:
    cancel = cancel or CancelToken()
    updated = copy.deepcopy(plan)
    resolver = EndpointResolver(updated.inventory)
    outcome = RuntimeImportOutcome(updated)
    count = max(len(paths), 1)
    for i, path in enumerate(paths):

        def step(fraction: float, message: str, i: int = i) -> None:
            progress((i + fraction) / count, message)

        tally = read_runtime_file(
            path,
            updated.inventory,
            fmt,
            columns=columns,
            resolver=resolver,
            progress=step,
            cancel=cancel,
        )
        added, merged = merge_runtime(updated.dependencies, tally.edges(), tally.observation())
        outcome.files.append(FileReport(tally, added, merged))
    progress(1.0, "done")
    return outcome
