"""The live reader against loopback API servers, through the real ``kubernetes`` client."""

from __future__ import annotations

import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.io.k8s_api_server import (
    FakeApiServer,
    Faults,
    deployment,
    estate,
    namespace,
    write_kubeconfig,
)
from workbench.domain.jobs import CancelToken, JobCancelled
from workbench.io.cluster_reader import ClusterReader, ClusterUnreachable, ReadOptions, ReadReport
from workbench.io.cluster_resources import NEVER_READ, RESOURCES, ResourceSpec
from workbench.io.kubeconfig import load_kubeconfig

pytestmark = pytest.mark.usefixtures("loopback_only")


class Collected:
    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self.pages = 0

    def __call__(self, spec: ResourceSpec, items: list[dict[str, Any]]) -> None:
        self.pages += 1
        self.items.extend(items)

    def names(self, kind: str) -> list[str]:
        return [i["metadata"]["name"] for i in self.items if i["kind"] == kind]


def read(
    server: FakeApiServer, tmp_path: Path, options: ReadOptions | None = None, **kw: Any
) -> tuple[ReadReport, Collected]:
    kc = load_kubeconfig(write_kubeconfig(tmp_path / "config", {"lab": server.url}))
    sink = Collected()
    report = ClusterReader(kc, kc.context("lab"), "lab", options, **kw).read(sink)
    return report, sink


def many_deployments(count: int) -> list[dict[str, Any]]:
    objs: list[dict[str, Any]] = [namespace("a"), namespace("b")]
    objs += [deployment("a" if i % 3 else "b", f"d-{i:05d}") for i in range(count)]
    return objs


def list_requests(server: FakeApiServer, plural: str) -> list[str]:
    return [r for r in server.requests if r.split("?")[0].endswith("/" + plural)]


def test_pagination_delivers_every_object_once(tmp_path: Path) -> None:
    with FakeApiServer(many_deployments(1234)) as server:
        report, sink = read(server, tmp_path, ReadOptions(page_size=100))
    names = sink.names("Deployment")
    assert len(names) == 1234 and len(set(names)) == 1234
    requests = list_requests(server, "deployments")
    assert len(requests) == 13  # ceil(1234 / 100)
    assert all("limit=100" in r for r in requests)
    assert sum("continue=" in r for r in requests) == 12
    assert report.counts["Deployment"] == 1234 and report.counts["Namespace"] == 2
    assert report.server_version == "v1.30.2" and not report.gaps
    first = next(i for i in sink.items if i["kind"] == "Deployment")
    assert first["apiVersion"] == "apps/v1"  # set on items, which list answers omit


def test_gzip_answers_are_read(tmp_path: Path) -> None:
    with FakeApiServer(many_deployments(120), gzip=True) as server:
        _report, sink = read(server, tmp_path, ReadOptions(page_size=50))
    assert len(set(sink.names("Deployment"))) == 120
    assert server.gzipped == len(server.requests)  # every answer came compressed


def test_gone_restarts_the_list_without_duplicates(tmp_path: Path) -> None:
    faults = Faults(gone_once={"deployments"})
    with FakeApiServer(many_deployments(250), faults=faults) as server:
        report, sink = read(server, tmp_path, ReadOptions(page_size=100))
    names = sink.names("Deployment")
    assert sorted(names) == sorted(set(names)) and len(names) == 250
    requests = list_requests(server, "deployments")
    # first page, a continue answered 410, the restart from the top, then two more pages
    assert [("continue=" in r) for r in requests] == [False, True, False, True, True]
    assert not report.gaps


def test_forbidden_namespace_is_a_gap_and_the_rest_is_read(tmp_path: Path) -> None:
    faults = Faults(forbidden_in={("deployments", "team-01")})
    with FakeApiServer(estate(3, 5), faults=faults) as server:
        options = ReadOptions(namespaces=("team-00", "team-01", "team-02"))
        report, sink = read(server, tmp_path, options)
    by_ns = Counter(i["metadata"]["namespace"] for i in sink.items if i["kind"] == "Deployment")
    assert by_ns == {"team-00": 5, "team-02": 5}
    assert Counter(i["metadata"]["namespace"] for i in sink.items if i["kind"] == "Service") == {
        "team-00": 5,
        "team-01": 5,
        "team-02": 5,
    }
    [gap] = report.gaps
    assert (gap.cluster, gap.resource, gap.namespace) == ("lab", "deployments", "team-01")
    assert gap.reason.startswith("403") and "forbidden" in gap.reason
    assert any("team-01" in w and "deployments" in w for w in report.warnings)


def test_unauthorized_resource_is_a_gap(tmp_path: Path) -> None:
    with FakeApiServer(estate(2, 3), faults=Faults(unauthorized={"configmaps"})) as server:
        report, sink = read(server, tmp_path)
    assert [(g.resource, g.namespace, g.reason[:3]) for g in report.gaps] == [
        ("configmaps", None, "401")
    ]
    assert len(sink.names("Deployment")) == 6 and not sink.names("ConfigMap")


