"""Where each box of the dependency graph goes: a deterministic, strictly layered layout.

Callers stand left of their callees: every edge outside a cycle runs left to right, and
workloads are grouped in one box per namespace without breaking that (see
:mod:`workbench.ops.graph_packing`). A graph with many workloads (more than
:data:`COLLAPSE_THRESHOLD` after filtering) is collapsed to one node per namespace, whose
edges count the calls between namespaces, and any namespace can be expanded back to its
workloads.

The layout runs off the UI thread: it works on a :class:`GraphInput` snapshot taken from
the plan, reports progress and honours a :class:`CancelToken`.
"""

from __future__ import annotations

import math
from collections.abc import Generator, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

import networkx as nx

from workbench.domain.dependencies import Edge
from workbench.domain.jobs import CancelToken, Progress, no_progress
from workbench.domain.plan import Plan
from workbench.ops.graph_packing import Size, Spacing, layered_layout

T = TypeVar("T")
COLLAPSE_THRESHOLD = 800  # visible workloads above which namespaces start collapsed

# Edge styles, strongest first: an edge with several kinds of evidence takes the first.
EDGE_STYLES = ("manual", "traffic", "static", "listed", "policy", "aggregate")
_STYLE_OF_KIND = {
    "kiali": "traffic",
    "prometheus": "traffic",
    "hubble": "traffic",
    "otlp": "traffic",
    "jaeger": "traffic",
    "zipkin": "traffic",
    "flowlog": "traffic",
    "env": "static",
    "configmap": "static",
    "csv": "listed",
    "networkpolicy": "policy",
}

NODE_HEIGHT = 22.0
NAMESPACE_HEIGHT = 40.0
GROUP_HEADER = 24.0
GROUP_PAD = 10.0
_NODE_PAD = 18.0
_MAX_LABEL_CHARS = 34


@dataclass(frozen=True, slots=True)
class WorkloadRef:
    key: str
    namespace: str  # namespace key cluster/namespace
    name: str
    kind: str


@dataclass(frozen=True, slots=True)
class EdgeRef:
    caller: str
    callee: str
    kinds: tuple[str, ...]
    manual: bool = False
    requests_per_second: float | None = None


@dataclass(frozen=True, slots=True)
class GraphInput:
    """What the layout needs from a plan, copied so another thread can read it safely."""

    workloads: tuple[WorkloadRef, ...]
    edges: tuple[EdgeRef, ...]


@dataclass(frozen=True, slots=True)
class LayoutOptions:
    namespaces: frozenset[str] | None = None  # None: every namespace
    collapse: bool | None = None  # None: collapse when larger than the threshold
    expanded: frozenset[str] = frozenset()  # namespaces shown as workloads while collapsed
    folded: frozenset[str] = frozenset()  # namespaces shown as one node while expanded
    threshold: int = COLLAPSE_THRESHOLD
    char_width: float = 7.0  # average label character width, in scene units
    label_widths: Mapping[str, float] | None = None  # measured label widths, when known
    aspect: float = 1.6  # width / height of the page the layout should fill


@dataclass(frozen=True, slots=True)
class GraphNode:
    id: str  # workload key, or namespace key for a collapsed namespace
    kind: str  # "workload" | "namespace"
    label: str
    sublabel: str
    namespace: str
    x: float  # top-left corner
    y: float
    width: float
    height: float
    members: int = 1  # workloads behind the node

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x + self.width / 2, self.y + self.height / 2)


@dataclass(frozen=True, slots=True)
class GraphGroup:
    """The box of an expanded namespace around its workloads."""

    id: str  # namespace key
    label: str
    x: float
    y: float
    width: float
    height: float
    members: int


@dataclass(frozen=True, slots=True)
class GraphEdge:
    source: str  # node ids
    target: str
    style: str  # one of EDGE_STYLES
    width: float
    count: int = 1  # workload edges behind it
    kinds: tuple[str, ...] = ()
    manual: bool = False
    requests_per_second: float | None = None


@dataclass(frozen=True, slots=True)
class GraphLayout:
    nodes: dict[str, GraphNode]
    groups: dict[str, GraphGroup]
    edges: tuple[GraphEdge, ...]
    node_of: dict[str, str]  # every visible workload key -> the node that shows it
    collapsed: frozenset[str]  # namespaces shown as one node
    width: float
    height: float
    options: LayoutOptions = field(default_factory=LayoutOptions)

    @property
    def workload_count(self) -> int:
        return len(self.node_of)


def run_to_end(steps: Generator[None, None, T]) -> T:
    """What a generator written to pause between slices of work returns, run at once."""
    while True:
        try:
            next(steps)
        except StopIteration as done:
            result: T = done.value
            return result


