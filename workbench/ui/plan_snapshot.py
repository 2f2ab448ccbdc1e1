"""The open plan as a job's worker process takes it, fixed when the job starts.

A saved plan without unsaved edits crosses as its file (the worker reads it: nothing is
copied). Any other plan is pickled here, on the UI thread, in pieces
(:class:`workbench.ops.background.transfer.PlanInPieces`), for at most :data:`SLICE_S`
per turn of the event loop: no other thread of the window holds the interpreter while
the plan is read, and the window answers between two slices. An edit made before the
last piece starts the reading again, so the worker gets one consistent state: the plan
as it was when the last piece was made.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from shiboken6 import isValid

from workbench.domain.errors import WorkbenchError
from workbench.domain.jobs import CancelToken, JobCancelled
from workbench.ops.background.transfer import PlanFile, PlanInPieces, PlanPieces, PlanSource

if TYPE_CHECKING:
    from workbench.ui.document import PlanDocument

SLICE_S = 0.008  # time spent pickling the plan per turn of the event loop
SNAPSHOT_ATTEMPTS = 5  # times a plan edited while it is read is read again
PREPARING = "Preparing the plan…"


class PlanSnapshot(QObject):
    """``ready`` carries the :class:`PlanSource` once it is complete (at once for a
    saved file: then :attr:`source` is set on construction); ``failed`` the error when
    the plan kept changing or ``token`` was cancelled meanwhile. ``progress`` says the
    plan is being read, after each slice."""

    ready = Signal(object)
    failed = Signal(object)
    progress = Signal(float, str)

    def __init__(
        self,
        document: PlanDocument,
        token: CancelToken,
        title: str = "the job",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.plan = document.plan
        self.token = token
        self.title = title
        self.source: PlanSource | None = None
        self.attempts = 1
        path = document.path
        if path is not None and not document.is_modified and path.is_file():
            self.source = PlanFile(str(path))
            return
        self._pickling = PlanInPieces(self.plan)
        self._made: PlanPieces | None = None  # every piece, before the pickler is dropped
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._slice)
        self._timer.start(0)
        document.changed.connect(self._edited)

    @property
    def reading(self) -> bool:
        """Whether the plan is still being read."""
        return self.source is None and self._timer.isActive()

    def _edited(self, *_args: object) -> None:
        if self.source is not None or self.document.plan is not self.plan:
            return  # read already, or an edit of a plan that has since replaced it
        self.attempts += 1
        self._pickling.close()
        self._pickling = PlanInPieces(self.plan)
        self._made = None
        if self.attempts > SNAPSHOT_ATTEMPTS:
            self._timer.stop()
            self._end()
            self.failed.emit(
                WorkbenchError(
                    "the plan kept changing while it was read for the job; "
                    "try again when edits pause"
                )
            )

    def _slice(self) -> None:
        try:
            self.token.check(self.title)
        except JobCancelled as exc:
            self._end()
            self.failed.emit(exc)
            return
        if self._made is None:
            self._made = self._pickling.advance(SLICE_S)
            self.progress.emit(0.0, PREPARING)
        elif self._pickling.release(SLICE_S):  # the pieces are in: drop the pickler
            self.source = self._made
            self._end()
            self.ready.emit(self.source)
            return
        self._timer.start(0)

    def _end(self) -> None:
        self._pickling.close()
        self._disconnect()

    def _disconnect(self) -> None:
        if isValid(self.document):
            with contextlib.suppress(RuntimeError, TypeError):  # not connected (any more)
                self.document.changed.disconnect(self._edited)
