"""The main window's actions, menus and tool bar, with the standard shortcuts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QStyle, QWidget

from workbench.ui.views import VIEWS

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow

Shortcut = QKeySequence | QKeySequence.StandardKey | str


class WindowActions:
    """Builds the window's actions and menus; the window keeps the ones tests reach."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        icon = window.style().standardIcon
        sp = QStyle.StandardPixmap
        w = window
        self.new = self._action("&New", QKeySequence.StandardKey.New, w.new_plan)
        self.new.setIcon(icon(sp.SP_FileIcon))
        self.open = self._action("&Open…", QKeySequence.StandardKey.Open, w.file_open)
        self.open.setIcon(icon(sp.SP_DialogOpenButton))
        self.save = self._action("&Save", QKeySequence.StandardKey.Save, w.save)
        self.save.setIcon(icon(sp.SP_DialogSaveButton))
        self.save_as = self._action("Save &As…", "Ctrl+Shift+S", w.save_as)
        self.import_cluster = self._action("From a &cluster…", "Ctrl+Shift+K", w.import_cluster)
        self.import_files = self._action("From &files…", "Ctrl+Shift+I", w.import_files)
        self.export = self._action("&Export…", "Ctrl+E", w.export)
        self.close = self._action("&Close", "Ctrl+W", w.close_plan)
        self.quit = self._action("&Quit", "Ctrl+Q", w.close)
        stack = w.document.undo_stack
        self.undo = stack.createUndoAction(w, "&Undo")
        self.undo.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.undo.setIcon(icon(sp.SP_ArrowBack))
        self.redo = stack.createRedoAction(w, "&Redo")
        self.redo.setShortcut(QKeySequence(QKeySequence.StandardKey.Redo))
        self.redo.setIcon(icon(sp.SP_ArrowForward))
        self.find = self._action("&Find", QKeySequence.StandardKey.Find, w.focus_filter)
        self.preferences = self._action(
            "&Preferences…", QKeySequence.StandardKey.Preferences, w.edit_preferences
        )
        if self.preferences.shortcut().isEmpty():
            self.preferences.setShortcut(QKeySequence("Ctrl+,"))
        self.start_page = self._action("&Start page", "Ctrl+0", w.show_start_page)
        self.view_actions: dict[str, QAction] = {}
        for number, spec in enumerate(VIEWS, start=1):
            action = self._action(
                spec.title, f"Ctrl+{number}", lambda _c=False, v=spec.id: w.show_view(v)
            )
            action.setIcon(icon(spec.icon))
            self.view_actions[spec.id] = action
        self.tray = self._action("Workload &tray", "Ctrl+T", lambda: None)
        self.tray.setCheckable(True)
        self.tray.setChecked(True)
        self.tray.toggled.connect(w.set_tray_wanted)
        self.tray.setStatusTip("Show the unassigned workloads beside the Gantt and Waves views")
        self.guide = self._action(
            "User &guide", QKeySequence.StandardKey.HelpContents, self.show_help
        )
        self.shortcuts = self._action(
            "&Keyboard shortcuts", "Ctrl+/", lambda: self.show_help("shortcuts")
        )
        self.rules = self._action("&Rule reference", "", lambda: self.show_help("rules"))
        self.help_window: QWidget | None = None
        self.about = self._action("&About", "", self._about)
        self.recent_menu = QMenu("Open &Recent", w)
        self.recent_menu.aboutToShow.connect(self.rebuild_recent_menu)
        self._build_menus()
        self._build_toolbar()

    def _action(self, text: str, shortcut: Shortcut, slot: Callable[..., object]) -> QAction:
        action = QAction(text, self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_menus(self) -> None:
        bar = self.window.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions([self.new, self.open])
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        file_menu.addActions([self.save, self.save_as])
        file_menu.addSeparator()
        import_menu = file_menu.addMenu("&Import")
        import_menu.addActions([self.import_cluster, self.import_files])
        file_menu.addAction(self.export)
        file_menu.addSeparator()
        file_menu.addAction(self.close)
        file_menu.addAction(self.quit)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addActions([self.undo, self.redo])
        edit_menu.addSeparator()
        edit_menu.addAction(self.find)
        edit_menu.addSeparator()
        edit_menu.addAction(self.preferences)
        view_menu = bar.addMenu("&View")
        view_menu.addAction(self.start_page)
        view_menu.addActions(list(self.view_actions.values()))
        view_menu.addSeparator()
        view_menu.addAction(self.window.details.toggleViewAction())
        view_menu.addAction(self.window.history.toggleViewAction())
        view_menu.addAction(self.tray)
        self.plan_menu = bar.addMenu("&Plan")
        self.window.wave_editor.fill_menu(self.plan_menu)
        help_menu = bar.addMenu("&Help")
        help_menu.addActions([self.guide, self.shortcuts, self.rules])
        help_menu.addSeparator()
        help_menu.addAction(self.about)

    def _build_toolbar(self) -> None:
        toolbar = self.window.addToolBar("Main")
        toolbar.setObjectName("MainToolBar")
        toolbar.setMovable(False)
        toolbar.addActions([self.open, self.save])
        toolbar.addSeparator()
        toolbar.addActions([self.undo, self.redo])
        toolbar.addSeparator()
        self.import_cluster.setIconText("Import cluster")
        self.import_files.setIconText("Import files")
        toolbar.addActions([self.import_cluster, self.import_files, self.export])

    def rebuild_recent_menu(self) -> None:
        menu, recent = self.recent_menu, self.window.recent
        menu.clear()
        paths = recent.paths()
        for number, path in enumerate(paths, start=1):
            action = menu.addAction(f"&{number % 10} {recent_label(path)}")
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda _checked=False, p=path: self.window.open_recent(p))
        if not paths:
            menu.addAction("No recent plans").setEnabled(False)
            return
        menu.addSeparator()
        menu.addAction("Clear list", recent.clear)

    def show_help(self, topic: str = "guide", target: str = "") -> QWidget:
        """Open (or raise) the help window on a topic, scrolled to ``target``."""
        from workbench.ui.help.help_window import HelpWindow

        if not isinstance(self.help_window, HelpWindow):
            self.help_window = HelpWindow(self.window)
        self.help_window.show_topic(topic, target)
        self.help_window.show()
        self.help_window.raise_()
        return self.help_window

    def _about(self) -> None:
        from workbench import __version__
        from workbench.ui.settings import APPLICATION

        self.window.dialogs.info(
            self.window,
            f"About {APPLICATION}",
            f"{APPLICATION} {__version__}\n\nPlan the move of a Kubernetes estate onto "
            "the Istio service mesh.",
        )


def recent_label(path: str, limit: int = 60) -> str:
    """A recent file as its name and folder, so two plans of the same name differ."""
    p = Path(path)
    folder = str(p.parent).replace(str(Path.home()), "~", 1)
    if len(folder) > limit:
        folder = "…" + folder[-(limit - 1) :]
    return f"{p.name}  —  {folder}"