def graph_input(plan: Plan) -> GraphInput:
    """Snapshot the plan's workloads and dependency edges (sorted, so layouts repeat)."""
    return run_to_end(read_graph_input(plan))


def read_graph_input(plan: Plan, chunk: int = 250) -> Generator[None, None, GraphInput]:
    """:func:`graph_input` ``chunk`` workloads or edges at a time, pausing (yielding)
    between chunks so a window can take its snapshot over several turns of its event
    loop; returns the snapshot. The plan must not change until it is done."""
    workloads: list[WorkloadRef] = []
    items = sorted(plan.inventory.workloads.items())
    for start in range(0, len(items), chunk):
        yield
        workloads.extend(
            WorkloadRef(w.key, w.namespace_key, w.name, w.kind)
            for _, w in items[start : start + chunk]
        )
    edges: list[EdgeRef] = []
    found = sorted(plan.dependencies.edges.items())
    for start in range(0, len(found), chunk):
        yield
        edges.extend(_edge_ref(e) for _, e in found[start : start + chunk])
    return GraphInput(tuple(workloads), tuple(edges))


def edge_refs(plan: Plan) -> tuple[EdgeRef, ...]:
    return tuple(_edge_ref(e) for _, e in sorted(plan.dependencies.edges.items()))


def _edge_ref(e: Edge) -> EdgeRef:
    kinds = tuple(sorted({ev.kind for ev in e.evidence}))
    return EdgeRef(e.caller, e.callee, kinds, e.manual, e.requests_per_second)


def namespace_counts(graph: GraphInput) -> dict[str, int]:
    """Workloads per namespace key, in key order."""
    counts: dict[str, int] = {}
    for w in graph.workloads:
        counts[w.namespace] = counts.get(w.namespace, 0) + 1
    return dict(sorted(counts.items()))


def edge_style(kinds: Iterable[str], manual: bool) -> str:
    if manual or "manual" in kinds:
        return "manual"
    styles = {_STYLE_OF_KIND.get(k, "static") for k in kinds} or {"static"}
    return next(s for s in EDGE_STYLES if s in styles)


def edge_width(style: str, count: int = 1, requests_per_second: float | None = None) -> float:
    """Pen width: traffic grows with requests/s, namespace edges with their call count."""
    if style == "manual":
        return 2.8
    if style == "traffic":
        rps = requests_per_second or 0.0
        return round(min(7.0, 1.0 + 1.5 * math.log10(1.0 + rps)), 2)
    if style == "aggregate":
        return round(min(7.0, 1.0 + 1.1 * math.log2(max(count, 1))), 2)
    return 1.3


def visible_edges(edges: Iterable[EdgeRef], node_of: Mapping[str, str]) -> tuple[GraphEdge, ...]:
    """The edges to draw between the nodes that show each workload.

    An edge between two workload nodes keeps its own style; edges landing on a collapsed
    namespace are summed into one ``aggregate`` edge per pair of nodes. Edges inside a
    collapsed namespace and edges to hidden workloads are not drawn.
    """
    single: dict[tuple[str, str], GraphEdge] = {}
    grouped: dict[tuple[str, str], list[EdgeRef]] = {}
    for ref in edges:
        source, target = node_of.get(ref.caller), node_of.get(ref.callee)
        if source is None or target is None or source == target:
            continue
        if source == ref.caller and target == ref.callee:
            style = edge_style(ref.kinds, ref.manual)
            width = edge_width(style, 1, ref.requests_per_second)
            single[(source, target)] = GraphEdge(
                source, target, style, width, 1, ref.kinds, ref.manual, ref.requests_per_second
            )
        else:
            grouped.setdefault((source, target), []).append(ref)
    for (source, target), refs in grouped.items():
        kinds = tuple(sorted({k for r in refs for k in r.kinds}))
        rates = [r.requests_per_second for r in refs if r.requests_per_second is not None]
        single[(source, target)] = GraphEdge(
            source,
            target,
            "aggregate",
            edge_width("aggregate", len(refs)),
            len(refs),
            kinds,
            any(r.manual for r in refs),
            sum(rates) if rates else None,
        )
    return tuple(single[k] for k in sorted(single))


Placement = tuple[dict[str, list[WorkloadRef]], frozenset[str], dict[str, str]]


