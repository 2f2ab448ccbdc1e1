"""The Qt undo framework as a thin adapter over the plan's domain commands.

Each :class:`CommandAdapter` wraps one :class:`workbench.domain.commands.Command`:
``redo`` runs ``do``, ``undo`` runs ``undo``, and consecutive commands with the same
``merge_key`` collapse into one step through ``id()``/``mergeWith()``. Every time the
plan changes, the adapter hands the returned :class:`Change` to a listener so that
views refresh only what moved.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from workbench.domain.commands import Change, Command
from workbench.domain.plan import Plan

ChangeListener = Callable[[Change], None]

_merge_ids: dict[str, int] = {}


def merge_id(merge_key: str | None) -> int:
    """A small stable integer per merge key for ``QUndoCommand.id()`` (-1: never merge)."""
    if merge_key is None:
        return -1
    return _merge_ids.setdefault(merge_key, len(_merge_ids) + 1)


class CommandAdapter(QUndoCommand):
    """One undo step running a domain command against a plan.

    When ``already_done`` is true the command has been applied before it was pushed (so
    that a failing edit can be reported before anything reaches the stack), and the
    stack's first ``redo`` only announces the change.
    """

    def __init__(
        self,
        plan: Plan,
        command: Command,
        listener: ChangeListener,
        *,
        already_done: Change | None = None,
    ) -> None:
        super().__init__(command.label)
        self.plan = plan
        self.command = command
        self._listener = listener
        self._pending = already_done

    def redo(self) -> None:
        if self._pending is not None:
            change, self._pending = self._pending, None
        else:
            change = self.command.do(self.plan)
        self._listener(change)

    def undo(self) -> None:
        self._listener(self.command.undo(self.plan))

    def id(self) -> int:
        return merge_id(self.command.merge_key())

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, CommandAdapter) or other.plan is not self.plan:
            return False
        if other.command.merge_key() != self.command.merge_key():
            return False
        merged = self.command.merge(other.command)
        if merged:
            self.setText(self.command.label)
        return merged
