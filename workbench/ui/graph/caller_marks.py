"""Which workloads the graph outlines as "callers unknown", read off the UI thread.

Reading the caller knowledge of every workload (:func:`unknown_callers`) takes a
noticeable time on a large estate, so it runs as a background job of the document, once
per revision of the plan's inventory and dependencies (a new layout, filter or grouping
reuses it). An edit of either counts a new revision and reads it again; an answer
for an older revision is dropped.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from shiboken6 import isValid

from workbench.domain.evidence import unknown_callers
from workbench.domain.jobs import CancelToken, JobCancelled
from workbench.io.collector import collector_paused
from workbench.ui.document import PlanDocument

TITLE = "Reading caller knowledge"


class UnknownCallers(QObject):
    """The keys of the workloads whose callers nobody has observed or confirmed."""

    ready = Signal()  # :attr:`keys` holds the current revision's answer
    cancelled = Signal()  # the reading was cancelled (by whoever cancels the document's jobs)

    def __init__(self, document: PlanDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.keys: set[str] = set()
        self.revision = 0  # of the plan's inventory and dependencies, as counted here
        self._known = -1  # the revision ``keys`` belongs to
        self._asked = -1  # the revision being read

    @property
    def current(self) -> bool:
        return self._known == self.revision

    def plan_changed(self) -> None:
        """The inventory or the dependencies changed (or the plan was replaced)."""
        self.revision += 1

    def ask(self) -> None:
        """Read the current revision's answer unless it is known or being read."""
        if self.revision in (self._known, self._asked):
            return
        revision = self._asked = self.revision
        plan = self.document.plan

        def job(_progress: Callable[[float, str], None], _cancel: CancelToken) -> set[str]:
            with collector_paused():  # a full collection here would hold the window too
                return unknown_callers(plan)

        handle = self.document.jobs.start(TITLE, job)
        handle.finished.connect(lambda found: self._arrived(revision, found))
        handle.failed.connect(lambda error: self._failed(revision, error))

    def _arrived(self, revision: int, found: set[str]) -> None:
        if not isValid(self) or revision != self.revision:
            return  # the view has gone, or an edit made the answer stale
        self.keys, self._known = found, revision
        self.ready.emit()

    def _failed(self, revision: int, error: object) -> None:
        if not isValid(self) or revision != self.revision:
            return
        if isinstance(error, JobCancelled):
            self._asked = -1  # the next ask reads it again
            self.cancelled.emit()
            return
        # the plan changed under the reading without counting a revision: read it here
        self._arrived(revision, unknown_callers(self.document.plan))
