"""The open plan: the plan itself, the file it came from, its undo history, its
background jobs and its findings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from workbench.domain.commands import Change, Command
from workbench.domain.errors import WorkbenchError
from workbench.domain.plan import Plan
from workbench.io.plan_file import LoadedPlan, open_plan, save_plan
from workbench.ui.undo import CommandAdapter
from workbench.ui.workers import JobRunner


class PlanDocument(QObject):
    """Owns the plan every view projects; every edit goes through :meth:`execute`.

    ``changed`` carries the :class:`Change` of each edit, undo and redo; ``replaced``
    fires when a different plan takes over; ``path_changed`` when it is saved elsewhere;
    ``edit_refused`` carries the message of an edit :meth:`try_execute` turned down.
    Views built with ``factory(document, parent)`` find everything they need here:
    :attr:`jobs` runs background work and :attr:`analysis` holds the plan's findings.
    """

    changed = Signal(object)
    replaced = Signal()
    path_changed = Signal()
    modified_changed = Signal(bool)
    edit_refused = Signal(str)
    saved = Signal(object)  # the path written
    integrity_warning = Signal(str)  # an opened file fails its checksum: what and where

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from workbench.ui.plan_analysis import PlanAnalysis

        self.plan = Plan()
        self.path: Path | None = None
        self.stamp: str | None = None  # the content of self.path as read or last saved
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        self.jobs = JobRunner(self)
        self.analysis = PlanAnalysis(self, self.jobs)

    def _clean_changed(self, clean: bool) -> None:
        self.modified_changed.emit(not clean)

    # -- state ------------------------------------------------------------------------
    @property
    def is_modified(self) -> bool:
        return not self.undo_stack.isClean()

    @property
    def is_empty(self) -> bool:
        """No file and nothing in it: what the start page stands in for."""
        return self.path is None and not self.plan.inventory.workloads and not self.is_modified

    @property
    def display_name(self) -> str:
        """The plan's title, else its file name, else a placeholder."""
        title = self.plan.meta.title.strip()
        if title:
            return title
        if self.path is not None:
            return self.path.name
        return "Untitled plan"

    # -- edits --------------------------------------------------------------------------
    def execute(self, command: Command) -> Change:
        """Apply an edit and record it for undo; an invalid edit raises and records nothing."""
        change = command.do(self.plan)
        self.undo_stack.push(
            CommandAdapter(self.plan, command, self.changed.emit, already_done=change)
        )
        return change

    def try_execute(self, command: Command) -> bool:
        """Like :meth:`execute`, but a refused edit is announced on ``edit_refused``."""
        try:
            self.execute(command)
        except WorkbenchError as exc:
            self.edit_refused.emit(str(exc))
            return False
        return True

    # -- files ------------------------------------------------------------------------
    def replace(self, plan: Plan, path: Path | None, *, modified: bool = False) -> None:
        """Take over ``plan`` (history cleared); ``modified`` marks it as not saved yet."""
        self.undo_stack.clear()
        self.plan = plan
        self.path = path
        self.stamp = None
        self.undo_stack.setClean()
        if modified:
            self.undo_stack.resetClean()
        self.replaced.emit()
        self.modified_changed.emit(self.is_modified)

    def open(self, path: str | Path) -> None:
        """Load a plan file; on failure (``PlanFileError``, ``OSError``) nothing changes."""
        resolved = Path(path).resolve()
        self.take_loaded(open_plan(resolved), resolved)

    def take_loaded(self, loaded: LoadedPlan, path: Path) -> None:
        """Take over a plan read from ``path`` (here or by a background load)."""
        self.replace(loaded.plan, path)
        self.stamp = loaded.stamp
        for warning in loaded.warnings:
            self.integrity_warning.emit(warning)

    def save(self, path: str | Path | None = None, *, overwrite: bool = False) -> Path:
        """Save to ``path`` (or the current file) and mark the history clean. Saving over
        the plan's own file refuses (``PlanChangedError``) when another program has saved
        it since it was read, unless ``overwrite`` (the user chose that file to replace)."""
        target = Path(path).resolve() if path is not None else self.path
        if target is None:
            raise ValueError("the plan has no file yet; give a path")
        check = self.stamp if target == self.path and not overwrite else None
        self.stamp = save_plan(self.plan, target, unchanged_since=check)
        renamed = target != self.path
        self.path = target
        self.undo_stack.setClean()
        if renamed:
            self.path_changed.emit()
        self.saved.emit(target)
        return target
