"""Long work (imports, auto-plan, exports) as plain functions with progress and cancel.

A job takes ``progress: Callable[[float, str], None]`` (fraction done in 0..1 and a short
status line) and a :class:`CancelToken`; it calls ``cancel.check()`` at checkpoints, which
raises :class:`JobCancelled` once the user pressed Cancel. Front ends run jobs off the UI
thread and show ``str(error)`` of a cancelled job like any other user-facing outcome.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from workbench.domain.errors import WorkbenchError

Progress = Callable[[float, str], None]


class JobCancelled(WorkbenchError):
    """The user cancelled the job; nothing it was building has been applied."""


class CancelToken:
    """A flag shared between the job and whoever may cancel it (thread-safe)."""

    __slots__ = ("_event",)

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    def is_cancelled(self) -> bool:
        return self._event.is_set()

    def check(self, what: str = "the job") -> None:
        """Raise :class:`JobCancelled` when cancelled; call at every checkpoint."""
        if self._event.is_set():
            raise JobCancelled(f"{what} was cancelled")


def no_progress(fraction: float, message: str) -> None:
    """A progress callback that ignores everything."""
