"""The main window's dialogs for imports, exports and preferences."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from workbench.domain.commands import Command
from workbench.domain.commands_plan import ReplacePlanContents
from workbench.domain.plan import Plan

if TYPE_CHECKING:
    from workbench.ui.autosave import Autosaver
    from workbench.ui.dialogs import Dialogs
    from workbench.ui.document import PlanDocument
    from workbench.ui.settings import Preferences


class ImportExportMixin(QMainWindow):
    """Opens the import, export and preferences dialogs and applies what they return."""

    document: PlanDocument
    dialogs: Dialogs
    preferences: Preferences
    autosaver: Autosaver

    if TYPE_CHECKING:  # provided by the window

        def execute(self, command: Command) -> bool: ...
        def maybe_save(self) -> bool: ...
        def show_view(self, view_id: str) -> QWidget: ...
        def clear_view_filters(self) -> None: ...

    def import_cluster(self, new: bool = True) -> QWidget:
        from workbench.ui.import_dialogs import ClusterImportDialog

        return self._open_import(ClusterImportDialog(self.document, self.dialogs, self), new)

    def import_files(self, new: bool = True) -> QWidget:
        from workbench.ui.import_dialogs import FilesImportDialog

        return self._open_import(FilesImportDialog(self.document, self.dialogs, self), new)

    def _open_import(self, dialog: QWidget, new: bool) -> QWidget:
        from workbench.ui.import_dialogs import ImportDialog

        assert isinstance(dialog, ImportDialog)
        if not new and dialog.merge_radio.isEnabled():  # a new plan unless asked to merge
            dialog.merge_radio.setChecked(True)
        dialog.imported.connect(self._imported)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _imported(self, plan: Plan, merge: bool) -> None:
        if not merge and not self.maybe_save():
            return
        self.apply_import(plan, merge)

    def apply_import(self, plan: Plan, merge: bool) -> None:
        """An import's result: merged as one undoable edit, or opened as a new plan."""
        if merge:
            self.execute(ReplacePlanContents(plan, "Import into the plan"))
        else:
            self.document.replace(plan, None, modified=True)
            self.clear_view_filters()
        self.show_view("inventory")

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
        from workbench.ui.settings import Preferences, save_preferences
        from workbench.ui.theme import apply_theme

        assert isinstance(prefs, Preferences)
        self.preferences = prefs
        save_preferences(prefs)
        self.autosaver.set_delay(prefs.autosave_seconds)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, prefs.theme)
