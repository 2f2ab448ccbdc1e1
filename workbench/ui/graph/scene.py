"""The dependency graph as a QGraphicsScene: namespace boxes, workload nodes, styled edges.

Edges are drawn by evidence (solid for env/ConfigMap, dashed for NetworkPolicy, width by
requests/s for Kiali/Prometheus, bold for manual, width by call count between namespaces),
each ending in an arrow at the callee. Focusing a node highlights its callers and callees
and dims the rest. Positions come from a :class:`GraphLayout`; edits of the dependencies
only add, remove or restyle edge items (:meth:`DependencyScene.sync_edges`).
"""

from __future__ import annotations

import math
from collections.abc import Generator

from PySide6.QtCore import QPointF, QRectF, Signal
from PySide6.QtWidgets import QGraphicsScene, QWidget

from workbench.ops.graph_layout import GraphEdge, GraphLayout, GraphNode, run_to_end
from workbench.ops.graph_routes import LayoutRoutes
from workbench.ui.graph.edge_item import BEND, CROWDED, EdgeItem, bend_point
from workbench.ui.graph.node_items import GroupItem, NodeItem
from workbench.ui.graph.style import EdgeState, GraphStyle, NodeState

SLICE = 40  # items built between two pauses of a sliced build
_NOWHERE = QPointF(-1e9, -1e9)  # a point no item covers


