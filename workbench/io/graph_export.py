"""The dependency graph as Graphviz DOT text (no Graphviz needed to write it).

Expanded namespaces become ``cluster_`` subgraphs around their workloads; collapsed
namespaces are single nodes. Every node carries its drawn position (``pos``, in points,
pinned with ``!``) so ``neato -n`` reproduces the picture, while ``dot`` lays it out
afresh. Edge attributes follow the on-screen styles: ``dashed`` for NetworkPolicy
evidence, ``dotted`` for CSV lists, ``bold`` for manual edges, ``penwidth`` for
requests/s or call counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from workbench.domain.errors import WorkbenchError
from workbench.io.atomic import write_atomically

_DOT_STYLE = {
    "static": "solid",
    "policy": "dashed",
    "traffic": "solid",
    "listed": "dotted",
    "manual": "bold",
    "aggregate": "solid",
}
_DOT_COLOUR = {
    "static": "#66788f",
    "policy": "#66788f",
    "traffic": "#1b998b",
    "listed": "#66788f",
    "manual": "#d9480f",
    "aggregate": "#5b7bb2",
}


class GraphExportError(WorkbenchError):
    """The graph could not be written to the chosen file."""


class DrawnNode(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def sublabel(self) -> str: ...
    @property
    def namespace(self) -> str: ...
    @property
    def x(self) -> float: ...
    @property
    def y(self) -> float: ...
    @property
    def width(self) -> float: ...
    @property
    def height(self) -> float: ...


class DrawnGroup(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def label(self) -> str: ...


class DrawnEdge(Protocol):
    @property
    def source(self) -> str: ...
    @property
    def target(self) -> str: ...
    @property
    def style(self) -> str: ...
    @property
    def width(self) -> float: ...
    @property
    def count(self) -> int: ...
    @property
    def kinds(self) -> tuple[str, ...]: ...
    @property
    def requests_per_second(self) -> float | None: ...


def quote(text: str) -> str:
    """A DOT double-quoted string (quotes and backslashes escaped, newlines as \\n)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\r", "").replace("\n", "\\n") + '"'


def graph_to_dot(
    nodes: Iterable[DrawnNode],
    edges: Iterable[DrawnEdge],
    groups: Iterable[DrawnGroup] = (),
    *,
    title: str = "dependencies",
) -> str:
    """DOT text for the drawn graph, in a stable order."""
    node_list = sorted(nodes, key=lambda n: n.id)
    height = max((n.y + n.height for n in node_list), default=0.0)
    lines = [
        f"digraph {quote(title)} {{",
        f"  graph [rankdir=LR, splines=true, overlap=false, label={quote(title)}, "
        'fontname="Helvetica"];',
        '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", color="#8a99ad", '
        'fontname="Helvetica", fontsize=10];',
        '  edge [color="#66788f", arrowsize=0.7];',
    ]
    members: dict[str, list[DrawnNode]] = {}
    loose: list[DrawnNode] = []
    group_ids = {g.id: g for g in groups}
    for node in node_list:
        if node.kind == "workload" and node.namespace in group_ids:
            members.setdefault(node.namespace, []).append(node)
        else:
            loose.append(node)
    for ns in sorted(members):
        lines.append(f"  subgraph {quote('cluster_' + ns)} {{")
        lines.append(f"    label={quote(group_ids[ns].label)};")
        lines.append('    style="rounded,filled"; fillcolor="#eef2f7"; color="#c3ccd8";')
        lines.extend("    " + _node_line(n, height) for n in members[ns])
        lines.append("  }")
    lines.extend("  " + _node_line(n, height) for n in loose)
    for edge in sorted(edges, key=lambda e: (e.source, e.target)):
        lines.append(f"  {quote(edge.source)} -> {quote(edge.target)} [{_edge_attrs(edge)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_dot(text: str, path: str | Path) -> Path:
    """Write DOT text through a temporary file in the same folder, then rename it."""
    target = Path(path)
    try:
        write_atomically(target, text.encode("utf-8"))
    except OSError as error:
        raise GraphExportError(f"could not write the DOT file {target}: {error}") from error
    return target


def _node_line(node: DrawnNode, page_height: float) -> str:
    cx = (node.x + node.width / 2) * 0.75  # scene pixels (96 dpi) to points
    cy = (page_height - node.y - node.height / 2) * 0.75
    label = f"{node.label}\n{node.sublabel}" if node.kind == "namespace" else node.label
    attrs = [
        f"label={quote(label)}",
        f"tooltip={quote(node.id)}",
        f'pos="{cx:.1f},{cy:.1f}!"',
        f"width={node.width / 96:.2f}",
        f"height={node.height / 96:.2f}",
    ]
    if node.kind == "namespace":
        attrs.append('fillcolor="#e6edf8", color="#5b7bb2"')
    return f"{quote(node.id)} [{', '.join(attrs)}];"


def _edge_attrs(edge: DrawnEdge) -> str:
    attrs = [
        f"style={_DOT_STYLE.get(edge.style, 'solid')}",
        f'color="{_DOT_COLOUR.get(edge.style, "#66788f")}"',
        f"penwidth={edge.width:.2f}",
    ]
    tip = ", ".join(edge.kinds) or edge.style
    if edge.count > 1:
        attrs.append(f"label={quote(str(edge.count))}")
        tip = f"{edge.count} calls: {tip}"
    if edge.requests_per_second is not None:
        tip += f", {edge.requests_per_second:.1f} req/s"
    attrs.append(f"tooltip={quote(tip)}")
    return ", ".join(attrs)
