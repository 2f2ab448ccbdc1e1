"""Each runtime format, read from samples written after its public documentation."""

from __future__ import annotations

import pytest

from workbench.domain.inventory import Inventory
from workbench.io.runtime import detect_format, parse_columns, read_runtime_file

from .conftest import CART, DB, DEATHSTAR, FRONTEND, TIEFIGHTER, XWING, sample


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("hubble-jsonpb.jsonl", "hubble"),
        ("hubble-json.jsonl", "hubble"),
        ("otlp-traces.jsonl", "otlp"),
        ("jaeger-traces.json", "jaeger"),
        ("jaeger-dependencies.json", "links"),
        ("zipkin-spans.json", "zipkin"),
        ("zipkin-traces.json", "zipkin"),
        ("zipkin-dependencies.json", "links"),
        ("vpc-flow.log", "flowlog"),
        ("calico-flows.jsonl", "flowlog"),
    ],
)
def test_the_format_is_detected(name: str, fmt: str) -> None:
    assert detect_format(sample(name)) == fmt


def test_hubble_jsonpb(inventory: Inventory) -> None:
    t = read_runtime_file(sample("hubble-jsonpb.jsonl"), inventory)
    assert not t.errors
    assert dict(t.calls) == {(TIEFIGHTER, DEATHSTAR): 2, (FRONTEND, CART): 1}
    assert t.records == 13
    assert t.left_out == {
        "reply flows": 2,
        "the same connection seen again": 1,
        "DNS": 1,
        "host and kubelet probes": 1,
        "Prometheus scrapes": 1,
        "lost-event and node notices": 1,
    }
    assert dict(t.dropped) == {("default/xwing", "default/deathstar-6fb5694d48-5hmds"): 1}
    assert dict(t.external) == {FRONTEND: 1, CART: 1}  # the world, and a pod we do not know
    assert dict(t.unmatched) == {"shop/legacy-batch-1234": 1}
    assert t.window == ("2026-11-02T10:00:00Z", "2026-11-09T10:00:00Z")
    assert XWING not in t.seen and {TIEFIGHTER, DEATHSTAR, FRONTEND, CART} <= t.seen


def test_hubble_bare_flows_of_older_captures(inventory: Inventory) -> None:
    t = read_runtime_file(sample("hubble-json.jsonl"), inventory)
    assert not t.errors
    # no workloads field: the pod name leads to the Deployment through its owner's name
    assert dict(t.calls) == {(TIEFIGHTER, DEATHSTAR): 1, (FRONTEND, CART): 1}
    assert t.left_out == {"reply flows": 1}


def test_otlp_file_exporter_lines(inventory: Inventory) -> None:
    t = read_runtime_file(sample("otlp-traces.jsonl"), inventory)
    assert not t.errors
    assert dict(t.calls) == {(FRONTEND, CART): 1, (CART, DB): 1}
    assert dict(t.unmatched) == {"payments-legacy": 1}
    assert t.external == {FRONTEND: 1}  # its root SERVER span: called by something untraced
    assert t.records == 8 and t.window[0] == "2025-11-02T10:00:00Z"


def test_jaeger_traces(inventory: Inventory) -> None:
    t = read_runtime_file(sample("jaeger-traces.json"), inventory)
    assert not t.errors
    assert dict(t.calls) == {(FRONTEND, CART): 1, (CART, DB): 1}
    assert t.window == ("2025-11-02T10:00:00Z", "2025-11-09T10:00:00Z")


@pytest.mark.parametrize("name", ["jaeger-dependencies.json", "zipkin-dependencies.json"])
def test_dependency_links(inventory: Inventory, name: str) -> None:
    t = read_runtime_file(sample(name), inventory)
    assert (FRONTEND, CART) in t.calls and (CART, DB) in t.calls
    assert t.window == (None, None)  # links carry no time: never a complete window
    if name.startswith("jaeger"):
        assert t.calls[(FRONTEND, CART)] == 42 and dict(t.unmatched) == {"redis-cache": 7}


@pytest.mark.parametrize("name", ["zipkin-spans.json", "zipkin-traces.json"])
def test_zipkin_spans_with_a_shared_server_span(inventory: Inventory, name: str) -> None:
    t = read_runtime_file(sample(name), inventory)
    assert not t.errors
    assert dict(t.calls) == {(FRONTEND, CART): 1, (CART, DB): 1}


def test_vpc_flow_logs_resolve_pod_and_service_ips(inventory: Inventory) -> None:
    t = read_runtime_file(sample("vpc-flow.log"), inventory)
    assert not t.errors
    assert dict(t.calls) == {(FRONTEND, CART): 20, (CART, DB): 20}  # cart by its Service IP
    assert t.external == {FRONTEND: 20}  # a public address
    assert dict(t.unmatched) == {"10.0.9.9": 1}
    assert t.left_out == {"DNS": 1}
    assert dict(t.dropped) == {("10.0.0.12", "10.0.0.20"): 2}
    assert t.window == ("2025-11-02T10:00:00Z", "2025-11-09T10:00:00Z")


def test_flow_log_json_lines_with_a_column_mapping(inventory: Inventory) -> None:
    columns = parse_columns("src=source_ip, dst=dest_ip, port=dest_port, count=num_flows")
    t = read_runtime_file(sample("calico-flows.jsonl"), inventory, columns=columns)
    assert not t.errors
    assert dict(t.calls) == {(FRONTEND, CART): 5, (CART, DB): 3}
