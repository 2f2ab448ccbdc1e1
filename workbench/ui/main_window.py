"""The main window: start page, the registered views, docks, menus and status bar.

The window is a thin shell: views project the document, edits go through the
document's undo stack, long work runs on the document's job runner, and the window
routes user actions (files, imports, exports, navigation) between them. Plan files
live in :mod:`window_files`, import/export/preference dialogs in :mod:`window_imports`,
menus and shortcuts in :mod:`window_actions`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.commands import AssignWorkloads, Change, Command, UnassignWorkloads
from workbench.ui.autosave import Autosaver, RecoveryStore, default_recovery_dir
from workbench.ui.details_dock import DetailsDock
from workbench.ui.dialogs import Dialogs
from workbench.ui.document import PlanDocument
from workbench.ui.header_panel import PlanHeaderPanel
from workbench.ui.history_view import HistoryDock
from workbench.ui.inventory_view import InventoryView
from workbench.ui.page_stack import CurrentPageStack
from workbench.ui.recent_files import RecentFiles
from workbench.ui.resources import app_icon
from workbench.ui.selection_sync import SelectionSync
from workbench.ui.settings import APPLICATION, app_settings, load_preferences
from workbench.ui.sharing_actions import SharingActions
from workbench.ui.start_page import StartPage
from workbench.ui.status_bar import StatusPanel
from workbench.ui.views import VIEWS, WindowViews
from workbench.ui.wave_editing import WaveEditor
from workbench.ui.window_actions import WindowActions
from workbench.ui.window_files import PlanFilesMixin
from workbench.ui.window_imports import ImportExportMixin
from workbench.ui.workload_tray import WorkloadTray

DEFAULT_SIZE = (1400, 900)
NAV_WIDTH = 168  # fixed: a wide view must not squeeze the view list
TRAY_VIEWS = frozenset({"gantt", "waves"})  # views the workload tray docks beside
START, WORKSPACE = 0, 1


class MainWindow(PlanFilesMixin, ImportExportMixin, QMainWindow):
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
        self.selection = SelectionSync(self)
        self.wave_editor = WaveEditor(self.document, self.dialogs, self)
        self.tray_wanted = True  # View › Workload tray; shown beside the Gantt and Waves

        self.header = PlanHeaderPanel(self)
        self.nav = QListWidget(self)
        self.nav.setObjectName("viewList")
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setFixedWidth(NAV_WIDTH)
        self.view_stack = CurrentPageStack(self)
        self.views = WindowViews(self.document, self.view_stack, self._wire_view)
        for spec in VIEWS:
            self.views.add(spec)
            item = QListWidgetItem(self.style().standardIcon(spec.icon), spec.title)
            item.setData(Qt.ItemDataRole.UserRole, spec.id)
            item.setSizeHint(QSize(NAV_WIDTH - 8, 36))
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self._on_view_row)
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        body.addWidget(self.nav)
        # A view wider than the window scrolls inside it instead of widening the window.
        self.view_scroll = QScrollArea(self)
        self.view_scroll.setWidgetResizable(True)
        self.view_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.view_scroll.setWidget(self.view_stack)
        body.addWidget(self.view_scroll, 1)
        workspace = QWidget(self)
        layout = QVBoxLayout(workspace)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addLayout(body, 1)
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
        inventory = self.views["inventory"]
        if isinstance(inventory, InventoryView):  # one caller-knowledge computation
            self.details.share_knowledge(
                inventory.model.all_knowledge, inventory.model.knowledge_arrived
            )
        self.tray = WorkloadTray(self.document, self)  # under the details: no width taken
        self.addDockWidget(
            Qt.DockWidgetArea.RightDockWidgetArea, self.tray, Qt.Orientation.Vertical
        )
        self.tray.hide()
        self.tray.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.selection.add_source(self.tray)
        self.selection.selected.connect(self._on_selected)
        self.wave_editor.message.connect(lambda m: self.statusBar().showMessage(m, 6000))
        self.wave_editor.wave_created.connect(lambda wid: self.selection.announce(f"wave:{wid}"))

        self.actions_ = WindowActions(self)
        self.open_action = self.actions_.open
        self.save_action = self.actions_.save
        self.save_as_action = self.actions_.save_as
        self.undo_action = self.actions_.undo
        self.redo_action = self.actions_.redo
        self.recent_menu = self.actions_.recent_menu
        self.sharing = SharingActions(self)
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
        self.views.preload_later()

    # -- shortcuts to the parts tests and other modules reach for ---------------------------
    @property
    def inventory(self) -> QWidget:
        return self.views["inventory"]

    def _wire_view(self, widget: QWidget) -> None:
        self.selection.add_source(widget)
        opener = getattr(widget, "open_requested", None)
        if opener is not None:
            opener.connect(self.navigate)
        helper = getattr(widget, "help_requested", None)
        if helper is not None:
            helper.connect(self.show_help)
        waves = getattr(widget, "waves_selected", None)
        if waves is not None:
            waves.connect(self.wave_editor.set_selection)
        if hasattr(widget, "dialogs"):
            widget.dialogs = self.dialogs
        if hasattr(widget, "wave_editor"):
            widget.wave_editor = self.wave_editor

    def _on_selected(self, key: str) -> None:
        if key:
            self.details.show_key(key)
            self.wave_editor.select_key(key)

    def set_tray_wanted(self, wanted: bool) -> None:
        self.tray_wanted = wanted
        self._on_view_row(self.nav.currentRow())

    def show_help(self, topic: str = "guide", target: str = "") -> QWidget:
        return self.actions_.show_help(topic, target)

    def _on_view_row(self, row: int) -> None:
        if 0 <= row < len(VIEWS):
            self.views.get(VIEWS[row].id)  # a lazy view is built when first shown
        self.view_stack.setCurrentIndex(row)
        if 0 <= row < len(VIEWS):
            wants_tray = VIEWS[row].id in TRAY_VIEWS and self.tray_wanted
            self.tray.setVisible(wants_tray and bool(self.document.plan.inventory.workloads))

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

    def clear_view_filters(self) -> None:
        """Empty every view's filter, so a newly imported plan shows in full."""
        for view in [*self.views.built(), self.tray]:
            clear = getattr(view, "clear_filter", None)
            if clear is not None:
                clear()

    # -- refreshing ---------------------------------------------------------------------------
    def _on_replaced(self) -> None:
        self._on_view_row(self.nav.currentRow())
        self._refresh_title()  # the header and the modified mark with it
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

    # -- window state -------------------------------------------------------------------
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
