"""The main window: start page, the registered views, docks, menus and status bar.

The window is a thin shell: views project the document, edits go through the
document's undo stack, long work runs on the document's job runner, and the window
routes user actions (files, imports, exports, navigation) between them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.commands import AssignWorkloads, Change, Command, UnassignWorkloads
from workbench.domain.errors import WorkbenchError
from workbench.domain.plan import Plan
from workbench.ui.autosave import Autosaver, RecoveryStore, default_recovery_dir
from workbench.ui.details_dock import DetailsDock
from workbench.ui.dialogs import Dialogs, UnsavedChoice
from workbench.ui.document import PlanDocument
from workbench.ui.header_panel import PlanHeaderPanel
from workbench.ui.history_view import HistoryDock
from workbench.ui.import_apply import ReplacePlanContents
from workbench.ui.recent_files import RecentFiles
from workbench.ui.resources import app_icon, sample_plan_path
from workbench.ui.settings import APPLICATION, app_settings, load_preferences
from workbench.ui.start_page import StartPage
from workbench.ui.status_bar import StatusPanel
from workbench.ui.views import VIEWS
from workbench.ui.window_actions import WindowActions

DEFAULT_SIZE = (1400, 900)
START, WORKSPACE = 0, 1


class MainWindow(QMainWindow):
    """A thin shell: it routes user actions to the document and refreshes the views."""

    def __init__(self, dialogs: Dialogs | None = None, recent: RecentFiles | None = None) -> None:
        super().__init__()
        self.setObjectName("MainWindow")
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self.dialogs = dialogs or Dialogs()
        self.recent = recent or RecentFiles()
        self.preferences = load_preferences()
        self._closed = False
        self.document = PlanDocument(self)

        self.header = PlanHeaderPanel(self)
        self.nav = QListWidget(self)
        self.nav.setObjectName("viewList")
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setMaximumWidth(180)
        self.view_stack = QStackedWidget(self)
        self.views: dict[str, QWidget] = {}
        for spec in VIEWS:
            widget = spec.factory(self.document, self.view_stack)
            self._wire_view(widget)
            self.views[spec.id] = widget
            self.view_stack.addWidget(widget)
            item = QListWidgetItem(self.style().standardIcon(spec.icon), spec.title)
            item.setData(Qt.ItemDataRole.UserRole, spec.id)
            item.setSizeHint(QSize(150, 36))
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self.view_stack.setCurrentIndex)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.nav)
        splitter.addWidget(self.view_stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([170, 1200])
        workspace = QWidget(self)
        layout = QVBoxLayout(workspace)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(splitter, 1)
        self.start_page = StartPage(self.recent, self)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.start_page)
        self.pages.addWidget(workspace)
        self.setCentralWidget(self.pages)

        self.details = DetailsDock(self.document, self)
        self.history = HistoryDock(self.document, self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.details)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.history)
        self.tabifyDockWidget(self.details, self.history)
        self.details.raise_()
        self.resizeDocks([self.details], [340], Qt.Orientation.Horizontal)
        self.details.select_requested.connect(self.navigate)

        self.actions_ = WindowActions(self)
        self.open_action = self.actions_.open
        self.save_action = self.actions_.save
        self.save_as_action = self.actions_.save_as
        self.undo_action = self.actions_.undo
        self.redo_action = self.actions_.redo
        self.recent_menu = self.actions_.recent_menu
        self.status = StatusPanel(self.document, self.statusBar())
        self.save_state_label: QLabel = self.status.save_state_label

        folder = self.preferences.recovery_dir
        self.recovery = RecoveryStore(Path(folder) if folder else default_recovery_dir())
        self.autosaver = Autosaver(self.document, self.recovery, self.preferences.autosave_seconds)
        self.autosaver.saved.connect(self.status.set_autosaved)
        self.autosaver.failed.connect(lambda m: self.statusBar().showMessage(m, 8000))

        self.document.changed.connect(self._on_change)
        self.document.replaced.connect(self._on_replaced)
        self.document.path_changed.connect(self._refresh_title)
        self.document.modified_changed.connect(self._show_modified)
        self.document.edit_refused.connect(lambda m: self.dialogs.error(self, "Edit refused", m))
        self.start_page.open_requested.connect(self.file_open)
        self.start_page.open_path_requested.connect(self.open_recent)
        self.start_page.new_from_cluster_requested.connect(lambda: self.import_cluster(new=True))
        self.start_page.new_from_files_requested.connect(lambda: self.import_files(new=True))
        self.start_page.sample_requested.connect(self.open_sample)

        self.nav.setCurrentRow(0)
        self._restore_window_state()
        self._on_replaced()

    # -- shortcuts to the parts tests and other modules reach for ---------------------------
    @property
    def inventory(self) -> QWidget:
        return self.views["inventory"]

    def _wire_view(self, widget: QWidget) -> None:
        current = getattr(widget, "current_changed", None)
        if current is not None:
            current.connect(lambda key: self.details.show_key(key) if key else None)
        opener = getattr(widget, "open_requested", None)
        if opener is not None:
            opener.connect(self.navigate)
        if hasattr(widget, "dialogs"):
            widget.dialogs = self.dialogs

    def rebuild_recent_menu(self) -> None:
        self.actions_.rebuild_recent_menu()

    # -- views ---------------------------------------------------------------------------------
    def current_view_id(self) -> str:
        item = self.nav.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else ""

    def show_view(self, view_id: str) -> QWidget:
        ids = list(self.views)
        self.pages.setCurrentIndex(WORKSPACE)
        self.nav.setCurrentRow(ids.index(view_id))
        return self.views[view_id]

    def show_start_page(self) -> None:
        self.start_page.refresh()
        self.pages.setCurrentIndex(START)

    def navigate(self, key: str) -> bool:
        """Go to an object: a wave in the Waves view, a workload in the Inventory."""
        if not key:
            return False
        view_id = "waves" if key.startswith("wave:") else "inventory"
        if view_id == "inventory" and key not in self.document.plan.inventory.workloads:
            self.details.show_key(key)
            return False
        view = self.show_view(view_id)
        shown = bool(getattr(view, "show_key", lambda _k: False)(key))
        self.details.show_key(key)
        return shown

    def focus_filter(self) -> None:
        if self.pages.currentIndex() == START:
            self.show_view("inventory")
        view = self.views.get(self.current_view_id())
        focus = getattr(view, "focus_filter", None)
        if focus is None:
            view = self.show_view("inventory")
            focus = getattr(view, "focus_filter", None)
        if focus is not None:
            focus()

    # -- refreshing ---------------------------------------------------------------------------
    def _on_replaced(self) -> None:
        self._refresh_header()
        self._refresh_title()
        self._show_modified(self.document.is_modified)
        if self.document.is_empty:
            self.show_start_page()
        else:
            self.pages.setCurrentIndex(WORKSPACE)

    def _on_change(self, change: Change) -> None:
        self._refresh_header()
        if change.areas & {"meta", "inventory"}:
            self._refresh_title()
        if self.document.plan.inventory.workloads:
            self.pages.setCurrentIndex(WORKSPACE)

    def _show_modified(self, modified: bool) -> None:
        self.setWindowModified(modified)
        self.status.refresh_file()

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
        if not self.document.try_execute(command):
            return False
        self.statusBar().showMessage(command.label, 4000)
        return True

    def assign_to_wave(self, keys: list[str], wave_id: str) -> bool:
        return bool(keys) and self.execute(AssignWorkloads(list(keys), wave_id))

    def unassign(self, keys: list[str]) -> bool:
        return bool(keys) and self.execute(UnassignWorkloads(list(keys)))

    def apply_import(self, plan: Plan, merge: bool) -> None:
        """An import's result: merged as one undoable edit, or opened as a new plan."""
        if merge:
            self.execute(ReplacePlanContents(plan, "Import into the plan"))
        else:
            self.document.replace(plan, None, modified=True)
        self.show_view("inventory")

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

    def new_plan(self) -> bool:
        if not self.maybe_save():
            return False
        self.document.replace(Plan(), None)
        return True

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

    # -- imports, exports, preferences ------------------------------------------------------
    def import_cluster(self, new: bool = False) -> QWidget:
        from workbench.ui.import_dialogs import ClusterImportDialog

        return self._open_import(ClusterImportDialog(self.document, self.dialogs, self), new)

    def import_files(self, new: bool = False) -> QWidget:
        from workbench.ui.import_dialogs import FilesImportDialog

        return self._open_import(FilesImportDialog(self.document, self.dialogs, self), new)

    def _open_import(self, dialog: QWidget, new: bool) -> QWidget:
        from workbench.ui.import_dialogs import ImportDialog

        assert isinstance(dialog, ImportDialog)
        if new:
            dialog.new_radio.setChecked(True)
        dialog.imported.connect(self._imported)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _imported(self, plan: Plan, merge: bool) -> None:
        if not merge and not self.maybe_save():
            return
        self.apply_import(plan, merge)

    def export(self) -> QWidget:
        from workbench.ui.export_dialog import ExportDialog

        dialog = ExportDialog(self.document, self.dialogs, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def edit_preferences(self) -> QWidget:
        from workbench.ui.preferences_dialog import PreferencesDialog

        dialog = PreferencesDialog(self.preferences, self)
        dialog.accepted.connect(lambda: self.apply_preferences(dialog.preferences()))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def apply_preferences(self, prefs: object) -> None:
        from PySide6.QtWidgets import QApplication

        from workbench.ui.settings import Preferences, save_preferences
        from workbench.ui.theme import apply_theme

        assert isinstance(prefs, Preferences)
        self.preferences = prefs
        save_preferences(prefs)
        self.autosaver.set_delay(prefs.autosave_seconds)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, prefs.theme)

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
                self.dialogs.error(self, "Cannot restore", _describe(exc, chosen.plan_path))
            else:
                original = Path(chosen.original) if chosen.original else None
                self.document.replace(plan, original, modified=True)
                self.autosaver.schedule()
                restored = True
        for orphan in orphans:
            self.recovery.discard(orphan)
        return restored

    # -- drops and window state -------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _plan_paths(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if _plan_paths(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = _plan_paths(event)
        if paths and self.maybe_save():
            event.acceptProposedAction()
            self.open_plan(paths[0])

    def _restore_window_state(self) -> None:
        settings = app_settings()
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and self.restoreGeometry(geometry):
            state = settings.value("window/state")
            if isinstance(state, QByteArray):
                self.restoreState(state)
        else:
            self.resize(*DEFAULT_SIZE)
        view = settings.value("window/view")
        if isinstance(view, str) and view in self.views:
            self.nav.setCurrentRow(list(self.views).index(view))

    def save_window_state(self) -> None:
        settings = app_settings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        settings.setValue("window/view", self.current_view_id())
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._closed:
            event.accept()
            return
        if not self.maybe_save():
            event.ignore()
            return
        self._closed = True
        self.save_window_state()
        self.document.jobs.shutdown()
        self.document.analysis.shutdown()
        self.recovery.close()
        event.accept()


def _plan_paths(event: QDropEvent) -> list[str]:
    data = event.mimeData()
    if data is None or not data.hasUrls():
        return []
    return [
        url.toLocalFile()
        for url in data.urls()
        if url.isLocalFile() and url.toLocalFile().endswith(".meshplan")
    ]


def _describe(exc: Exception, path: str | Path) -> str:
    """One line for the user: what went wrong and with which file."""
    if isinstance(exc, OSError) and not isinstance(exc, WorkbenchError):
        reason = exc.strerror or str(exc)
        return f"{reason}: {exc.filename or path}"
    return str(exc)
