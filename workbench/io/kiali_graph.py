"""Edges from a Kiali graph (the JSON body of ``/api/namespaces/graph``).

Every graph type is read: ``workload`` nodes map to the workload of that name, ``app`` and
``versionedApp`` nodes to the workloads labelled with that app (and version), ``service``
nodes to the workloads the Service selects. Box nodes, ``unknown`` nodes, self-loops and
nodes that match nothing in the inventory give no edge; a known caller's traffic to an
unknown destination is reported as unresolved. HTTP and gRPC rates become
``requests_per_second`` (spread evenly when an app node stands for several workloads);
TCP rates are bytes, not requests, and are not kept. The pre-2019 format with flat
``rate`` fields is read too.
"""

from __future__ import annotations

from typing import Any

from workbench.domain.dependencies import Edge, Evidence, UnresolvedAddress
from workbench.domain.discovery import ObservedEdges, WorkloadLookup
from workbench.domain.errors import WorkbenchError
from workbench.domain.inventory import Inventory

KIALI_CONFIDENCE = 0.99  # traffic was seen


class KialiGraphError(WorkbenchError):
    """A file that is not a Kiali graph."""


def is_kiali_graph(doc: Any) -> bool:
    return isinstance(doc, dict) and isinstance(doc.get("elements"), dict)


def _label(node: dict[str, Any]) -> str:
    ns = node.get("namespace") or "?"
    name = node.get("workload") or node.get("app") or node.get("service") or "?"
    if node.get("nodeType") == "app" and node.get("version"):
        name = f"{name} {node['version']}"
    return f"{ns}/{name}"


def _workloads(lookup: WorkloadLookup, node: dict[str, Any]) -> list[str]:
    kind = node.get("nodeType")
    cluster = node.get("cluster") if node.get("cluster") not in (None, "unknown") else None
    ns = node.get("namespace")
    if not isinstance(ns, str) or ns == "unknown" or node.get("isBox"):
        return []
    if kind == "workload" and node.get("workload"):
        key = lookup.workload(cluster, ns, str(node["workload"]))
        return [key] if key else []
    if kind == "app" and node.get("app") and node.get("app") != "unknown":
        version = node.get("version") if node.get("version") not in (None, "unknown") else None
        return lookup.by_app(cluster, ns, str(node["app"]), version)
    if kind == "service" and node.get("service"):
        return lookup.by_service(cluster, ns, str(node["service"]))
    return []


def _rate(edge: dict[str, Any]) -> tuple[str, float | None]:
    traffic = edge.get("traffic")
    if isinstance(traffic, dict):
        protocol = str(traffic.get("protocol") or "")
        rates = traffic.get("rates")
        rates = rates if isinstance(rates, dict) else {}
        value = rates.get(protocol) if protocol in ("http", "grpc") else None
    else:  # legacy flat fields
        protocol, value = "http", edge.get("rate")
    try:
        return protocol, float(value) if value is not None else None
    except (TypeError, ValueError):
        return protocol, None


def kiali_edges(doc: Any, inventory: Inventory, source: str = "Kiali graph") -> ObservedEdges:
    if not is_kiali_graph(doc):
        raise KialiGraphError(f"{source}: not a Kiali graph (no 'elements' object)")
    elements = doc["elements"]
    nodes = {
        str(n["data"]["id"]): n["data"]
        for n in elements.get("nodes") or []
        if isinstance(n, dict) and isinstance(n.get("data"), dict) and "id" in n["data"]
    }
    lookup = WorkloadLookup(inventory)
    graph_type = doc.get("graphType") or "graph"
    out = ObservedEdges()
    seen_unresolved: set[tuple[str, str]] = set()
    skipped = 0
    combined: dict[tuple[str, str], Edge] = {}
    for raw in elements.get("edges") or []:
        data = raw.get("data") if isinstance(raw, dict) else None
        if not isinstance(data, dict):
            continue
        src, dst = nodes.get(str(data.get("source"))), nodes.get(str(data.get("target")))
        if src is None or dst is None:
            skipped += 1
            continue
        callers, callees = _workloads(lookup, src), _workloads(lookup, dst)
        if not callers or not callees:
            skipped += 1
            for caller in callers:
                if (caller, _label(dst)) not in seen_unresolved:
                    seen_unresolved.add((caller, _label(dst)))
                    out.unresolved.append(
                        UnresolvedAddress(caller, _label(dst), source, "not in the inventory")
                    )
            continue
        protocol, rate = _rate(data)
        pairs = [(a, b) for a in callers for b in callees if a != b]
        detail = f"{source}: {_label(src)} -> {_label(dst)} ({protocol or 'traffic'}, {graph_type})"
        for a, b in pairs:
            share = rate / len(pairs) if rate is not None else None
            edge = combined.get((a, b))
            if edge is None:
                combined[(a, b)] = Edge(
                    a, b, [Evidence("kiali", detail)], KIALI_CONFIDENCE, requests_per_second=share
                )
                continue
            edge.evidence.append(Evidence("kiali", detail))
            if share is not None:
                edge.requests_per_second = (edge.requests_per_second or 0.0) + share
    out.edges = [combined[k] for k in sorted(combined)]
    if skipped:
        out.warnings.append(
            f"{source}: {skipped} edge(s) with an end outside the inventory or unknown"
        )
    return out
