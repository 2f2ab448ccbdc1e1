"""The rollout check of the open plan, run in the background and shared by the views.

The first request (the rollout panel shown, a button pressed) starts a run; from then
on every edit that can change the manifests marks the result stale and schedules a
fresh run a moment later. Results carry the document generation they were computed
for: a result an edit overtook is dropped.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from workbench.domain.commands import Change
from workbench.domain.jobs import CancelToken, Progress
from workbench.io.manifests import ManifestOptions
from workbench.ops.simulate import RolloutCheck, check_rollout
from workbench.ui.document import PlanDocument
from workbench.ui.workers import JobHandle

DELAY_MS = 800


class RolloutChecker(QObject):
    updated = Signal()  # a fresh result, or the result went stale (``current`` is None)
    failed = Signal(str)

    def __init__(self, document: PlanDocument) -> None:
        super().__init__(document)
        self.setObjectName("rollout-checker")
        self.document = document
        self.current: RolloutCheck | None = None
        self.allow_blockers = False
        self.active = False  # runs after edits once someone asked for a check
        self._generation = 0
        self._job: JobHandle | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DELAY_MS)
        self._timer.timeout.connect(self._start)
        document.changed.connect(self._on_change)
        document.replaced.connect(self._on_replaced)

    @property
    def busy(self) -> bool:
        return self._timer.isActive() or self._job is not None

    def request(self, now: bool = False) -> None:
        """Check the plan (soon, or right away) and keep checking it after edits."""
        self.active = True
        self._generation += 1
        if now:
            self._timer.stop()
            self._start()
        else:
            self._timer.start()

    def _on_change(self, change: Change) -> None:
        if change.areas <= {"meta", "assumptions"}:
            return
        self._stale()

    def _on_replaced(self) -> None:
        self._stale()

    def _stale(self) -> None:
        self._generation += 1
        if self.current is not None:
            self.current = None
            self.updated.emit()
        if self.active:
            self._timer.start()

    def _start(self) -> None:
        if self._job is not None:
            self._timer.start()  # one run at a time
            return
        generation, plan = self._generation, self.document.plan
        options = ManifestOptions(allow_blockers=self.allow_blockers)

        def job(progress: Progress, cancel: CancelToken) -> tuple[int, RolloutCheck]:
            return generation, check_rollout(
                plan, options=options, progress=progress, cancel=cancel
            )

        self._job = self.document.jobs.start("Checking the rollout", job)
        self._job.finished.connect(self._on_result)
        self._job.failed.connect(self._on_failure)

    def _on_result(self, outcome: tuple[int, RolloutCheck]) -> None:
        self._job = None
        generation, check = outcome
        if generation != self._generation:
            self._timer.start()
            return
        self.current = check
        self.updated.emit()

    def _on_failure(self, error: object) -> None:
        self._job = None
        self.failed.emit(str(error))


def rollout_checker(document: PlanDocument) -> RolloutChecker:
    """The document's one checker (created on first use)."""
    found = document.findChild(RolloutChecker, "rollout-checker")
    return found if found is not None else RolloutChecker(document)
