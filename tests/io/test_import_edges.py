"""Edges from Kiali graphs, Prometheus results (saved and live) and CSV files."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from workbench.domain.dependencies import Dependencies, Edge, Evidence
from workbench.domain.inventory import Inventory
from workbench.io.edges_csv import EdgesCsvError, edges_from_csv, edges_to_csv
from workbench.io.k8s_objects import InventoryBuilder
from workbench.io.kiali_graph import KialiGraphError, kiali_edges
from workbench.io.manifest_files import load_manifest_file
from workbench.io.prometheus_edges import PrometheusError, prometheus_edges, query_prometheus

PP, DET, R1, R2, R3, RAT = (
    f"east/bookinfo/Deployment/{n}"
    for n in (
        "productpage-v1",
        "details-v1",
        "reviews-v1",
        "reviews-v2",
        "reviews-v3",
        "ratings-v1",
    )
)


@pytest.fixture(scope="module")
def bookinfo(shared_dir: Path) -> Inventory:
    loaded = load_manifest_file(str(shared_dir / "corpora/bookinfo/manifests/bookinfo.yaml"))
    builder = InventoryBuilder("east", default_namespace="bookinfo")
    builder.add_many(loaded.objects)
    return builder.result().inventory


def _kiali(shared_dir: Path, name: str) -> Any:
    return json.loads((shared_dir / "corpora/kiali-graph" / name).read_text())


def test_kiali_workload_graph_gives_the_bookinfo_edges(
    shared_dir: Path, bookinfo: Inventory
) -> None:
    found = kiali_edges(_kiali(shared_dir, "current/test_workload_graph.json"), bookinfo)
    edges = {e.key: e for e in found.edges}
    assert set(edges) == {(PP, DET), (PP, R1), (PP, R2), (PP, R3), (R2, RAT), (R3, RAT)}
    assert edges[(PP, DET)].requests_per_second == 80.0
    assert all(e.evidence[0].kind == "kiali" and e.confidence > 0.9 for e in edges.values())
    # noise stays out: self-loops, unknown nodes, other namespaces, TCP-only destinations
    assert all(a != b for a, b in edges)
    assert {u.address for u in found.unresolved} >= {"bankapp/pricing-v1", "bookinfo/tcp-v1"}


@pytest.mark.parametrize(
    "name",
    [
        "current/test_app_graph.json",
        "current/test_versioned_app_graph.json",
        "current/test_service_graph.json",
        "current/test_ambient_graph.json",
        "legacy/test_namespace_graph.json",
    ],
)
def test_every_kiali_graph_type_reads(shared_dir: Path, bookinfo: Inventory, name: str) -> None:
    found = kiali_edges(_kiali(shared_dir, name), bookinfo)
    keys = {e.key for e in found.edges}
    assert (PP, DET) in keys
    assert all(a in bookinfo.workloads and b in bookinfo.workloads and a != b for a, b in keys)


def test_not_a_kiali_graph() -> None:
    with pytest.raises(KialiGraphError, match="not a Kiali graph"):
        kiali_edges({"nodes": []}, Inventory())


def _series(
    src: str, dst: str, value: float, reporter: str = "source", **extra: str
) -> dict[str, Any]:
    metric = {
        "__name__": "istio_requests_total",
        "reporter": reporter,
        "source_workload": src,
        "source_workload_namespace": "bookinfo",
        "destination_workload": dst,
        "destination_workload_namespace": "bookinfo",
        "destination_service_name": dst.rsplit("-", 1)[0],
        "destination_service_namespace": "bookinfo",
        **extra,
    }
    return {"metric": metric, "value": [1700000000.0, str(value)]}


def _envelope(results: list[dict[str, Any]]) -> dict[str, Any]:
    return {"status": "success", "data": {"resultType": "vector", "result": results}}


def test_prometheus_rates_per_edge(shared_dir: Path, bookinfo: Inventory) -> None:
    blog = json.loads(
        (
            shared_dir / "corpora/prometheus-istio-metrics/istio_requests_total.passthrough."
            "result-element.json"
        ).read_text()
    )
    blog["metric"].update(source_workload="productpage-v1", source_workload_namespace="bookinfo")
    doc = _envelope(
        [
            _series("productpage-v1", "details-v1", 3.0, response_code="200"),
            _series("productpage-v1", "details-v1", 1.0, response_code="500"),
            _series("productpage-v1", "details-v1", 3.5, reporter="destination"),
            _series("reviews-v2", "ratings-v1", 2.0),
            _series("sleep", "ratings-v1", 9.0),  # a caller not in the inventory
            blog,  # the istio.io blog's passthrough series: external, never an edge
        ]
    )
    found = prometheus_edges(doc, bookinfo)
    rates = {e.key: e.requests_per_second for e in found.edges}
    assert rates == {(PP, DET): 4.0, (R2, RAT): 2.0}  # larger reporter sum, no double count
    assert [(u.workload, u.address) for u in found.unresolved] == [(PP, "httpbin.org")]
    assert found.warnings and "1 series" in found.warnings[0]
    # a single result element and a bare result list are accepted too
    assert prometheus_edges(_series("reviews-v3", "ratings-v1", 1.0), bookinfo).edges[0].key == (
        R3,
        RAT,
    )


def test_prometheus_errors() -> None:
    with pytest.raises(PrometheusError, match="bad_data: parse error"):
        prometheus_edges(
            {"status": "error", "errorType": "bad_data", "error": "parse error"}, Inventory()
        )
    with pytest.raises(PrometheusError, match="not a Prometheus query result"):
        prometheus_edges({"data": {"resultType": "vector", "result": [1]}}, Inventory())


class _Prometheus(BaseHTTPRequestHandler):
    body: bytes = b""
    status = 200
    queries: list[str] = []

    def do_GET(self) -> None:
        self.queries.append(parse_qs(urlparse(self.path).query)["query"][0])
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def prometheus() -> Iterator[tuple[str, type[_Prometheus]]]:
    handler = type("Handler", (_Prometheus,), {"queries": []})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", handler
    server.shutdown()
    server.server_close()


def test_live_prometheus_query(
    prometheus: tuple[str, type[_Prometheus]], bookinfo: Inventory
) -> None:
    url, handler = prometheus
    handler.body = json.dumps(_envelope([_series("productpage-v1", "details-v1", 5.0)])).encode()
    doc = query_prometheus(url, window="10m")
    assert "rate(istio_requests_total[10m])" in handler.queries[0]
    assert prometheus_edges(doc, bookinfo).edges[0].requests_per_second == 5.0
    handler.status, handler.body = 400, b'{"status":"error","error":"bad query"}'
    with pytest.raises(PrometheusError, match="answered 400: bad query"):
        query_prometheus(url)


def test_unreachable_and_slow_prometheus() -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(PrometheusError, match="cannot reach Prometheus"):
        query_prometheus(f"http://127.0.0.1:{port}", timeout=2)
    with socket.socket() as listener:  # accepts, never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        with pytest.raises(PrometheusError, match=r"did not answer within 0\.3 s"):
            query_prometheus(f"http://127.0.0.1:{listener.getsockname()[1]}", timeout=0.3)


def test_csv_round_trip_and_hand_edits(bookinfo: Inventory) -> None:
    deps = Dependencies()
    deps.add(Edge(PP, DET, [Evidence("kiali", "seen, with a comma")], 0.99, requests_per_second=80))
    text = edges_to_csv(deps)
    back = edges_from_csv(text, bookinfo, "edges.csv")
    edge = back.edges[0]
    assert (edge.key, edge.confidence, edge.requests_per_second) == ((PP, DET), 0.99, 80.0)
    assert edge.evidence[0] == Evidence("kiali", "seen, with a comma")
    assert edge.evidence[-1] == Evidence("csv", "edges.csv row 2") and not edge.manual
    hand = (
        "callee,caller,confidence\n"
        "bookinfo/ratings-v1,bookinfo/reviews-v2,\n"
        "east/bookinfo/ratings-v1,east/bookinfo/Deployment/reviews-v3,0.7\n"
        "bookinfo/nope,bookinfo/reviews-v1,\n"
        "bookinfo/ratings-v1,bookinfo/reviews-v1,2\n"
    )
    found = edges_from_csv(hand, bookinfo, "hand.csv")
    assert [(e.key, e.confidence, e.manual) for e in found.edges] == [
        ((R2, RAT), 1.0, True),
        ((R3, RAT), 0.7, True),
    ]
    assert [w.split(":")[0] for w in found.warnings] == ["hand.csv row 4", "hand.csv row 5"]
    with pytest.raises(EdgesCsvError, match="needs columns caller and callee"):
        edges_from_csv("from,to\na,b\n", bookinfo)