def placement(graph: GraphInput, options: LayoutOptions) -> Placement:
    """Which workloads ``options`` shows, by namespace; the namespaces drawn as one node
    each; and the node that shows each visible workload (its own, or its namespace's)."""
    members: dict[str, list[WorkloadRef]] = {}
    for w in graph.workloads:
        if options.namespaces is None or w.namespace in options.namespaces:
            members.setdefault(w.namespace, []).append(w)
    visible = sum(len(ws) for ws in members.values())
    collapse_all = options.collapse if options.collapse is not None else visible > options.threshold
    collapsed = frozenset(
        ns
        for ns in members
        if (ns not in options.expanded if collapse_all else ns in options.folded)
    )
    node_of = {w.key: (ns if ns in collapsed else w.key) for ns, ws in members.items() for w in ws}
    return members, collapsed, node_of


def compute_layout(
    graph: GraphInput,
    options: LayoutOptions = LayoutOptions(),
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> GraphLayout:
    """Lay out the graph for ``options``; deterministic for the same input."""
    token = cancel or CancelToken()
    progress(0.0, "Grouping workloads by namespace")
    members, collapsed, node_of = placement(graph, options)
    token.check("the graph layout")

    progress(0.1, "Counting calls")
    edges = visible_edges(graph.edges, node_of)
    weights = {(e.source, e.target): float(e.count) for e in edges}
    sizes: dict[str, Size] = {}
    groups: dict[str, str] = {}
    titles: dict[str, float] = {}
    for ns, ws in sorted(members.items()):
        if ns in collapsed:
            sizes[ns] = _namespace_size(ns, len(ws), options)
            continue
        titles[ns] = _title_width(ns, len(ws), options)
        for w in ws:
            sizes[w.key] = _workload_size(w.name, options)
            groups[w.key] = ns
    token.check("the graph layout")

    def step(fraction: float, message: str) -> None:
        token.check("the graph layout")
        progress(0.15 + 0.75 * fraction, message)

    spacing = Spacing(header=GROUP_HEADER, pad=GROUP_PAD)
    placed = layered_layout(
        sizes, weights, groups, titles=titles, aspect=options.aspect, spacing=spacing, step=step
    )
    token.check("the graph layout")
    progress(0.92, "Collecting nodes")
    by_key = {w.key: w for ws in members.values() for w in ws}
    nodes: dict[str, GraphNode] = {}
    for node_id in sorted(sizes):
        x, y = placed.spots[node_id]
        width, height = placed.slots[node_id], sizes[node_id].height  # as wide as its column
        if node_id in collapsed:
            cluster, _, name = node_id.partition("/")
            count = len(members[node_id])
            sub = f"{cluster} · {count} workload{'s' if count != 1 else ''}"
            node = GraphNode(node_id, "namespace", name, sub, node_id, x, y, width, height, count)
        else:
            w = by_key[node_id]
            node = GraphNode(node_id, "workload", w.name, w.kind, w.namespace, x, y, width, height)
        nodes[node_id] = node
    groups_out = {
        ns: GraphGroup(ns, _title(ns, len(members[ns])), *placed.boxes[ns], len(members[ns]))
        for ns in sorted(placed.boxes)
    }
    progress(1.0, "Layout ready")
    return GraphLayout(
        nodes, groups_out, edges, node_of, collapsed, placed.page.width, placed.page.height, options
    )


def call_graph(layout: GraphLayout) -> nx.DiGraph:
    """The drawn graph as networkx (node ids, edge attributes style/count/width)."""
    g: nx.DiGraph = nx.DiGraph()
    g.add_nodes_from(layout.nodes)
    for e in layout.edges:
        g.add_edge(e.source, e.target, style=e.style, count=e.count, width=e.width)
    return g


def _text_width(text: str, options: LayoutOptions) -> float:
    measured = options.label_widths.get(text) if options.label_widths else None
    if measured is not None:
        return measured
    return min(len(text), _MAX_LABEL_CHARS) * options.char_width


def _workload_size(name: str, options: LayoutOptions) -> Size:
    width = min(_text_width(name, options), _MAX_LABEL_CHARS * options.char_width)
    return Size(round(_NODE_PAD + width, 1), NODE_HEIGHT)


def _namespace_size(ns: str, count: int, options: LayoutOptions) -> Size:
    cluster, _, name = ns.partition("/")
    title = min(_text_width(name, options) * 1.05, _MAX_LABEL_CHARS * options.char_width)
    sub = (len(cluster) + len(str(count)) + 13) * options.char_width * 0.85
    return Size(round(_NODE_PAD + 4 + max(title, sub), 1), NAMESPACE_HEIGHT)


def _title(ns: str, count: int) -> str:
    cluster, _, name = ns.partition("/")
    return f"{name}  ({cluster}, {count})"


def _title_width(ns: str, count: int, options: LayoutOptions) -> float:
    cluster, _, name = ns.partition("/")
    rest = len(cluster) + len(str(count)) + 6
    return 2 * GROUP_PAD + 8 + _text_width(name, options) * 1.1 + rest * options.char_width * 1.1
