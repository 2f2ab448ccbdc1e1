"""The Dependencies view: who calls whom, as an interactive graph over the open plan.

A toolbar (namespace filter, find box, grouping, zoom, add/remove dependency, export) over
a :class:`GraphCanvas`. The layout is computed off the UI thread; large graphs open
collapsed to namespaces (double-click one to expand it, double-click a namespace box's
title to collapse it). Selecting a workload highlights its callers and callees. Edges
added or removed here are undoable commands on the plan document.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.commands import Change
from workbench.domain.errors import WorkbenchError
from workbench.ops.graph_layout import (
    GraphInput,
    GraphLayout,
    LayoutOptions,
)
from workbench.ui.dialogs import Dialogs
from workbench.ui.document import PlanDocument
from workbench.ui.graph.canvas import GraphCanvas
from workbench.ui.graph.context_menu import show_context_menu
from workbench.ui.graph.edits import DependencyEdits
from workbench.ui.graph.export import ask_export_path, export_graph
from workbench.ui.graph.feed import GraphFeed
from workbench.ui.graph.layout_job import LayoutResult
from workbench.ui.graph.layout_progress import LayoutProgress
from workbench.ui.graph.legend import LegendStrip
from workbench.ui.graph.scene import DependencyScene
from workbench.ui.graph.search import GraphSearch
from workbench.ui.graph.style import GraphStyle
from workbench.ui.graph.toolbar import GraphToolbar
from workbench.ui.lazy_refresh import ReloadWhenShown


class DependencyView(DependencyEdits, GraphSearch, ReloadWhenShown, QWidget):
    """The dependency graph of ``document``'s plan, kept in step with its edits."""

    layout_ready = Signal()  # a new layout is on screen
    selection_changed = Signal(list)  # workload keys, in the order they were selected

    def __init__(
        self,
        document: PlanDocument,
        parent: QWidget | None = None,
        *,
        dialogs: Dialogs | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.dialogs = dialogs or Dialogs()
        self.choose_export_path: Callable[[str], str | None] = partial(
            ask_export_path, self, document
        )
        self.graph_style = GraphStyle(self.font(), self.palette())
        self.scene = DependencyScene(self.graph_style, self)
        self.canvas = GraphCanvas(self.scene, self)
        self.legend = LegendStrip(self.graph_style, self)
        self.feed = GraphFeed(document, self.scene, self.graph_style, self)
        self.runner = self.feed.runner
        self.last_result: LayoutResult | None = None
        self._shown: frozenset[str] | None = None  # namespace filter; None: all
        self._collapse: bool | None = None  # None: by size
        self._expanded: frozenset[str] = frozenset()
        self._folded: frozenset[str] = frozenset()
        self._picked: list[str] = []
        self._connect_from: str | None = None
        self._fit_next = True
        self._zoom_to: str | None = None
        self._matches: list[str] = []
        self._char_width = QFontMetricsF(self.graph_style.font).averageCharWidth() * 1.05
        State = tuple[frozenset[str] | None, bool | None, frozenset[str], frozenset[str]]
        self._drawn: State | None = None  # filter and grouping of the graph on screen

        self.toolbar = GraphToolbar(self)
        self.checklist = self.toolbar.checklist
        self.namespace_button = self.toolbar.namespace_button
        self.search = self.toolbar.search
        self.group_action = self.toolbar.group_action
        self.add_action = self.toolbar.add_action
        self.remove_action = self.toolbar.remove_action
        self.status = QLabel(self)
        self.status.setWordWrap(True)  # a narrow window wraps the counts beside the legend
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Minimum)
        self.status.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.status.setMinimumWidth(120)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(6, 2, 8, 2)
        bottom.addWidget(self.legend)
        bottom.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.canvas, 1)
        layout.addLayout(bottom)

        self._connect_toolbar()
        self.feed.read.connect(self._on_read)
        self.feed.building.connect(self._hold_canvas)
        self.feed.ready.connect(self._show)
        self.runner.failed.connect(self._on_layout_failed)
        self.runner.cancelled.connect(self._on_layout_cancelled)
        self.progress_panel = LayoutProgress(self.runner, self.canvas)
        self.scene.selectionChanged.connect(self._on_selection)
        self.scene.expand_requested.connect(self.expand_namespace)
        self.scene.collapse_requested.connect(self.collapse_namespace)
        self.canvas.delete_pressed.connect(self.remove_selected_edge)
        self.canvas.escape_pressed.connect(self._on_escape)
        self.canvas.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.canvas.customContextMenuRequested.connect(partial(show_context_menu, self))
        document.changed.connect(self._on_changed)
        document.replaced.connect(self._on_replaced)
        self.refresh()

    def _connect_toolbar(self) -> None:
        bar = self.toolbar
        self.checklist.selection_changed.connect(self.set_namespace_filter)
        self.search.textChanged.connect(self._on_search)
        self.search.returnPressed.connect(self.next_match)
        bar.group_action.triggered.connect(lambda on: self.set_grouping(bool(on)))
        bar.relayout_action.triggered.connect(self.refresh)
        bar.zoom_in_action.triggered.connect(self.canvas.zoom_in)
        bar.zoom_out_action.triggered.connect(self.canvas.zoom_out)
        bar.fit_action.triggered.connect(lambda: self.canvas.fit())
        bar.add_action.triggered.connect(self.add_dependency_from_selection)
        bar.remove_action.triggered.connect(self.remove_selected_edge)
        bar.export_requested.connect(self._export_interactive)

    # -- feeding ----------------------------------------------------------------------
    @property
    def graph_layout(self) -> GraphLayout | None:
        return self.scene.graph_layout

    @property
    def namespace_filter(self) -> frozenset[str] | None:
        """The namespaces shown; None when all are."""
        return self._shown

    @property
    def graph_input(self) -> GraphInput:
        """The snapshot of the plan the graph is drawn from."""
        return self.feed.graph

    @property
    def layout_running(self) -> bool:
        """A new graph is on its way: the plan being read, laid out or drawn."""
        return self.feed.running

    def reload(self) -> None:
        self.feed.plan_changed()
        self.refresh()

    def _on_replaced(self) -> None:
        """Another plan: what is under way for the one before is dropped."""
        self.feed.drop()
        self.reload_when_shown()

    def refresh(self) -> None:
        """Re-read the plan and lay the graph out again (see :mod:`.feed`: nothing of it
        holds up the window); the graph shown before stays until the new one is whole."""
        self._fit_next = True
        self.feed.read_plan()
        count = len(self.document.plan.inventory.workloads)
        self.status.setText(f"Reading {count:,} workloads…")

    def _on_read(self) -> None:
        counts = self.feed.counts
        if self._shown is not None:
            self._shown = frozenset(k for k in self._shown if k in counts)
        self.checklist.set_namespaces(counts, self._shown)
        self._relayout()

    def _relayout(self) -> None:
        options = LayoutOptions(
            namespaces=self._shown,
            collapse=self._collapse,
            expanded=self._expanded,
            folded=self._folded,
            char_width=self._char_width,
        )
        if self.feed.lay_out(options):  # else laid out with these when the plan is read
            count = len(self.feed.graph.workloads)
            self.status.setText(f"Laying out {count:,} workloads…")

    def _hold_canvas(self) -> None:
        """While a layout's items are made, the canvas keeps the graph before on screen."""
        self.canvas.setInteractive(False)
        self.canvas.viewport().setUpdatesEnabled(False)

    def _show(self, result: LayoutResult) -> None:
        """The built scene of ``result`` goes on screen."""
        self.last_result = result
        layout = result.layout
        asked = layout.options
        self._drawn = (asked.namespaces, asked.collapse, asked.expanded, asked.folded)
        picked = list(self._picked)
        self.scene.blockSignals(True)
        for key in picked:
            if key in self.scene.nodes:
                self.scene.nodes[key].setSelected(True)
        self.scene.blockSignals(False)
        self._picked = [k for k in picked if k in self.scene.nodes]
        self.scene.set_focus(self._picked[-1] if self._picked else None)
        self.group_action.setChecked(bool(layout.collapsed))
        self.legend.set_collapsed(bool(layout.collapsed))
        self._on_search(self.search.text())
        self._update_status()
        self._update_actions()
        rows = self.layout()
        if rows is not None:
            rows.activate()  # the legend and counts take their room before the paint
        self.canvas.viewport().setUpdatesEnabled(True)
        self.canvas.setInteractive(True)
        if self._zoom_to is not None and self._zoom_to in self.scene.groups:
            self.canvas.fit(self.scene.groups[self._zoom_to].sceneBoundingRect(), 1.0)
        elif self._fit_next:
            self.canvas.fit()
        self._zoom_to = None
        self._fit_next = False
        self.layout_ready.emit()

    def _on_escape(self) -> None:
        if not self.runner.cancel():
            self._cancel_connect()

    def _on_layout_cancelled(self) -> None:
        """Go back to the filter and grouping of the graph on screen."""
        if self._drawn is None:
            self.status.setText("Layout cancelled: Re-layout draws the graph")
            return
        self._shown, self._collapse, self._expanded, self._folded = self._drawn
        counts = self.feed.counts
        if self.checklist.checked() != self._shown:
            self.checklist.set_namespaces(counts, self._shown)
        self._update_status()
        self.status.setText("Layout cancelled: " + self.status.text())

    def _on_layout_failed(self, message: str) -> None:
        self.status.setText(message)
        self.dialogs.error(self, "Dependencies", message)

    def _on_changed(self, change: Change) -> None:
        if self.plan_stale:
            return  # rebuilt from the plan when next shown
        if "inventory" in change.areas or ("dependencies" in change.areas and self.feed.reading):
            self.reload()
            return
        if "dependencies" in change.areas:
            self.feed.dependencies_changed()
            self._update_status()
            self._update_actions()

    def _update_status(self) -> None:
        layout = self.scene.graph_layout
        if layout is None:
            return
        spaces = len(layout.groups) + sum(1 for n in layout.nodes.values() if n.kind == "namespace")
        text = f"{layout.workload_count:,} workloads · {spaces:,} namespaces"
        if layout.collapsed:
            text += f" ({len(layout.collapsed):,} collapsed)"
        text += f" · {len(self.scene.edges):,} edges"
        self.status.setText(text)
        hint = "Double-click a namespace to expand it" if layout.collapsed else ""
        self.status.setToolTip(hint)
        total = len(self.feed.counts)
        shown = total if self._shown is None else len(self._shown)
        self.namespace_button.setText(f"Namespaces ({shown}/{total})")

    # -- filters and grouping -------------------------------------------------------------
    def set_namespace_filter(self, namespaces: frozenset[str] | set[str] | None) -> None:
        """Show only these namespace keys (None: all of them) and lay out again."""
        shown = None if namespaces is None else frozenset(namespaces)
        if shown == self._shown:
            return
        self._shown = shown
        counts = self.feed.counts
        if self.checklist.checked() != shown:
            self.checklist.set_namespaces(counts, shown)
        self._fit_next = True
        self._relayout()

    def set_grouping(self, collapse: bool | None) -> None:
        """Collapse every namespace (True), none (False) or by size (None)."""
        self._collapse = collapse
        self._expanded = self._folded = frozenset()
        self._fit_next = True
        self._relayout()

    def expand_namespace(self, namespace: str) -> None:
        self._expanded |= {namespace}
        self._folded -= {namespace}
        self._zoom_to = namespace
        self._relayout()

    def collapse_namespace(self, namespace: str) -> None:
        self._folded |= {namespace}
        self._expanded -= {namespace}
        self._relayout()

    # -- selection and highlighting -------------------------------------------------------
    def select_node(self, node_id: str, *, add: bool = False, centre: bool = True) -> None:
        """Select a node (keeping the others when ``add``), as a click would."""
        item = self.scene.nodes[node_id]
        if not add:
            self.scene.clearSelection()
        item.setSelected(True)
        if centre:
            self.canvas.centerOn(item)

    def follow_key(self, key: str) -> None:
        """Select the workload another view selected, when the graph shows it."""
        if key in self.scene.nodes and self._is_workload(key) and self._picked != [key]:
            self.select_node(key)

    def clear_filter(self) -> None:
        self.search.clear()

    def highlighted(self) -> tuple[set[str], set[str]]:
        """The node ids drawn as callers and as callees of the selected node."""
        return self.scene.highlighted()

    def _on_selection(self) -> None:
        chosen = {item.node.id for item in self.scene.selected_nodes()}
        self._picked = [k for k in self._picked if k in chosen] + sorted(chosen - set(self._picked))
        self.scene.set_focus(self._picked[-1] if self._picked else None)
        self.scene.show_edge_selection()  # a lone selected edge lights its two ends
        if self._connect_from is not None and len(self._picked) == 1:
            callee = self._picked[0]
            if callee != self._connect_from and self._is_workload(callee):
                caller, self._connect_from = self._connect_from, None
                self.add_dependency(caller, callee)
        self._update_actions()
        self.selection_changed.emit([k for k in self._picked if self._is_workload(k)])

    def _say(self, text: str) -> None:
        self.status.setText(text)

    def _complain(self, title: str, message: str) -> None:
        self.dialogs.error(self, title, message)

    def _update_actions(self) -> None:
        workloads = [k for k in self._picked if self._is_workload(k)]
        self.add_action.setEnabled(len(workloads) in (1, 2))
        self.remove_action.setEnabled(self.removable_edge() is not None)

    # -- export ---------------------------------------------------------------------------
    def export(self, fmt: str, path: str | Path) -> Path:
        """Write the graph as ``png``, ``svg`` or ``dot``; raises a WorkbenchError."""
        return export_graph(self.scene, fmt, path, f"Dependencies · {self.document.display_name}")

    def _export_interactive(self, fmt: str) -> None:
        path = self.choose_export_path(fmt)
        if not path:
            return
        try:
            written = self.export(fmt, path)
        except WorkbenchError as error:
            self.dialogs.error(self, "Export graph", str(error))
            return
        self.status.setText(f"Exported the graph to {written}")

    # -- theme ------------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        """Follow the application's palette (light or dark) in the canvas and legend."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.graph_style.set_palette(self.palette())
            self.scene.restyle()
            self.legend.update()

    # -- lifetime -------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop a running layout; call before the view goes away."""
        self.feed.shutdown()
