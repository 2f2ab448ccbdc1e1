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

from workbench.domain.dependencies import Edge, Observation
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
        cancel.check("the import")

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


@dataclass(slots=True)
class MixedImportOutcome:
    """Manifests and runtime captures imported together (the desktop import dialog)."""

    plan: Plan
    manifests: str = ""  # summary of the manifest import, "" when there was none
    runtime: RuntimeImportOutcome | None = None
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [self.manifests] if self.manifests else []
        if self.runtime is not None:
            for report in self.runtime.files:
                lines.extend(report.lines())
        return "\n".join(lines)


def split_captures(paths: Sequence[str]) -> tuple[list[str], list[str]]:
    """(manifest paths, runtime capture paths): files are told apart by their content."""
    import os

    from workbench.io.runtime import RuntimeFormatError, detect_format

    manifests: list[str] = []
    captures: list[str] = []
    for path in paths:
        try:
            runtime = os.path.isfile(path) and detect_format(path) is not None
        except (OSError, RuntimeFormatError):
            runtime = False
        (captures if runtime else manifests).append(path)
    return manifests, captures


def import_files_and_captures(
    paths: Sequence[str],
    *,
    into: Plan | None,
    cluster: str,
    namespace: str,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> MixedImportOutcome:
    """Kubernetes objects from ``paths`` into a new or existing plan, then the runtime
    captures among ``paths`` on top (they need an inventory to match against)."""
    from workbench.domain.errors import WorkbenchError
    from workbench.ops.import_files import import_files

    cancel = cancel or CancelToken()
    manifests, captures = split_captures(paths)
    share = 0.5 if manifests and captures else 1.0
    plan = into
    outcome = MixedImportOutcome(into or Plan())
    if manifests:
        imported = import_files(
            manifests,
            into=into,
            cluster=cluster,
            namespace=namespace,
            progress=lambda f, m: progress(f * share, m),
            cancel=cancel,
        )
        plan, outcome.manifests = imported.plan, imported.summary()
        outcome.warnings.extend(imported.warnings)
    if captures:
        if plan is None or not plan.inventory.workloads:
            raise WorkbenchError(
                "runtime captures are matched to an estate's workloads: add its manifests, "
                "or merge the captures into an open plan"
            )
        done = 1.0 - share if manifests else 0.0
        outcome.runtime = import_runtime(
            plan,
            captures,
            progress=lambda f, m: progress(done + f * share, m),
            cancel=cancel,
        )
        plan = outcome.runtime.plan
        outcome.warnings.extend(outcome.runtime.errors)
    assert plan is not None
    outcome.plan = plan
    return outcome


def kiali_observation(doc: object, edges: list[Edge], source: str) -> Observation | None:
    """What a Kiali graph observed: its window (``timestamp`` minus ``duration`` seconds) and
    the workloads on its edges, which also get the window and nothing else; None when the
    graph does not say when it was taken."""
    from workbench.domain.evidence.windows import format_instant

    if not isinstance(doc, dict):
        return None
    end, span = doc.get("timestamp"), doc.get("duration")
    if not isinstance(end, int | float) or not isinstance(span, int | float) or span <= 0:
        return None
    start_text, end_text = format_instant(end - span), format_instant(end)
    for edge in edges:
        for ev in edge.evidence:
            ev.window_from, ev.window_to = start_text, end_text
    seen = sorted({k for e in edges for k in e.key})
    name = source.rsplit("/", 1)[-1]
    return Observation("kiali", name, start_text, end_text, len(edges), seen)
