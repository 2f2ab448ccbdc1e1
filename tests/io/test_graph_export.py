"""The graph as Graphviz DOT: valid syntax, every edge between declared nodes, styles kept."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from workbench.io.graph_export import GraphExportError, graph_to_dot, quote, write_dot
from workbench.io.plan_file import load_plan
from workbench.ops.graph_layout import (
    GraphEdge,
    GraphGroup,
    GraphNode,
    LayoutOptions,
    compute_layout,
    graph_input,
)

# -- a small DOT reader (the subset Graphviz documents for graphs, nodes, edges, clusters) --

_TOKEN = re.compile(
    r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<arrow>->|--)|(?P<punct>[{}\[\];,=])'
    r"|(?P<id>[A-Za-z_\x80-\uffff][\w\x80-\uffff]*|-?(?:\.\d+|\d+(?:\.\d*)?)))",
    re.S,
)


@dataclass
class Dot:
    name: str
    attrs: dict[str, dict[str, str]] = field(default_factory=dict)  # graph/node/edge defaults
    nodes: dict[str, dict[str, str]] = field(default_factory=dict)
    edges: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    clusters: dict[str, list[str]] = field(default_factory=dict)


def _unquote(token: str) -> str:
    if not token.startswith('"'):
        return token
    body = token[1:-1]
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), body)


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        assert m is not None and m.end() > pos, f"DOT syntax error near: {text[pos : pos + 40]!r}"
        kind = m.lastgroup
        assert kind is not None
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


def parse_dot(text: str) -> Dot:
    """Parse a ``digraph``; any syntax outside the grammar fails an assertion."""
    toks = _tokens(text)
    i = 0

    def take(kind: str | None = None, value: str | None = None) -> str:
        nonlocal i
        assert i < len(toks), "DOT ended early"
        k, v = toks[i]
        assert kind is None or k == kind, f"expected {kind}, got {v!r}"
        assert value is None or v == value, f"expected {value!r}, got {v!r}"
        i += 1
        return v

    def peek() -> str | None:
        return toks[i][1] if i < len(toks) else None

    def ident() -> str:
        assert i < len(toks), "DOT ended early"
        k, v = toks[i]
        assert k in ("str", "id"), f"expected an ID, got {v!r}"
        take()
        return _unquote(v)

    def attr_list() -> dict[str, str]:
        attrs: dict[str, str] = {}
        while peek() == "[":
            take(value="[")
            while peek() != "]":
                key = ident()
                take(value="=")
                attrs[key] = ident()
                if peek() in (",", ";"):
                    take()
            take(value="]")
        return attrs

    take("id", "digraph")
    dot = Dot(ident() if peek() != "{" else "")

    def stmts(cluster: str | None) -> None:
        take(value="{")
        while peek() != "}":
            if peek() == "subgraph":
                take()
                name = ident()
                dot.clusters.setdefault(name, [])
                stmts(name)
            elif peek() in ("graph", "node", "edge"):
                which = take()
                dot.attrs[which] = attr_list()
            else:
                first = ident()
                if peek() == "=":
                    take()
                    ident()
                elif peek() == "->":
                    take()
                    second = ident()
                    dot.edges.append((first, second, attr_list()))
                else:
                    assert peek() != "--", "an undirected edge in a digraph"
                    dot.nodes[first] = attr_list()
                    if cluster is not None:
                        dot.clusters[cluster].append(first)
            if peek() == ";":
                take()
        take(value="}")

    stmts(None)
    assert i == len(toks), "text after the closing brace"
    return dot


# -- tests --------------------------------------------------------------------------------


def test_quote_escapes_what_dot_needs() -> None:
    hostile = 'a "quoted" \\ name\nsecond line'
    assert quote(hostile) == '"a \\"quoted\\" \\\\ name\\nsecond line"'
    dot = parse_dot(f"digraph {quote(hostile)} {{ {quote(hostile)}; }}")
    assert dot.name == hostile
    assert list(dot.nodes) == [hostile]


def test_the_reader_rejects_broken_dot() -> None:
    with pytest.raises(AssertionError):
        parse_dot('digraph g { "a" -> ; }')
    with pytest.raises(AssertionError):
        parse_dot('digraph g { "a" [label="x"] ')


def test_sample_plan_as_dot(sample_plan_path: Path) -> None:
    plan = load_plan(sample_plan_path)
    layout = compute_layout(graph_input(plan))
    text = graph_to_dot(layout.nodes.values(), layout.edges, layout.groups.values(), title="t")
    dot = parse_dot(text)
    assert set(dot.nodes) == set(plan.inventory.workloads)
    assert {(a, b) for a, b, _ in dot.edges} == set(plan.dependencies.edges)
    # one cluster per namespace, holding exactly its workloads
    assert set(dot.clusters) == {f"cluster_{ns}" for ns in layout.groups}
    for name, members in dot.clusters.items():
        ns = name.removeprefix("cluster_")
        assert sorted(members) == sorted(
            k for k in plan.inventory.workloads if k.startswith(ns + "/")
        )
    key = next(iter(plan.inventory.workloads))
    assert dot.nodes[key]["label"] == plan.inventory.workloads[key].name
    x, y = dot.nodes[key]["pos"].rstrip("!").split(",")
    assert float(x) > 0 and float(y) > 0
    assert text == graph_to_dot(
        layout.nodes.values(), layout.edges, layout.groups.values(), title="t"
    )


def _node(key: str, kind: str = "workload", ns: str = "c/ns") -> GraphNode:
    label = key.rsplit("/", 1)[-1]
    return GraphNode(key, kind, label, "cluster c · 3 workloads", ns, 10.0, 20.0, 100.0, 22.0, 3)


def test_edge_styles_and_weights_survive() -> None:
    nodes = [_node("c/ns/Deployment/a"), _node("c/ns/Deployment/b"), _node("c/other", "namespace")]
    edges = [
        GraphEdge("c/ns/Deployment/a", "c/ns/Deployment/b", "manual", 2.8, 1, ("env", "manual")),
        GraphEdge("c/ns/Deployment/b", "c/ns/Deployment/a", "policy", 1.3, 1, ("networkpolicy",)),
        GraphEdge("c/ns/Deployment/a", "c/other", "aggregate", 3.2, 7, ("env",)),
        GraphEdge("c/other", "c/ns/Deployment/b", "traffic", 4.0, 1, ("kiali",), False, 120.0),
    ]
    group = GraphGroup("c/ns", 'ns "quoted"', 0, 0, 300, 200, 2)
    dot = parse_dot(graph_to_dot(nodes, edges, [group]))
    styles = {(a, b): attrs for a, b, attrs in dot.edges}
    assert styles[("c/ns/Deployment/a", "c/ns/Deployment/b")]["style"] == "bold"
    assert styles[("c/ns/Deployment/b", "c/ns/Deployment/a")]["style"] == "dashed"
    aggregate = styles[("c/ns/Deployment/a", "c/other")]
    assert aggregate["label"] == "7" and float(aggregate["penwidth"]) == pytest.approx(3.2)
    assert "120.0 req/s" in styles[("c/other", "c/ns/Deployment/b")]["tooltip"]
    assert dot.clusters == {"cluster_c/ns": ["c/ns/Deployment/a", "c/ns/Deployment/b"]}
    assert dot.nodes["c/other"]["label"] == "other\ncluster c · 3 workloads"


def test_collapsed_graph_has_namespace_nodes_and_no_clusters(sample_plan_path: Path) -> None:
    layout = compute_layout(graph_input(load_plan(sample_plan_path)), LayoutOptions(collapse=True))
    dot = parse_dot(graph_to_dot(layout.nodes.values(), layout.edges, layout.groups.values()))
    assert set(dot.nodes) == set(layout.collapsed) and not dot.clusters
    assert all(int(attrs.get("label", "1")) >= 1 for _, _, attrs in dot.edges)


def test_write_dot_is_atomic_and_reports_where(tmp_path: Path) -> None:
    target = write_dot("digraph g {}\n", tmp_path / "graph.dot")
    assert target.read_text(encoding="utf-8") == "digraph g {}\n"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.dot"]
    missing = tmp_path / "no-such-folder" / "graph.dot"
    with pytest.raises(GraphExportError, match="no-such-folder"):
        write_dot("digraph g {}\n", missing)
