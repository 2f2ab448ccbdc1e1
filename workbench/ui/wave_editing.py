"""Wave edits offered by the Plan menu, the Waves and Gantt views and "Assign to wave":
new, rename, delete, split and merge, each one undoable step on the document."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from workbench.domain.commands import Command, Macro, RemoveWave, RenameWave
from workbench.domain.commands_waves import MergeWaves, NewWave, SplitWave
from workbench.ui.dialogs import Dialogs
from workbench.ui.document import PlanDocument


class WaveEditor(QObject):
    """Runs wave edits on the selected waves; the views tell it what is selected."""

    message = Signal(str)  # what was done (or why not), for the status bar
    wave_created = Signal(str)  # the new wave's id, so a view can select it

    def __init__(self, document: PlanDocument, dialogs: Dialogs, parent: QWidget) -> None:
        super().__init__(parent)
        self.document = document
        self.dialogs = dialogs
        self.parent_widget = parent
        self.selected: list[str] = []  # wave ids, in the order picked
        self.new = self._action("&New wave…", "Ctrl+Shift+N", lambda: self.new_wave())
        self.rename = self._action("&Rename wave…", "F2", self.rename_wave)
        self.delete = self._action("&Delete wave", "Ctrl+Shift+Del", self.delete_waves)
        self.split = self._action("&Split wave", "", self.split_wave)
        self.merge = self._action("&Merge waves", "", self.merge_waves)
        self.new.setStatusTip("Add a wave after the last one")
        self.delete.setStatusTip("Remove the wave; its workloads return to Unassigned")
        self.split.setStatusTip(
            "Move the second half of the wave's workloads and days to a new wave"
        )
        self.merge.setStatusTip("Merge the selected waves into the first one picked")
        document.changed.connect(lambda _c: self._prune())
        document.replaced.connect(lambda: self.set_selection([]))
        self._update()

    def _action(self, text: str, shortcut: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self.parent_widget)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def actions(self) -> list[QAction]:
        return [self.new, self.rename, self.delete, self.split, self.merge]

    def fill_menu(self, menu: QMenu) -> None:
        menu.addActions([self.new, self.rename, self.delete])
        menu.addSeparator()
        menu.addActions([self.split, self.merge])

    # -- selection --------------------------------------------------------------------------
    def set_selection(self, wave_ids: list[str]) -> None:
        sched = self.document.plan.schedule
        self.selected = [w for w in dict.fromkeys(wave_ids) if sched.has_wave(w)]
        self._update()

    def select_key(self, key: str) -> None:
        """Follow a selection key from any view: ``wave:<id>`` selects that wave."""
        wave_id = key.removeprefix("wave:")
        if key.startswith("wave:") and wave_id and wave_id not in self.selected:
            self.set_selection([wave_id])

    def _prune(self) -> None:
        sched = self.document.plan.schedule
        self.set_selection([w for w in self.selected if sched.has_wave(w)])

    def _update(self) -> None:
        one = len(self.selected) == 1
        self.rename.setEnabled(one)
        self.delete.setEnabled(bool(self.selected))
        self.split.setEnabled(
            one and len(self.document.plan.schedule.wave(self.selected[0]).members) >= 2
        )
        self.merge.setEnabled(len(self.selected) >= 2)

    # -- edits ------------------------------------------------------------------------------
    def _run(self, command: Command, done: str) -> bool:
        if not self.document.try_execute(command):
            return False
        self.message.emit(done)
        return True

    def new_wave(self, members: list[str] | None = None) -> str:
        """Ask for a name and add the wave (with ``members``); the new id, "" if cancelled."""
        sched = self.document.plan.schedule
        suggestion = f"Wave {len(sched.waves) + 1}"
        name = self.dialogs.ask_name(
            self.parent_widget, "New wave", "Name of the wave:", suggestion
        )
        if name is None:
            return ""
        command = NewWave(name.strip() or suggestion, list(members or []))
        if not self._run(command, f"Added wave {name or suggestion}"):
            return ""
        self.set_selection([command.wave_id])
        self.wave_created.emit(command.wave_id)
        return command.wave_id

    def rename_wave(self) -> bool:
        if len(self.selected) != 1:
            return False
        wave = self.document.plan.schedule.wave(self.selected[0])
        name = self.dialogs.ask_name(self.parent_widget, "Rename wave", "New name:", wave.name)
        if name is None or name == wave.name:
            return False
        return self._run(RenameWave(wave.id, name), f"Renamed {wave.id} to {name}")

    def delete_waves(self) -> bool:
        if not self.selected:
            return False
        sched = self.document.plan.schedule
        names = ", ".join(sched.wave(w).name for w in self.selected)
        members = sum(len(sched.wave(w).members) for w in self.selected)
        commands: list[Command] = [RemoveWave(w) for w in self.selected]
        command: Command = commands[0] if len(commands) == 1 else Macro(commands, "Delete waves")
        return self._run(
            command,
            f"Deleted {names}; {members} workload(s) are unassigned again (Ctrl+Z to undo)",
        )

    def split_wave(self) -> bool:
        if len(self.selected) != 1:
            return False
        command = SplitWave(self.selected[0])
        if not self._run(command, f"Split {self.selected[0]} into two waves"):
            return False
        self.set_selection([self.selected[0], command.new_wave_id])
        return True

    def merge_waves(self) -> bool:
        if len(self.selected) < 2:
            return False
        target = self.selected[0]
        if not self._run(MergeWaves(list(self.selected)), f"Merged {len(self.selected)} waves"):
            return False
        self.set_selection([target])
        return True
