"""The right-click menu of the dependency graph: expand, collapse, filter, remove, fit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QMenu

from workbench.ui.graph.edge_item import EdgeItem
from workbench.ui.graph.node_items import NodeItem

if TYPE_CHECKING:
    from workbench.ui.graph.view import DependencyView


def show_context_menu(view: DependencyView, pos: QPoint) -> None:
    """Offer what can be done with the node or edge under ``pos`` (viewport coordinates)."""
    build_context_menu(view, pos).exec(view.canvas.viewport().mapToGlobal(pos))


def build_context_menu(view: DependencyView, pos: QPoint) -> QMenu:
    """The menu for the item under ``pos``; selects that item as a click would."""
    item = view.canvas.itemAt(pos)
    menu = QMenu(view)
    if isinstance(item, NodeItem):
        node = item.node
        if not item.isSelected():
            view.select_node(node.id, centre=False)
        if item.is_namespace:
            menu.addAction("Expand namespace", lambda: view.expand_namespace(node.id))
        else:
            menu.addAction("Add dependency from here…", view.add_dependency_from_selection)
            menu.addAction("Collapse namespace", lambda: view.collapse_namespace(node.namespace))
        menu.addAction(
            "Show only this namespace", lambda: view.set_namespace_filter({node.namespace})
        )
    elif isinstance(item, EdgeItem):
        view.scene.clearSelection()
        item.setSelected(True)
        action = menu.addAction("Remove dependency", view.remove_selected_edge)
        action.setEnabled(view.removable_edge() is not None)
    if view.namespace_filter is not None:
        menu.addAction("Show all namespaces", lambda: view.set_namespace_filter(None))
    menu.addAction("Fit (0)", view.canvas.fit)
    return menu
