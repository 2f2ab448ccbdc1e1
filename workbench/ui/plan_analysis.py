"""Findings and risk of the open plan, computed in the background and cached.

Each edit schedules one fresh :func:`workbench.ops.check.check_plan` run a moment later
(typing or dragging does not start a run per keystroke). Results carry the document
generation they were computed for; a result that an edit overtook is dropped and the
newer run replaces it, so views only ever show findings of the current plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from workbench.domain.commands import Change
from workbench.domain.findings import Finding
from workbench.domain.jobs import CancelToken
from workbench.domain.plan import Plan
from workbench.ops.check import CheckResult, check_plan
from workbench.ui.workers import JobHandle, JobRunner

if TYPE_CHECKING:
    from workbench.ui.document import PlanDocument

DELAY_MS = 250


@dataclass(slots=True)
class Analysis:
    """One check run's results, indexed for the views."""

    result: CheckResult = field(default_factory=CheckResult)
    worst: dict[str, Finding] = field(default_factory=dict)  # subject key -> worst finding
    by_item: dict[str, list[Finding]] = field(default_factory=dict)  # any item key -> findings
    ready: bool = False  # False until the first run for this plan finished

    @property
    def risk(self) -> dict[str, float]:
        return self.result.risk

    def counts(self) -> dict[str, int]:
        return self.result.counts()


def analyse(plan: Plan) -> Analysis:
    """Check the plan and index its findings by subject and by every item named."""
    result = check_plan(plan)
    worst: dict[str, Finding] = {}
    by_item: dict[str, list[Finding]] = {}
    for f in result.findings:  # most severe first
        worst.setdefault(f.subject, f)
        for item in dict.fromkeys(f.items):
            by_item.setdefault(item, []).append(f)
    return Analysis(result, worst, by_item, ready=True)


class PlanAnalysis(QObject):
    """Keeps :attr:`current` up to date with the document; ``updated`` after each run."""

    updated = Signal()

    def __init__(self, document: PlanDocument, runner: JobRunner, delay_ms: int = DELAY_MS) -> None:
        super().__init__(document)
        self.document = document
        self.runner = runner
        self.current = Analysis()
        self._generation = 0
        self._job: JobHandle | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._start)
        document.changed.connect(self._on_change)
        document.replaced.connect(self._on_replaced)

    @property
    def busy(self) -> bool:
        return self._timer.isActive() or self._job is not None

    def _on_change(self, change: Change) -> None:
        if change.areas <= {"meta", "assumptions"}:
            return  # findings do not depend on titles, notes or prices
        self._generation += 1
        self._timer.start()

    def _on_replaced(self) -> None:
        self._generation += 1
        self.current = Analysis()
        self.updated.emit()
        self._timer.start(0)

    def refresh_now(self) -> None:
        """Start a run right away (tests and an explicit re-check)."""
        self._generation += 1
        self._timer.stop()
        self._start()

    def _start(self) -> None:
        if self._job is not None:
            self._timer.start()  # one run at a time; check again when it is done
            return
        generation, plan = self._generation, self.document.plan

        def job(_progress: object, _cancel: CancelToken) -> tuple[int, Analysis]:
            return generation, analyse(plan)

        self._job = self.runner.start("Checking findings", job)
        self._job.finished.connect(self._on_result)
        self._job.failed.connect(self._on_failure)

    def _on_result(self, outcome: tuple[int, Analysis]) -> None:
        self._job = None
        generation, analysis = outcome
        if generation != self._generation:
            self._timer.start()  # an edit overtook this run
            return
        self.current = analysis
        self.updated.emit()

    def _on_failure(self, _error: object) -> None:
        # A run can trip over an edit made while it read the plan; the edit has
        # scheduled a fresh run. A failure on an unchanged plan is not retried.
        self._job = None
