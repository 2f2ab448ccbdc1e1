"""File › Share… and File › Merge reviewed copy…, comments from the details dock, and the
warnings a plan file is read with (a checksum that fails, annotations dropped)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu

from workbench.domain.commands_plan import ReplacePlanContents
from workbench.domain.errors import WorkbenchError
from workbench.ui.sharing_dialogs import MergeChoice, ShareChoice, SharingDialogs

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow


class SharingActions:
    """Adds the sharing actions to the window's File menu and carries them out."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.dialogs = SharingDialogs()
        self.share_action = QAction("S&hare…", window)
        self.share_action.setShortcut(QKeySequence("Ctrl+Shift+H"))
        self.share_action.setStatusTip("Write a copy to send, optionally with names hidden")
        self.share_action.triggered.connect(lambda _c=False: self.share())
        self.merge_action = QAction("&Merge reviewed copy…", window)
        self.merge_action.setShortcut(QKeySequence("Ctrl+Shift+M"))
        self.merge_action.setStatusTip("Bring a reviewer's edits and comments into this plan")
        self.merge_action.triggered.connect(lambda _c=False: self.merge())
        self._add_to_file_menu()
        window.details.ask_text = lambda title, label: window.dialogs.ask_text(window, title, label)
        window.document.integrity_warning.connect(self._integrity_warning)

    def _add_to_file_menu(self) -> None:
        bar = self.window.menuBar()
        menus = [m for a in bar.actions() if isinstance(m := a.menu(), QMenu)]
        if not menus:
            return
        file_menu = menus[0]
        actions = file_menu.actions()
        export = self.window.actions_.export
        after = actions.index(export) + 1 if export in actions else len(actions)
        if after < len(actions):
            file_menu.insertActions(actions[after], [self.share_action, self.merge_action])
        else:
            file_menu.addActions([self.share_action, self.merge_action])

    def _integrity_warning(self, message: str) -> None:
        self.dialogs.warn(self.window, "Plan file read with a warning", message)

    def _suggestion(self, suffix: str) -> str:
        path = self.window.document.path
        if path is None:
            return str(Path.home() / f"plan{suffix}.meshplan")
        return str(path.with_name(f"{path.stem}{suffix}.meshplan"))

    # -- share --------------------------------------------------------------------------------
    def share(self, choice: ShareChoice | None = None) -> Path | None:
        """Write a copy of the open plan; returns where, or None when cancelled or refused."""
        from workbench.io.plan_file import save_plan
        from workbench.io.share_key import default_key_path
        from workbench.ops.sharing import shared_copy

        w = self.window
        if choice is None:
            choice = self.dialogs.ask_share(w, self._suggestion("-shared"), str(default_key_path()))
        if choice is None:
            return None
        target = Path(choice.path).resolve()
        if w.document.path is not None and target == w.document.path:
            w.dialogs.error(w, "Cannot share", "The copy would replace the open plan itself.")
            return None
        try:
            with _busy():
                plan = shared_copy(
                    w.document.plan, hide=choice.hide_names, key_file=choice.key_file
                )
                save_plan(plan, target, keep_backup=False)
        except (WorkbenchError, OSError) as exc:
            w.dialogs.error(w, "Cannot share", str(exc))
            return None
        hidden = (
            f" with names hidden (key id {plan.sharing.hidden_key_id})" if choice.hide_names else ""
        )
        w.statusBar().showMessage(f"Shared {target.name}{hidden}", 8000)
        return target

    # -- merge --------------------------------------------------------------------------------
    def merge(self, choice: MergeChoice | None = None) -> bool:
        """Merge a reviewed copy into the open plan as one undoable edit."""
        from workbench.io.plan_file import load_plan
        from workbench.ops.sharing import merge_reviewed

        w = self.window
        if choice is None:
            folder = str(w.document.path.parent) if w.document.path else str(Path.home())
            choice = self.dialogs.ask_merge(w, folder)
        if choice is None:
            return False
        try:
            with _busy():
                base, theirs = load_plan(choice.base), load_plan(choice.theirs)
                mine = copy.deepcopy(w.document.plan)
                result = merge_reviewed(base, mine, theirs, key_file=choice.key_file)
                if result.conflicts:
                    prefer = self.dialogs.ask_conflicts(w, result.conflicts)
                    if prefer is None:
                        return False
                    result = merge_reviewed(
                        base, mine, theirs, prefer=prefer, key_file=choice.key_file
                    )
        except (WorkbenchError, OSError) as exc:
            w.dialogs.error(w, "Cannot merge", str(exc))
            return False
        label = f"Merge {Path(choice.theirs).name}"
        if not w.execute(ReplacePlanContents(result.plan, label)):
            return False
        w.statusBar().showMessage(
            f"Merged {len(result.taken)} change(s) from {Path(choice.theirs).name}"
            + (f", {len(result.resolved)} conflict(s) settled" if result.resolved else ""),
            8000,
        )
        return True


class _busy:
    """A wait cursor for the few seconds a share or merge of a large plan takes."""

    def __enter__(self) -> None:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)

    def __exit__(self, *exc: object) -> None:
        QApplication.restoreOverrideCursor()
