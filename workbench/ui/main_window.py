"""The main window: menus, the plan header, the inventory view and the status bar."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QStyle, QVBoxLayout, QWidget

from workbench.domain.commands import AssignWorkloads, Change, Command, UnassignWorkloads
from workbench.domain.errors import WorkbenchError
from workbench.ui.dialogs import Dialogs, UnsavedChoice
from workbench.ui.document import PlanDocument
from workbench.ui.header_panel import PlanHeaderPanel
from workbench.ui.inventory_view import InventoryView
from workbench.ui.recent_files import RecentFiles
from workbench.ui.settings import APPLICATION, app_settings

DEFAULT_SIZE = (1400, 900)


class MainWindow(QMainWindow):
    """A thin shell: it routes user actions to the document and refreshes the views."""

    def __init__(self, dialogs: Dialogs | None = None, recent: RecentFiles | None = None) -> None:
        super().__init__()
        self.setObjectName("MainWindow")
        self.dialogs = dialogs or Dialogs()
        self.recent = recent or RecentFiles()
        self.document = PlanDocument(self)

        self.header = PlanHeaderPanel(self)
        self.inventory = InventoryView(self)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.inventory, 1)
        self.setCentralWidget(central)

        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self.save_state_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.save_state_label)

        self.document.changed.connect(self._on_change)
        self.document.replaced.connect(self._on_replaced)
        self.document.path_changed.connect(self._refresh_title)
        self.document.modified_changed.connect(self._show_modified)
        self.inventory.assign_requested.connect(self.assign_to_wave)
        self.inventory.unassign_requested.connect(self.unassign)

        self._restore_window_state()
        self._on_replaced()

    # -- building -------------------------------------------------------------------------
    def _action(
        self, text: str, shortcut: QKeySequence | QKeySequence.StandardKey | str, slot: object
    ) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        icon = self.style().standardIcon
        self.open_action = self._action("&Open…", QKeySequence.StandardKey.Open, self.file_open)
        self.open_action.setIcon(icon(QStyle.StandardPixmap.SP_DialogOpenButton))
        self.save_action = self._action("&Save", QKeySequence.StandardKey.Save, self.save)
        self.save_action.setIcon(icon(QStyle.StandardPixmap.SP_DialogSaveButton))
        self.save_as_action = self._action("Save &As…", "Ctrl+Shift+S", self.save_as)
        self.quit_action = self._action("&Quit", "Ctrl+Q", self.close)
        stack = self.document.undo_stack
        self.undo_action = stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.undo_action.setIcon(icon(QStyle.StandardPixmap.SP_ArrowBack))
        self.redo_action = stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Redo))
        self.redo_action.setIcon(icon(QStyle.StandardPixmap.SP_ArrowForward))

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(self.open_action)
        self.recent_menu = QMenu("Open &Recent", self)
        self.recent_menu.aboutToShow.connect(self.rebuild_recent_menu)
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        file_menu.addActions([self.save_action, self.save_as_action])
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = self.menuBar().addMenu("&Edit")
        edit_menu.addActions([self.undo_action, self.redo_action])

    def _build_toolbar(self) -> None:
        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("MainToolBar")
        toolbar.setMovable(False)
        toolbar.addActions([self.open_action, self.save_action])
        toolbar.addSeparator()
        toolbar.addActions([self.undo_action, self.redo_action])

    def rebuild_recent_menu(self) -> None:
        self.recent_menu.clear()
        paths = self.recent.paths()
        for number, path in enumerate(paths, start=1):
            action = self.recent_menu.addAction(f"&{number % 10} {Path(path).name}")
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda _checked=False, p=path: self.open_recent(p))
        if not paths:
            self.recent_menu.addAction("No recent plans").setEnabled(False)
            return
        self.recent_menu.addSeparator()
        self.recent_menu.addAction("Clear list", self.recent.clear)

    # -- refreshing ---------------------------------------------------------------------------
    def _on_replaced(self) -> None:
        self.inventory.set_plan(self.document.plan)
        self._refresh_header()
        self._refresh_title()
        self._show_modified(self.document.is_modified)

    def _on_change(self, change: Change) -> None:
        self.inventory.apply_change(change)
        self._refresh_header()
        if "meta" in change.areas:
            self._refresh_title()

    def _show_modified(self, modified: bool) -> None:
        self.setWindowModified(modified)
        if modified:
            self.save_state_label.setText("Unsaved changes")
        elif self.document.path is None:
            self.save_state_label.setText("Not saved yet")
        else:
            self.save_state_label.setText("All changes saved")

    def _refresh_header(self) -> None:
        doc = self.document
        location = str(doc.path) if doc.path else "not saved yet"
        self.header.show_plan(doc.plan, doc.display_name, location)

    def _refresh_title(self) -> None:
        self.setWindowTitle(f"{self.document.display_name}[*] — {APPLICATION}")
        self._refresh_header()
        self._show_modified(self.document.is_modified)

    # -- edits -----------------------------------------------------------------------------
    def execute(self, command: Command) -> bool:
        """Run an edit through the undo history; a refused edit is shown, not raised."""
        try:
            self.document.execute(command)
        except WorkbenchError as exc:
            self.dialogs.error(self, "Edit refused", str(exc))
            return False
        self.statusBar().showMessage(command.label, 4000)
        return True

    def assign_to_wave(self, keys: list[str], wave_id: str) -> bool:
        return bool(keys) and self.execute(AssignWorkloads(list(keys), wave_id))

    def unassign(self, keys: list[str]) -> bool:
        return bool(keys) and self.execute(UnassignWorkloads(list(keys)))

    # -- files -------------------------------------------------------------------------------
    def open_plan(self, path: str | Path) -> bool:
        """Open a plan file; on failure show why and keep the current plan."""
        try:
            self.document.open(path)
        except (WorkbenchError, OSError) as exc:
            self.dialogs.error(self, "Cannot open plan", _describe(exc, path))
            return False
        self.recent.add(path)
        self.statusBar().showMessage(f"Opened {self.document.path}", 5000)
        return True

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
        return bool(path) and self._save_to(Path(str(path)))

    def _save_to(self, path: Path) -> bool:
        try:
            saved = self.document.save(path)
        except (WorkbenchError, OSError) as exc:
            self.dialogs.error(self, "Cannot save plan", _describe(exc, path))
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

    # -- window state ----------------------------------------------------------------------
    def _restore_window_state(self) -> None:
        settings = app_settings()
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and self.restoreGeometry(geometry):
            state = settings.value("window/state")
            if isinstance(state, QByteArray):
                self.restoreState(state)
        else:
            self.resize(*DEFAULT_SIZE)

    def save_window_state(self) -> None:
        settings = app_settings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.maybe_save():
            event.ignore()
            return
        self.save_window_state()
        event.accept()


def _describe(exc: Exception, path: str | Path) -> str:
    """One line for the user: what went wrong and with which file."""
    if isinstance(exc, OSError) and not isinstance(exc, WorkbenchError):
        reason = exc.strerror or str(exc)
        return f"{reason}: {exc.filename or path}"
    return str(exc)
