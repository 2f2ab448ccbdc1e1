"""Editing the dependencies from the graph: add an edge by hand, remove the selected one.

Both are undoable commands on the plan document; a refused edit is reported in a dialog,
never raised. Mixed into :class:`~workbench.ui.graph.view.DependencyView`.
"""

from __future__ import annotations

from workbench.domain.commands import AddDependency, RemoveDependency
from workbench.domain.dependencies import Edge, Evidence
from workbench.domain.errors import WorkbenchError
from workbench.ui.document import PlanDocument
from workbench.ui.graph.edge_item import EdgeItem
from workbench.ui.graph.scene import DependencyScene

MANUAL_DETAIL = "added by hand in the dependency view"


class DependencyEdits:
    """Add and remove dependencies; expects the view's document, scene and status."""

    document: PlanDocument
    scene: DependencyScene
    _picked: list[str]
    _connect_from: str | None

    def _is_workload(self, node_id: str) -> bool:
        item = self.scene.nodes.get(node_id)
        return item is not None and not item.is_namespace

    def _say(self, text: str) -> None:
        raise NotImplementedError

    def _complain(self, title: str, message: str) -> None:
        raise NotImplementedError

    def _update_status(self) -> None:
        raise NotImplementedError

    def add_dependency(self, caller: str, callee: str) -> bool:
        """Record that ``caller`` calls ``callee`` (a manual edge, undoable)."""
        existing = self.document.plan.dependencies.edges.get((caller, callee))
        if existing is not None and existing.manual:
            self._say(f"{caller} already calls {callee}")
            return False
        evidence = [*existing.evidence] if existing is not None else []
        evidence.append(Evidence("manual", MANUAL_DETAIL))
        edge = Edge(caller, callee, evidence, confidence=1.0, manual=True)
        if existing is not None:
            edge.via_service = existing.via_service
            edge.requests_per_second = existing.requests_per_second
        try:
            self.document.execute(AddDependency(edge))
        except WorkbenchError as error:
            self._complain("Add dependency", str(error))
            return False
        return True

    def add_dependency_from_selection(self) -> None:
        """Two workloads selected: the first calls the second. One: pick the callee next."""
        workloads = [k for k in self._picked if self._is_workload(k)]
        if len(workloads) == 2:
            self.add_dependency(workloads[0], workloads[1])
        elif len(workloads) == 1:
            self._connect_from = workloads[0]
            self._say(f"Click the workload that {workloads[0]} calls (Esc cancels)")

    def _cancel_connect(self) -> None:
        if self._connect_from is not None:
            self._connect_from = None
            self._update_status()

    def removable_edge(self) -> EdgeItem | None:
        edges = self.scene.selected_edges()
        if len(edges) != 1:
            return None
        edge = edges[0].edge
        if (edge.source, edge.target) not in self.document.plan.dependencies.edges:
            return None  # an edge between namespaces stands for several
        return edges[0]

    def remove_selected_edge(self) -> bool:
        item = self.removable_edge()
        if item is None:
            return False
        try:
            self.document.execute(RemoveDependency(item.edge.source, item.edge.target))
        except WorkbenchError as error:
            self._complain("Remove dependency", str(error))
            return False
        return True
