"""The Dependencies view's toolbar: namespace filter, find box, grouping, zoom, edits, export."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QLineEdit,
    QMenu,
    QStyle,
    QToolBar,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from workbench.ui.graph.namespace_filter import NamespaceChecklist

EXPORT_CHOICES = (("png", "PNG picture…"), ("svg", "SVG drawing…"), ("dot", "Graphviz DOT…"))


class GraphToolbar(QToolBar):
    """Holds the controls; the view connects them to what they do."""

    export_requested = Signal(str)  # "png" | "svg" | "dot"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Dependencies", parent)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.checklist = NamespaceChecklist()
        menu = QMenu(self)
        holder = QWidgetAction(menu)
        holder.setDefaultWidget(self.checklist)
        menu.addAction(holder)
        self.namespace_button = self._menu_button("Namespaces", menu)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Find workload or namespace")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(190)  # never squeezed to nothing at 1400x900
        self.search.setMaximumWidth(260)
        self.addWidget(self.search)
        self.addSeparator()
        self.group_action = self._action(
            "Group", "Group by namespace: one node per namespace; double-click one to expand it"
        )
        self.group_action.setCheckable(True)
        self.relayout_action = self._action("Re-layout", "Re-layout: lay the graph out again")
        self._icon_only(self.relayout_action, QStyle.StandardPixmap.SP_BrowserReload)
        self.addSeparator()
        self.zoom_in_action = self._action("+", "Zoom in (+)")
        self.zoom_out_action = self._action("−", "Zoom out (-)")
        self.fit_action = self._action("Fit", "Show the whole graph (0)")
        self.addSeparator()
        self.add_action = self._action(
            "Add dependency", "Select the caller, then Ctrl+click the callee (or pick it next)"
        )
        self.remove_action = self._action("Remove dependency", "Remove the selected edge (Delete)")
        self.addSeparator()
        export_menu = QMenu(self)
        for fmt, label in EXPORT_CHOICES:
            export_menu.addAction(label, partial(self.export_requested.emit, fmt))
        self._menu_button("Export", export_menu)

    def _action(self, text: str, tip: str) -> QAction:
        action = QAction(text, self)
        action.setToolTip(tip)
        self.addAction(action)
        return action

    def _icon_only(self, action: QAction, icon: QStyle.StandardPixmap) -> None:
        """A rarely used action as a small icon button (its text stays for menus and tips),
        so that every control fits beside a 190 px find box at 1400x900."""
        action.setIcon(self.style().standardIcon(icon))
        button = self.widgetForAction(action)
        if isinstance(button, QToolButton):
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)

    def _menu_button(self, text: str, menu: QMenu) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setMenu(menu)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.addWidget(button)
        return button
