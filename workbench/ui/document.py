"""The open plan: the plan itself, the file it came from and its undo history."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from workbench.domain.commands import Change, Command
from workbench.domain.plan import Plan
from workbench.io.plan_file import load_plan, save_plan
from workbench.ui.undo import CommandAdapter


class PlanDocument(QObject):
    """Owns the plan every view projects; every edit goes through :meth:`execute`.

    ``changed`` carries the :class:`Change` of each edit, undo and redo; ``replaced``
    fires when a different plan takes over; ``path_changed`` when it is saved elsewhere.
    """

    changed = Signal(object)
    replaced = Signal()
    path_changed = Signal()
    modified_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.plan = Plan()
        self.path: Path | None = None
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(lambda clean: self.modified_changed.emit(not clean))

    # -- state ------------------------------------------------------------------------
    @property
    def is_modified(self) -> bool:
        return not self.undo_stack.isClean()

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

    # -- files ------------------------------------------------------------------------
    def replace(self, plan: Plan, path: Path | None) -> None:
        self.undo_stack.clear()
        self.plan = plan
        self.path = path
        self.undo_stack.setClean()
        self.replaced.emit()

    def open(self, path: str | Path) -> None:
        """Load a plan file; on failure (``PlanFileError``, ``OSError``) nothing changes."""
        resolved = Path(path).resolve()
        self.replace(load_plan(resolved), resolved)

    def save(self, path: str | Path | None = None) -> Path:
        """Save to ``path`` (or the current file) and mark the history clean."""
        target = Path(path).resolve() if path is not None else self.path
        if target is None:
            raise ValueError("the plan has no file yet; give a path")
        save_plan(self.plan, target)
        renamed = target != self.path
        self.path = target
        self.undo_stack.setClean()
        if renamed:
            self.path_changed.emit()
        return target
