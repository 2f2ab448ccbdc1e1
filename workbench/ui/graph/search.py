"""Finding workloads in the dependency graph: matches are outlined, Enter selects the next.

Mixed into :class:`~workbench.ui.graph.view.DependencyView`.
"""

from __future__ import annotations

from workbench.ops.graph_layout import GraphInput
from workbench.ui.graph.scene import DependencyScene


class GraphSearch:
    """The find box's behaviour; expects the view's graph, scene and selection."""

    scene: DependencyScene
    _matches: list[str]

    @property
    def graph_input(self) -> GraphInput:
        raise NotImplementedError

    _picked: list[str]

    def _say(self, text: str) -> None:
        raise NotImplementedError

    def select_node(self, node_id: str, *, add: bool = False, centre: bool = True) -> None:
        raise NotImplementedError

    def _on_search(self, text: str) -> None:
        needle = text.strip().lower()
        layout = self.scene.graph_layout
        if not needle or layout is None:
            self._matches = []
            self.scene.set_matches(set())
            return
        found = {
            layout.node_of[w.key]
            for w in self.graph_input.workloads
            if w.key in layout.node_of and (needle in w.name.lower() or needle in w.namespace)
        }
        self._matches = sorted(found)
        self.scene.set_matches(found)
        self._say(f"{len(found):,} nodes match '{text.strip()}' (Enter: next)")

    def next_match(self) -> None:
        """Select and centre the next node matching the find box."""
        if not self._matches:
            return
        current = self._picked[-1] if self._picked else None
        index = self._matches.index(current) + 1 if current in self._matches else 0
        self.select_node(self._matches[index % len(self._matches)])
