"""Estates for the dependency-graph tests: the real corpora, Online Boutique, a synthetic one.

- every folder of ``../shared/corpora``: the manifests imported as the product imports
  them, plus the documented call graph (``expected-graph.json``) or the Kiali graphs and
  Prometheus results applied to the Bookinfo inventory they were captured from;
- Online Boutique (GoogleCloudPlatform/microservices-demo, Apache-2.0): its twelve
  Deployments in one namespace, as ``release/kubernetes-manifests.yaml`` ships them, with
  the call graph of its README's architecture diagram; each address is an env variable
  (``CART_SERVICE_ADDR`` and so on) in that file, so the edges carry env evidence. Built
  from the domain classes, not copied, because the corpora folder does not hold it;
- a synthetic estate from the generator;

and :func:`assert_tidy`, the geometry every layout of them must have.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from pathlib import Path

from workbench.domain.dependencies import Edge, Evidence
from workbench.domain.inventory import Cluster, Container, ContainerPort, Namespace, Workload
from workbench.domain.plan import Meta, Plan
from workbench.io.kiali_graph import kiali_edges
from workbench.io.prometheus_edges import prometheus_edges
from workbench.ops.generate import generate_plan
from workbench.ops.graph_layout import GraphLayout
from workbench.ops.import_files import import_files

CORPORA = ("bookinfo", "sock-shop", "kiali-graph", "prometheus-istio-metrics")

BOUTIQUE_CALLS = {
    "loadgenerator": ("frontend",),
    "frontend": (
        "adservice",
        "cartservice",
        "checkoutservice",
        "currencyservice",
        "productcatalogservice",
        "recommendationservice",
        "shippingservice",
    ),
    "checkoutservice": (
        "cartservice",
        "currencyservice",
        "emailservice",
        "paymentservice",
        "productcatalogservice",
        "shippingservice",
    ),
    "recommendationservice": ("productcatalogservice",),
    "cartservice": ("redis-cart",),
}
BOUTIQUE_NAMESPACE = "default"

Rect = tuple[float, float, float, float]  # x, y, width, height


def overlap(a: Rect, b: Rect) -> bool:
    """Whether two rectangles share some inside."""
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah


def assert_tidy(layout: GraphLayout) -> None:
    """Nodes and namespace boxes never overlap; each workload sits inside its box."""
    rects = {k: (n.x, n.y, n.width, n.height) for k, n in layout.nodes.items()}
    for (a, ra), (b, rb) in itertools.combinations(rects.items(), 2):
        assert not overlap(ra, rb), f"{a} overlaps {b}"
    boxes = {k: (g.x, g.y, g.width, g.height) for k, g in layout.groups.items()}
    for (a, ra), (b, rb) in itertools.combinations(boxes.items(), 2):
        assert not overlap(ra, rb), f"namespace {a} overlaps {b}"
    for key, node in layout.nodes.items():
        if node.kind == "namespace":
            assert not any(overlap(rects[key], box) for box in boxes.values()), key
            continue
        gx, gy, gw, gh = boxes[node.namespace]
        assert gx < node.x and node.x + node.width < gx + gw, key
        assert gy < node.y and node.y + node.height < gy + gh, key


def boutique_key(name: str) -> str:
    return f"gke/{BOUTIQUE_NAMESPACE}/Deployment/{name}"


def online_boutique() -> Plan:
    plan = Plan(meta=Meta(title="Online Boutique", author="tests"))
    inv = plan.inventory
    inv.clusters["gke"] = Cluster("gke", server_version="1.30")
    inv.add_namespace(Namespace("gke", BOUTIQUE_NAMESPACE))
    names = sorted({n for caller, callees in BOUTIQUE_CALLS.items() for n in (caller, *callees)})
    for name in names:
        port = ContainerPort(6379 if name == "redis-cart" else 8080, "tcp")
        image = f"us-central1-docker.pkg.dev/google-samples/microservices-demo/{name}:v0.10.2"
        container = Container(name="server", image=image, ports=[port])
        inv.add_workload(
            Workload("gke", BOUTIQUE_NAMESPACE, "Deployment", name, containers=[container])
        )
    for caller, callees in BOUTIQUE_CALLS.items():
        for callee in callees:
            variable = callee.replace("service", "").replace("-", "_").upper() + "_SERVICE_ADDR"
            detail = f"env {variable} in Deployment {caller}"
            plan.dependencies.add(
                Edge(boutique_key(caller), boutique_key(callee), [Evidence("env", detail)])
            )
    return plan


def _serving(plan: Plan, service: str) -> list[str]:
    """The workloads behind a Service name (its app label, or the name with a version)."""
    return sorted(
        key
        for key, w in plan.inventory.workloads.items()
        if w.labels.get("app") == service or w.name == service or w.name.startswith(f"{service}-v")
    )


def _documented(plan: Plan, graph: Path) -> None:
    doc = json.loads(graph.read_text())
    for edge in doc["edges"]:
        for caller in _serving(plan, edge["from"]):
            for callee in _serving(plan, edge["to"]):
                if caller != callee:
                    plan.dependencies.add(
                        Edge(caller, callee, [Evidence("csv", "documented call graph")])
                    )


def _add(plan: Plan, edges: Iterable[Edge]) -> None:
    for edge in edges:
        plan.dependencies.add(edge)


def corpus_plan(shared_dir: Path, name: str) -> Plan:
    """The corpus ``name`` as a plan with the call graph it documents or records."""
    corpora = shared_dir / "corpora"
    estate = "bookinfo" if name in ("kiali-graph", "prometheus-istio-metrics") else name
    namespace = "bookinfo" if estate == "bookinfo" else "default"
    plan = import_files([str(corpora / estate / "manifests")], namespace=namespace).plan
    if name in ("bookinfo", "sock-shop"):
        _documented(plan, corpora / name / "expected-graph.json")
    elif name == "kiali-graph":
        for path in sorted((corpora / name).rglob("*.json")):
            _add(plan, kiali_edges(json.loads(path.read_text()), plan.inventory).edges)
    else:
        for path in sorted((corpora / name).glob("*.json")):
            doc = json.loads(path.read_text())
            if "data" not in doc:  # a single result element: wrap it in the envelope
                doc = {"status": "success", "data": {"resultType": "vector", "result": [doc]}}
            _add(plan, prometheus_edges(doc, plan.inventory).edges)
    return plan


def synthetic(workloads: int = 400, clusters: int = 2, seed: int = 11) -> Plan:
    return generate_plan(workloads, clusters, seed=seed)
