"""The dependency graph's way from the plan to the screen, without holding up the window.

1. The plan's workloads and edges are read into a :class:`GraphInput` snapshot, with
   their label widths, a slice per turn of the event loop (:class:`SlicedJob`).
2. The snapshot is laid out off the UI thread (:class:`LayoutRunner`: in a worker
   process when the graph is large).
3. The layout's items are made in the scene, again a slice per turn.
4. Which workloads have unknown callers is read once per revision of the plan's
   inventory and dependencies, on a background thread (:class:`UnknownCallers`).

:attr:`GraphFeed.ready` hands over a layout whose scene is whole and marked. A newer
request makes what is under way stale: a layout arriving while the plan is read again
is dropped, the build of a superseded layout gives way to the next one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Generator
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from workbench.ops.graph_layout import (
    GraphInput,
    LayoutOptions,
    edge_refs,
    namespace_counts,
    read_graph_input,
    visible_edges,
)
from workbench.ui.document import PlanDocument
from workbench.ui.graph.caller_marks import UnknownCallers
from workbench.ui.graph.layout_job import LayoutResult, LayoutRunner
from workbench.ui.graph.scene import DependencyScene
from workbench.ui.graph.style import GraphStyle, label_widths
from workbench.ui.sliced_job import SlicedJob

Read = tuple[GraphInput, dict[str, float]]


class GraphFeed(QObject):
    """Reads, lays out and builds the graph of ``document`` into ``scene``."""

    read = Signal()  # a new snapshot of the plan is in :attr:`graph`: lay it out
    building = Signal()  # a layout's items are being made: the scene is not whole
    ready = Signal(object)  # the LayoutResult whose scene is whole and marked

    def __init__(
        self,
        document: PlanDocument,
        scene: DependencyScene,
        style: GraphStyle,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.scene = scene
        self.style = style
        self.runner = LayoutRunner(self)
        self.callers = UnknownCallers(document, self)
        self.graph = GraphInput((), ())
        self.counts: dict[str, int] = {}  # workloads per namespace of :attr:`graph`
        self.label_widths: dict[str, float] = {}
        self._plain_widths: dict[str, float] = {}  # every workload name measured so far
        self._reading: SlicedJob[Any] = SlicedJob(parent=self)
        self._building: SlicedJob[Any] = SlicedJob(parent=self)
        self._built: tuple[LayoutResult, int] | None = None  # waiting for the marks
        self._handing = QTimer(self)  # hands a built scene over in a turn of its own,
        self._handing.setSingleShot(True)  # not in the one that made its last items
        self._handing.setInterval(0)
        self._handing.timeout.connect(self._hand_over)
        self._edits = 0  # edits of the dependencies
        self._asked_at = 0  # ... made before the latest layout was asked for
        self.runner.finished.connect(self._on_layout)
        self.callers.ready.connect(self._on_callers)
        self.callers.cancelled.connect(self._on_callers_cancelled)

    @property
    def running(self) -> bool:
        """A new graph is on its way: the plan being read, laid out or built."""
        return self._reading.running or self.runner.running or self._building.running

    @property
    def reading(self) -> bool:
        return self._reading.running

    def read_plan(self) -> None:
        """Read the plan again (:attr:`read` says when it is done)."""
        self.callers.ask()
        self._reading.start(self._read(), self._on_read)

    def plan_changed(self) -> None:
        """The plan's inventory changed, or the plan is another: marks are read anew."""
        self.callers.plan_changed()

    def drop(self) -> None:
        """Stop what is under way (it is for a plan that has been replaced)."""
        self._reading.cancel()
        self._building.cancel()
        self._built = None
        self._handing.stop()
        self.runner.discard()

    def lay_out(self, options: LayoutOptions) -> bool:
        """Lay the snapshot out for ``options`` (with the measured label widths); False
        while the plan is being read: then :attr:`read` is the time to ask."""
        if self._reading.running:
            return False
        self._asked_at = self._edits
        self.runner.start(self.graph, dataclasses.replace(options, label_widths=self.label_widths))
        return True

    def dependencies_changed(self) -> None:
        """Take the plan's edges again; the edge items on screen follow at once."""
        self._edits += 1
        self.callers.plan_changed()
        self.callers.ask()
        self.graph = GraphInput(self.graph.workloads, edge_refs(self.document.plan))
        layout = self.scene.graph_layout
        if layout is not None and not self._building.running:
            self.scene.sync_edges(visible_edges(self.graph.edges, layout.node_of))

    def shutdown(self) -> None:
        self._reading.cancel()
        self._building.cancel()
        self.runner.shutdown()

    def _read(self) -> Generator[None, None, Read]:
        graph = yield from read_graph_input(self.document.plan)
        widths = yield from label_widths(self.style, graph, self._plain_widths)
        return graph, widths

    def _on_read(self, read: Read) -> None:
        self.graph, self.label_widths = read
        self.counts = namespace_counts(self.graph)
        self.read.emit()

    def _on_layout(self, result: LayoutResult) -> None:
        if self._reading.running:
            return  # the plan is being read again: a newer layout follows
        asked_at = self._asked_at
        self._built = None
        self.building.emit()
        self._building.start(
            self.scene.build(result.layout, result.routes),
            lambda _none: self._on_built(result, asked_at),
        )

    def _on_built(self, result: LayoutResult, asked_at: int) -> None:
        self._built = (result, asked_at)
        if self.callers.current:
            self._handing.start()
        else:
            self.callers.ask()  # handed over when the answer arrives

    def _on_callers(self) -> None:
        if self._building.running:
            return  # marked when the scene is whole
        if self._built is not None:
            self._hand_over()
        elif self.scene.graph_layout is not None:
            self.scene.mark_callers_unknown(self.callers.keys)

    def _on_callers_cancelled(self) -> None:
        if self._built is not None:
            self.callers.ask()  # a built scene waits for its marks: read them again

    def _hand_over(self) -> None:
        if self._built is None or self._building.running:
            return  # a newer layout is on its way
        result, asked_at = self._built
        self._built = None
        self.scene.mark_callers_unknown(self.callers.keys)
        if asked_at != self._edits:  # edges edited while it was laid out or built
            self.scene.sync_edges(visible_edges(self.graph.edges, result.layout.node_of))
        self.ready.emit(result)
