"""The main window's plan-file handling: new, open, recent, save, close, drops, recovery.

A large plan file opens in the background (:mod:`workbench.ops.loading`): the window
stays responsive and shows the plan it has until the new one is in; the status bar
shows the progress with Cancel."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QMainWindow

from workbench.domain.errors import WorkbenchError
from workbench.domain.jobs import CancelToken, JobCancelled
from workbench.domain.plan import Plan
from workbench.io.collector import collector_paused
from workbench.io.plan_file import LoadedPlan
from workbench.io.plan_lock import PlanChangedError
from workbench.ops.loading import load_in_process, loads_in_background
from workbench.ui.dialogs import UnsavedChoice
from workbench.ui.opening_progress import OpeningProgress
from workbench.ui.resources import sample_plan_path

if TYPE_CHECKING:
    from workbench.ui.autosave import Autosaver, RecoveryStore
    from workbench.ui.dialogs import Dialogs
    from workbench.ui.document import PlanDocument
    from workbench.ui.recent_files import RecentFiles
    from workbench.ui.workers import JobHandle


class PlanFilesMixin(QMainWindow):
    """File menu behaviour of the main window; failures are shown, the open plan is kept."""

    document: PlanDocument
    dialogs: Dialogs
    recent: RecentFiles
    recovery: RecoveryStore
    autosaver: Autosaver
    opening: JobHandle | None = None  # a plan file loading in the background
    _opening_progress: OpeningProgress | None = None

    def open_plan(self, path: str | Path) -> bool:
        """Open a plan file; on failure show why and keep the current plan. A large
        file loads in the background: True then means the load has started."""
        if loads_in_background(path):
            return self._open_in_background(Path(path).resolve())
        self.cancel_opening()
        try:
            self.document.open(path)
        except (WorkbenchError, OSError) as exc:
            self.dialogs.error(self, "Cannot open plan", describe_error(exc, path))
            return False
        self.recent.add(path)
        self.statusBar().showMessage(f"Opened {self.document.path}", 5000)
        return True

    def _open_in_background(self, path: Path) -> bool:
        self.cancel_opening()

        def job(progress: Callable[[float, str], None], cancel: CancelToken) -> LoadedPlan:
            return load_in_process(path, progress, cancel)

        # The collector stays paused until the plan is in (or the open failed) and
        # resumes here, on the UI thread: resumed on the loading thread, it would scan
        # the whole new plan there at once, holding the interpreter the window needs.
        paused = contextlib.ExitStack()
        paused.enter_context(collector_paused())
        handle = self.document.jobs.start(f"Opening {path.name}", job)
        handle.done.connect(lambda: paused.close())  # a lambda: the connection keeps it
        self.opening = handle
        handle.finished.connect(lambda loaded: self._opened(handle, path, loaded))
        handle.failed.connect(lambda exc: self._open_failed(handle, path, exc))
        if self._opening_progress is None:
            self._opening_progress = OpeningProgress(self)
            self.statusBar().addPermanentWidget(self._opening_progress)
        self._opening_progress.track(handle)
        return True

    def cancel_opening(self) -> None:
        """Stop a background open (a newer open, a new plan or the window closing)."""
        if self.opening is not None:
            self.opening.cancel()
            self.opening = None

    def _opened(self, handle: JobHandle, path: Path, loaded: LoadedPlan) -> None:
        if handle is not self.opening:
            return  # superseded or cancelled meanwhile
        self.opening = None
        if not self.maybe_save():  # the plan shown was edited while the file loaded
            self.statusBar().showMessage(f"Did not open {path}: the open plan was kept", 8000)
            return
        self.document.take_loaded(loaded, path)
        self.recent.add(path)
        self.statusBar().showMessage(f"Opened {path}", 5000)

    def _open_failed(self, handle: JobHandle, path: Path, exc: object) -> None:
        if handle is self.opening:
            self.opening = None
        if isinstance(exc, JobCancelled):
            self.statusBar().showMessage(f"Opening {path.name} cancelled", 5000)
            return
        if isinstance(exc, WorkbenchError | OSError):
            message = describe_error(exc, path)
        else:
            message = f"{path}: {type(exc).__name__}: {exc}"
        self.dialogs.error(self, "Cannot open plan", message)

    def new_plan(self) -> bool:
        if not self.maybe_save():
            return False
        self.cancel_opening()
        self.document.replace(Plan(), None)
        return True

    def close_plan(self) -> bool:
        """File › Close: drop the open plan (after asking to save) and show the start page."""
        return self.new_plan()

    def open_sample(self) -> bool:
        return self.maybe_save() and self.open_plan(sample_plan_path())

    def file_open(self) -> bool:
        if not self.maybe_save():
            return False
        path = self.dialogs.open_plan_path(self, self._default_directory())
        return bool(path) and self.open_plan(str(path))

    def open_recent(self, path: str) -> bool:
        if not self.maybe_save():
            return False
        if not Path(path).is_file():
            self.recent.remove(path)
        return self.open_plan(path)

    def save(self) -> bool:
        if self.document.path is None:
            return self.save_as()
        return self._save_to(self.document.path)

    def save_as(self) -> bool:
        doc = self.document
        suggestion = (
            str(doc.path) if doc.path else str(Path(self._default_directory()) / "plan.meshplan")
        )
        path = self.dialogs.save_plan_path(self, suggestion)
        return bool(path) and self._save_to(Path(str(path)), overwrite=True)

    def _save_to(self, path: Path, *, overwrite: bool = False) -> bool:
        try:
            saved = self.document.save(path, overwrite=overwrite)
        except PlanChangedError as exc:  # another program saved it: never overwrite that
            self.dialogs.error(self, "Plan changed on disk", str(exc))
            return self.save_as()
        except (WorkbenchError, OSError) as exc:
            self.dialogs.error(self, "Cannot save plan", describe_error(exc, path))
            return False
        self.recent.add(saved)
        self.statusBar().showMessage(f"Saved {saved}", 5000)
        return True

    def maybe_save(self) -> bool:
        """True when it is fine to drop the current plan (saved, discarded or clean)."""
        if not self.document.is_modified:
            return True
        choice = self.dialogs.ask_unsaved(self, self.document.display_name)
        if choice is UnsavedChoice.SAVE:
            return self.save()
        return choice is UnsavedChoice.DISCARD

    def _default_directory(self) -> str:
        if self.document.path is not None:
            return str(self.document.path.parent)
        recent = self.recent.paths()
        return str(Path(recent[0]).parent) if recent else str(Path.cwd())

    # -- crash recovery -------------------------------------------------------------------
    def offer_recovery(self) -> bool:
        """Offer the copies a crash left behind; True when one was restored."""
        orphans = self.recovery.orphans()
        if not orphans:
            return False
        chosen = self.dialogs.ask_restore(self, orphans)
        restored = False
        if chosen is not None:
            from workbench.io.plan_file import load_plan

            try:
                plan = load_plan(chosen.plan_path)
            except (WorkbenchError, OSError) as exc:
                self.dialogs.error(self, "Cannot restore", describe_error(exc, chosen.plan_path))
            else:
                original = Path(chosen.original) if chosen.original else None
                self.document.replace(plan, original, modified=True)
                self.autosaver.schedule()
                restored = True
        for orphan in orphans:
            self.recovery.discard(orphan)
        return restored

    # -- plan files dropped on the window ---------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if plan_paths(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if plan_paths(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = plan_paths(event)
        if paths and self.maybe_save():
            event.acceptProposedAction()
            self.open_plan(paths[0])


def plan_paths(event: QDropEvent) -> list[str]:
    """The local ``.meshplan`` files a drop carries."""
    data = event.mimeData()
    if data is None or not data.hasUrls():
        return []
    return [
        url.toLocalFile()
        for url in data.urls()
        if url.isLocalFile() and url.toLocalFile().endswith(".meshplan")
    ]


def describe_error(exc: Exception, path: str | Path) -> str:
    """One line for the user: what went wrong and with which file."""
    if isinstance(exc, OSError) and not isinstance(exc, WorkbenchError):
        reason = exc.strerror or str(exc)
        return f"{reason}: {exc.filename or path}"
    return str(exc)