class DependencyScene(QGraphicsScene):
    """Items for one layout; knows each node's callers and callees for highlighting."""

    expand_requested = Signal(str)  # namespace key
    collapse_requested = Signal(str)  # namespace key

    def __init__(self, style: GraphStyle, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.graph_style = style
        self.setBackgroundBrush(style.background)
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self.graph_layout: GraphLayout | None = None
        self.nodes: dict[str, NodeItem] = {}
        self.groups: dict[str, GroupItem] = {}
        self.routes: LayoutRoutes | None = None
        self.edges: dict[tuple[str, str], EdgeItem] = {}
        self.focus_id: str | None = None

    # -- building -----------------------------------------------------------------------
    def show_layout(self, layout: GraphLayout, routes: LayoutRoutes | None = None) -> None:
        """Items for ``layout``; ``routes`` made on the worker saves routing here."""
        run_to_end(self.build(layout, routes))

    def build(
        self, layout: GraphLayout, routes: LayoutRoutes | None = None
    ) -> Generator[None, None, None]:
        """:meth:`show_layout` in slices: pauses (yields) after every few items, so a
        window can build a large graph over several turns of its event loop. The items
        of the graph before go first (quietly: no selection change is announced)."""
        quiet = self.blockSignals(True)
        self.clearSelection()
        old = [*self.edges.values(), *self.nodes.values(), *self.groups.values()]
        self.nodes, self.groups, self.edges = {}, {}, {}
        self.blockSignals(quiet)
        self.graph_layout = layout
        self.routes = routes if routes is not None else LayoutRoutes(layout)
        self.focus_id = None
        # taking an item out of the tree index costs as much as the item spans (a long
        # edge: much of the tree); out of a plain list, next to nothing
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        while old:
            yield
            for _ in range(min(8 * SLICE, len(old))):
                self.removeItem(old.pop())  # and deleted, as the last reference goes
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        margin = 40.0
        self.setSceneRect(
            QRectF(-margin, -margin, layout.width + 2 * margin, layout.height + 2 * margin)
        )
        items = len(layout.groups) + len(layout.nodes) + len(layout.edges)
        self.setBspTreeDepth(max(5, math.ceil(math.log2(max(items, 1)))))  # as Qt would
        for i, group in enumerate(layout.groups.values()):
            if i % SLICE == 0:
                self._index_now()
                yield
            item = GroupItem(group, self.graph_style)
            self.addItem(item)
            self.groups[group.id] = item
        for i, node in enumerate(layout.nodes.values()):
            if i % SLICE == 0:
                self._index_now()
                yield
            node_item = NodeItem(node, self.graph_style)
            self.addItem(node_item)
            self.nodes[node.id] = node_item
        yield from self.edit_edges(layout.edges)

    def _index_now(self) -> None:
        """Put the items added so far into the scene's index. Qt indexes new items when
        the index is next asked, all at once: for a large graph that would be a long
        pause at its first paint; a fixed tree depth keeps it from being rebuilt."""
        self.items(_NOWHERE)

    def sync_edges(self, edges: tuple[GraphEdge, ...]) -> None:
        """Make the edge items match ``edges``: add, remove and restyle only what differs."""
        run_to_end(self.edit_edges(edges))

    def edit_edges(self, edges: tuple[GraphEdge, ...]) -> Generator[None, None, None]:
        """:meth:`sync_edges` in slices, pausing (yielding) after every few edges."""
        wanted = {
            (e.source, e.target): e
            for e in edges
            if e.source in self.nodes and e.target in self.nodes
        }
        for key in [k for k in self.edges if k not in wanted]:
            self.removeItem(self.edges.pop(key))
        for i, (key, edge) in enumerate(wanted.items()):
            if i % SLICE == 0:
                self._index_now()
                yield
            item = self.edges.get(key)
            if item is None:
                self.edges[key] = self._edge_item(edge)
            elif item.edge != edge:
                item.restyle(edge)
        crowded = len(self.edges) >= CROWDED
        for item in self.edges.values():
            item.crowded = crowded
        self.set_focus(self.focus_id if self.focus_id in self.nodes else None)

    def _edge_item(self, edge: GraphEdge) -> EdgeItem:
        source, target = self.nodes[edge.source].node, self.nodes[edge.target].node
        a, b = source.centre, target.centre
        route = self.routes.route(source, target) if self.routes else [a, b]
        bend = BEND
        curve = bend_point(a, b)
        if len(route) == 2 and not self._clear(source, target, curve):
            bend = 0.0  # a curve that would cut a box or a workload goes straight
        item = EdgeItem(
            edge,
            QRectF(source.x, source.y, source.width, source.height),
            QRectF(target.x, target.y, target.width, target.height),
            self.graph_style,
            route[1:-1],
            bend,
        )
        self.addItem(item)
        return item

    def restyle(self) -> None:
        """Take the style's colours again (after a palette change)."""
        self.setBackgroundBrush(self.graph_style.background)
        for edge in self.edges.values():
            edge.restyle(edge.edge)
        self.update()

    def _clear(self, source: GraphNode, target: GraphNode, control: tuple[float, float]) -> bool:
        return self.routes is None or self.routes.curve_clear(source, target, control)

    # -- highlighting -----------------------------------------------------------------
    def neighbours(self, node_id: str) -> tuple[set[str], set[str]]:
        """(callers, callees) of a node among the drawn edges."""
        callers = {s for (s, t) in self.edges if t == node_id}
        callees = {t for (s, t) in self.edges if s == node_id}
        return callers, callees

    def set_focus(self, node_id: str | None) -> None:
        """Highlight a node's callers and callees and dim the rest; None shows all."""
        self.focus_id = node_id
        if node_id is None:
            for node in self.nodes.values():
                node.set_state(NodeState.NORMAL)
            for edge in self.edges.values():
                edge.set_state(EdgeState.NORMAL)
            for group in self.groups.values():
                group.set_highlighted(False)
            return
        callers, callees = self.neighbours(node_id)
        for key, node in self.nodes.items():
            if key == node_id:
                state = NodeState.FOCUS
            elif key in callers and key in callees:
                state = NodeState.BOTH
            elif key in callers:
                state = NodeState.CALLER
            elif key in callees:
                state = NodeState.CALLEE
            else:
                state = NodeState.DIMMED
            node.set_state(state)
        for (s, t), edge in self.edges.items():
            if t == node_id:
                edge.set_state(EdgeState.INCOMING)
            elif s == node_id:
                edge.set_state(EdgeState.OUTGOING)
            else:
                edge.set_state(EdgeState.DIMMED)
        for group in self.groups.values():
            group.set_highlighted(group.graph_group.id == node_id)

    def hover_edge(self, key: tuple[str, str] | None) -> None:
        """Highlight an edge's caller and callee while the pointer is on it."""
        if key is None or key not in self.edges:
            selected = self.selected_edges()
            if len(selected) == 1:
                self._show_ends(selected[0].key)
            else:
                self.set_focus(self.focus_id if self.focus_id in self.nodes else None)
            return
        self._show_ends(key)

    def _show_ends(self, key: tuple[str, str]) -> None:
        source, target = key
        for node_id, node in self.nodes.items():
            if node_id == source:
                node.set_state(NodeState.CALLER)
            elif node_id == target:
                node.set_state(NodeState.CALLEE)
            else:
                node.set_state(NodeState.DIMMED)
        for edge_key, edge in self.edges.items():
            edge.set_state(EdgeState.OUTGOING if edge_key == key else EdgeState.DIMMED)

    def highlighted(self) -> tuple[set[str], set[str]]:
        """The nodes drawn as callers and as callees of the focus (BOTH counts as each)."""
        callers = {
            k for k, n in self.nodes.items() if n.state in (NodeState.CALLER, NodeState.BOTH)
        }
        callees = {
            k for k, n in self.nodes.items() if n.state in (NodeState.CALLEE, NodeState.BOTH)
        }
        return callers, callees

    def mark_callers_unknown(self, workload_keys: set[str]) -> None:
        """Outline the nodes showing a workload whose callers are unknown."""
        layout = self.graph_layout
        if layout is None:
            return
        marked = {layout.node_of.get(k) for k in workload_keys}
        for node_id, item in self.nodes.items():
            item.set_callers_unknown(node_id in marked)

    def set_matches(self, node_ids: set[str]) -> None:
        for key, node in self.nodes.items():
            node.set_matched(key in node_ids)

    # -- selection --------------------------------------------------------------------
    def selected_nodes(self) -> list[NodeItem]:
        return [i for i in self.selectedItems() if isinstance(i, NodeItem)]

    def selected_edges(self) -> list[EdgeItem]:
        return [i for i in self.selectedItems() if isinstance(i, EdgeItem)]

    def show_edge_selection(self) -> None:
        """Draw the selected edges as selected (call when the selection changes)."""
        edges = self.selected_edges()
        chosen = set(map(id, edges))
        for item in self.edges.values():
            item.set_selected_look(id(item) in chosen)
        if len(edges) == 1 and not self.selected_nodes():
            self._show_ends(edges[0].key)
