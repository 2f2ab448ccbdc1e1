"""The dependency graph's layout as one job: boxes placed, then every edge routed.

:func:`lay_out_graph` is the use case; it takes only the small :class:`GraphInput`
snapshot and the :class:`LayoutOptions`, so it runs as well in a worker process
(:data:`workbench.ops.background.usecases.GRAPH_LAYOUT`) as on a thread of the window.
:func:`wants_a_worker` says which: a large layout (many nodes to place, or many edges
to route around the boxes) takes a worker process, which keeps the window's interpreter
free however long it runs and is stopped outright on Cancel; a small one (the
150-workload sample, a large estate collapsed to namespaces) is quicker done at once
than a process could be started and sent its input.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass

from workbench.domain.jobs import CancelToken, Progress, no_progress
from workbench.io.collector import collector_paused
from workbench.ops.graph_layout import (
    GraphInput,
    GraphLayout,
    LayoutOptions,
    compute_layout,
    placement,
)
from workbench.ops.graph_routes import MAX_EDGES, LayoutRoutes

WORKER_NODES = 1000  # nodes to place above which the layout runs in a worker process
WORKER_EDGES = 300  # ... or edges to route around boxes (routing stops past MAX_EDGES)


@dataclass(frozen=True, slots=True)
class LaidOutGraph:
    """A layout with its edge routes, and where and how long it was computed."""

    layout: GraphLayout
    routes: LayoutRoutes
    seconds: float
    process_id: int
    thread_id: int


def lay_out_graph(
    graph: GraphInput,
    options: LayoutOptions,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> LaidOutGraph:
    """Lay ``graph`` out for ``options`` and route its edges around the boxes."""
    token = cancel or CancelToken()
    started = time.perf_counter()
    with collector_paused():  # many small objects, no cycles (see io.collector)
        layout = compute_layout(graph, options, progress, token)
        progress(1.0, "Routing edges around the boxes")
        routes = LayoutRoutes(layout)
        routes.precompute(lambda: token.check("the graph layout"))
    seconds = time.perf_counter() - started
    return LaidOutGraph(layout, routes, seconds, os.getpid(), threading.get_ident())


def layout_size(graph: GraphInput, options: LayoutOptions) -> tuple[int, int]:
    """The nodes a layout for ``options`` places and the edges it draws between them."""
    _members, _collapsed, node_of = placement(graph, options)
    pairs: set[tuple[str, str]] = set()
    for ref in graph.edges:
        source, target = node_of.get(ref.caller), node_of.get(ref.callee)
        if source is not None and target is not None and source != target:
            pairs.add((source, target))
    return len(set(node_of.values())), len(pairs)


def wants_a_worker(graph: GraphInput, options: LayoutOptions) -> bool:
    """Whether the layout is large enough to be worth a worker process."""
    nodes, edges = layout_size(graph, options)
    return nodes > WORKER_NODES or WORKER_EDGES < edges <= MAX_EDGES