def test_rejected_credentials_are_one_clear_error(tmp_path: Path) -> None:
    with FakeApiServer(estate(1, 2), faults=Faults(token="the-right-one")) as server:
        with pytest.raises(ClusterUnreachable) as err:
            read(server, tmp_path)
    message = str(err.value)
    assert "'lab'" in message and server.url in message and "401" in message


def test_chosen_namespaces_limit_every_namespaced_list(tmp_path: Path) -> None:
    objs = [*estate(3, 2), deployment("istio-system", "istiod")]
    objs[-1]["metadata"]["labels"]["app"] = "istiod"
    with FakeApiServer(objs) as server:
        report, sink = read(server, tmp_path, ReadOptions(namespaces=("team-02",)))
    assert sink.names("Namespace") == ["team-02"]
    namespaced = [i for i in sink.items if i["kind"] not in ("Namespace", "Node")]
    spaces = {i["metadata"]["namespace"] for i in namespaced}
    assert spaces == {"team-02", "istio-system"}  # the control plane is always looked for
    assert "istiod" in sink.names("Deployment")
    assert not any("/namespaces/team-00/" in r for r in server.requests)
    assert report.counts["Node"] == 2


def test_never_requests_secrets_and_reads_custom_resources_only_when_served(
    tmp_path: Path,
) -> None:
    assert not NEVER_READ & {spec.kind for spec in RESOURCES}
    with FakeApiServer(estate(2, 2), crds=["PeerAuthentication", "ServiceMonitor"]) as server:
        read(server, tmp_path)
    assert not [r for r in server.requests if "secret" in r]
    paths = {r.split("?")[0] for r in server.requests}
    assert "/apis/security.istio.io/v1/peerauthentications" in paths
    assert "/apis/monitoring.coreos.com/v1/servicemonitors" in paths
    assert "/apis/monitoring.coreos.com/v1/podmonitors" not in paths  # CRD not installed
    with FakeApiServer(estate(1, 1)) as bare:
        read(bare, tmp_path)
    assert not [r for r in bare.requests if "istio.io" in r or "monitoring" in r.split("?")[0][6:]]


def test_slow_answers_within_the_timeout_are_waited_for(tmp_path: Path) -> None:
    with FakeApiServer(estate(1, 3), faults=Faults(delay_s=0.02)) as server:
        report, sink = read(server, tmp_path, ReadOptions(read_timeout_s=2.0))
    assert len(sink.names("Deployment")) == 3 and not report.gaps


def test_an_answer_slower_than_the_timeout_is_one_clear_error(tmp_path: Path) -> None:
    with FakeApiServer(estate(1, 1), faults=Faults(delay_s=1.0)) as server:
        started = time.monotonic()
        with pytest.raises(ClusterUnreachable) as err:
            read(server, tmp_path, ReadOptions(read_timeout_s=0.3))
    assert time.monotonic() - started < 1.0
    assert "within 0.3 s" in str(err.value) and server.url in str(err.value)


def test_a_dropped_connection_is_retried(tmp_path: Path) -> None:
    with FakeApiServer(estate(1, 4), faults=Faults(drop_once={"services"})) as server:
        report, sink = read(server, tmp_path)
    assert len(sink.names("Service")) == 4 and not report.gaps


def test_a_server_that_keeps_dropping_connections_is_one_clear_error(tmp_path: Path) -> None:
    with FakeApiServer(estate(1, 1), faults=Faults(drop={"services"})) as server:
        with pytest.raises(ClusterUnreachable, match="closed the connection"):
            read(server, tmp_path)


def test_progress_is_reported_and_reaches_the_end(tmp_path: Path) -> None:
    seen: list[tuple[float, str]] = []
    with FakeApiServer(many_deployments(300)) as server:
        read(server, tmp_path, ReadOptions(page_size=50), progress=lambda f, m: seen.append((f, m)))
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert any("Deployments (" in m for _, m in seen)  # per page, with the running count


def test_cancel_stops_a_slow_import_within_one_second(tmp_path: Path) -> None:
    cancel = CancelToken()
    outcome: list[BaseException] = []

    def run(server: FakeApiServer) -> None:
        try:
            read(server, tmp_path, ReadOptions(page_size=10), cancel=cancel)
        except BaseException as exc:
            outcome.append(exc)

    with FakeApiServer(many_deployments(500), faults=Faults(delay_s=0.2)) as server:
        worker = threading.Thread(target=run, args=(server,))
        worker.start()
        time.sleep(0.7)
        assert worker.is_alive()
        cancelled_at = time.monotonic()
        cancel.cancel()
        worker.join(timeout=5)
        stopped_after = time.monotonic() - cancelled_at
        requests_at_stop = len(server.requests)
        time.sleep(0.3)
        assert len(server.requests) == requests_at_stop  # nothing more was asked
    assert not worker.is_alive() and stopped_after < 1.0
    assert len(outcome) == 1 and isinstance(outcome[0], JobCancelled)
