"""Use cases the window runs in worker processes whose answers it reads back on a thread
of its own: each answers in light, plain data, so reading the answer neither takes long
nor imports the machinery that computed it into the window."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from workbench.domain.evidence import CallerEvidence, caller_evidence
from workbench.domain.jobs import CancelToken, Progress, no_progress
from workbench.domain.plan import Plan
from workbench.ops.background.usecases import export_all

EXPORT_FILES = "workbench.ops.background.window_usecases:export_files"
CALLER_KNOWLEDGE = "workbench.ops.background.window_usecases:caller_knowledge"


def export_files(
    plan: Plan,
    exports: Sequence[tuple[str, str, str]],
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
    **settings: Any,
) -> list[str]:
    """:func:`workbench.ops.background.usecases.export_all` (the same ``settings``),
    answering only where each export was written: the exporters' reports would import
    their modules into the window (the Excel one brings in the whole workbook writer)."""
    export_all(plan, exports, progress=progress, cancel=cancel, **settings)
    return [target for _title, _function, target in exports]


def caller_knowledge(plan: Plan) -> dict[str, CallerEvidence]:
    """What each workload's inbound callers rest on (the inventory's knowledge column)."""
    return caller_evidence(plan)
