"""The live-import use-case: several clusters at once, partial imports, merge, Cancel."""

from __future__ import annotations

import os
import socket
import threading
import time
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
from workbench.domain.errors import WorkbenchError
from workbench.domain.jobs import CancelToken, JobCancelled
from workbench.domain.schedule import Wave
from workbench.io.cluster_reader import ClusterUnreachable, ReadOptions
from workbench.io.kubeconfig import KubeconfigError
from workbench.io.plan_file import load_plan, save_plan
from workbench.ops.import_cluster import available_contexts, import_clusters

pytestmark = pytest.mark.usefixtures("loopback_only")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def with_system(objs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    istiod = deployment("istio-system", "istiod")
    istiod["metadata"]["labels"] = {"app": "istiod", "istio.io/rev": "default"}
    istiod["spec"]["template"]["spec"]["containers"][0]["image"] = "docker.io/istio/pilot:1.24.2"
    return [*objs, namespace("istio-system"), namespace("kube-system"), istiod]


def test_two_contexts_in_one_kubeconfig_list_import_both_clusters(tmp_path: Path) -> None:
    east_objs = with_system(estate(2, 4))
    with FakeApiServer(east_objs) as east, FakeApiServer(estate(3, 2), version="v1.29.6") as west:
        first = write_kubeconfig(tmp_path / "first", {"east": east.url})
        second = write_kubeconfig(tmp_path / "second", {"west": west.url})
        env = {"KUBECONFIG": f"{first}{os.pathsep}{second}"}
        seen: list[tuple[float, str]] = []
        outcome = import_clusters(
            ["east", "west"], env=env, progress=lambda f, m: seen.append((f, m))
        )
    inv = outcome.plan.inventory
    assert sorted(inv.clusters) == ["east", "west"]
    assert inv.clusters["west"].server_version == "v1.29.6"
    assert inv.clusters["east"].nodes.count == 2
    istio = inv.clusters["east"].istio
    assert istio is not None and istio.version == "1.24.2" and istio.revisions == ["default"]
    assert len([w for w in inv.workloads.values() if w.cluster == "east"]) == 9  # 8 + istiod
    assert len([w for w in inv.workloads.values() if w.cluster == "west"]) == 6
    assert "west/team-02/Deployment/svc-001" in inv.workloads
    assert sorted(outcome.system_namespaces) == ["east/istio-system", "east/kube-system"]
    assert inv.namespaces["east/kube-system"].is_system
    # env vars name the next service: discovery turned them into edges
    edge = outcome.plan.dependencies.edges[
        ("east/team-00/Deployment/svc-000", "east/team-00/Deployment/svc-001")
    ]
    assert edge.evidence and edge.evidence[0].kind == "env"
    assert seen[-1][0] == 1.0 and [f for f, _ in seen] == sorted(f for f, _ in seen)
    assert len(outcome.plan.schedule.phases) == 4  # a new plan starts from the defaults
    assert not outcome.gaps and "east" in outcome.summary() and "west" in outcome.summary()


def test_nothing_secret_or_from_the_kubeconfig_reaches_the_plan_file(tmp_path: Path) -> None:
    objs = estate(1, 3)
    first = next(o for o in objs if o["kind"] == "Deployment")
    first["spec"]["template"]["spec"]["containers"][0]["env"] += [
        {"name": "DB_PASSWORD", "value": "hunter2-in-env"},
        {"name": "DB_URL", "value": "postgres://admin:s3cr3t-pw@db.team-00.svc:5432/app"},
    ]
    with FakeApiServer(objs) as server:
        config = write_kubeconfig(tmp_path / "config", {"lab": server.url}, token="tok-abc123")
        outcome = import_clusters(kubeconfig=config)
    assert not [r for r in server.requests if "secret" in r]
    save_plan(outcome.plan, tmp_path / "lab.meshplan")
    from workbench.io.plan_file import plan_to_bytes

    raw = plan_to_bytes(outcome.plan)
    for needle in ("hunter2", "s3cr3t-pw", "tok-abc123", "127.0.0.1", str(config)):
        assert needle.encode() not in raw
    assert load_plan(tmp_path / "lab.meshplan").inventory.workloads.keys() == (
        outcome.plan.inventory.workloads.keys()
    )


def test_a_context_that_is_down_leaves_a_partial_import_with_a_warning(tmp_path: Path) -> None:
    down = f"http://127.0.0.1:{free_port()}"
    with FakeApiServer(estate(1, 2)) as up:
        config = write_kubeconfig(tmp_path / "config", {"up": up.url, "down": down})
        outcome = import_clusters(["up", "down"], kubeconfig=config)
    assert list(outcome.plan.inventory.clusters) == ["up"]
    assert [(g.cluster, g.resource) for g in outcome.gaps] == [("down", "*")]
    assert any("'down'" in w and "connection refused" in w for w in outcome.warnings)
    assert "down: not imported" in outcome.summary()


def test_every_context_down_is_one_clear_error(tmp_path: Path) -> None:
    a, b = f"http://127.0.0.1:{free_port()}", f"http://127.0.0.1:{free_port()}"
    config = write_kubeconfig(tmp_path / "config", {"a": a, "b": b})
    with pytest.raises(ClusterUnreachable, match=f"'a' from {a}: cannot connect"):
        import_clusters(["a"], kubeconfig=config)
    with pytest.raises(WorkbenchError, match="no context could be imported") as err:
        import_clusters(["a", "b"], kubeconfig=config)
    assert a in str(err.value) and b in str(err.value)


def test_unknown_context_and_unreadable_kubeconfig(tmp_path: Path) -> None:
    config = write_kubeconfig(tmp_path / "config", {"lab": "http://127.0.0.1:9"})
    with pytest.raises(KubeconfigError, match=r"no context named 'prod'.*it has: lab"):
        import_clusters(["prod"], kubeconfig=config)
    config.write_bytes(b"\x00\x01 not yaml at all: [")
    with pytest.raises(KubeconfigError, match="not"):
        import_clusters(["lab"], kubeconfig=config)


def test_forbidden_namespace_is_recorded_in_the_plan(tmp_path: Path) -> None:
    faults = Faults(forbidden_in={("deployments", "team-01")})
    with FakeApiServer(estate(2, 3), faults=faults) as server:
        config = write_kubeconfig(tmp_path / "config", {"lab": server.url})
        outcome = import_clusters(kubeconfig=config, namespaces=["team-00", "team-01"])
    inv = outcome.plan.inventory
    assert [(g.resource, g.namespace) for g in inv.gaps] == [("deployments", "team-01")]
    assert {w.namespace for w in inv.workloads.values()} == {"team-00"}
    assert outcome.partial and any("team-01" in w for w in outcome.warnings)


def test_reimport_into_an_existing_plan_keeps_waves_and_flags_what_vanished(
    tmp_path: Path,
) -> None:
    with FakeApiServer(estate(1, 3)) as server:
        config = write_kubeconfig(tmp_path / "config", {"lab": server.url})
        first = import_clusters(kubeconfig=config).plan
    pilot = first.schedule.phases[1]
    first.schedule.waves.append(
        Wave(
            "w1",
            "Pilot wave",
            pilot.id,
            pilot.start,
            pilot.end,
            members=["lab/team-00/Deployment/svc-000"],
        )
    )
    first.schedule.reindex()
    newer = [o for o in estate(1, 3) if o["metadata"]["name"] != "svc-002"]
    newer.append(deployment("team-00", "svc-new"))
    with FakeApiServer(newer) as server:
        config = write_kubeconfig(tmp_path / "config", {"lab": server.url})
        outcome = import_clusters(kubeconfig=config, into=first)
    inv = outcome.plan.inventory
    assert outcome.plan.schedule.waves[0].members == ["lab/team-00/Deployment/svc-000"]
    assert inv.workloads["lab/team-00/Deployment/svc-002"].vanished
    assert "lab/team-00/Deployment/svc-new" in outcome.plan.unassigned()
    assert outcome.merge is not None and outcome.merge.added == ["lab/team-00/Deployment/svc-new"]
    assert not first.inventory.workloads["lab/team-00/Deployment/svc-002"].vanished


def test_cancel_stops_a_slow_two_cluster_import_within_one_second(tmp_path: Path) -> None:
    cancel = CancelToken()
    failures: list[BaseException] = []
    # every answer takes 2 s: Cancel lands while both readers wait on a request
    with (
        FakeApiServer(estate(2, 5), faults=Faults(delay_s=2.0)) as a,
        FakeApiServer(estate(2, 5), faults=Faults(delay_s=2.0)) as b,
    ):
        config = write_kubeconfig(tmp_path / "config", {"a": a.url, "b": b.url})

        def run() -> None:
            try:
                import_clusters(["a", "b"], kubeconfig=config, cancel=cancel)
            except BaseException as exc:
                failures.append(exc)

        worker = threading.Thread(target=run)
        worker.start()
        time.sleep(0.5)
        assert worker.is_alive()
        cancelled_at = time.monotonic()
        cancel.cancel()
        worker.join(timeout=5)
        stopped_after = time.monotonic() - cancelled_at
    assert not worker.is_alive() and stopped_after < 1.0, stopped_after
    assert len(failures) == 1 and isinstance(failures[0], JobCancelled)


def test_page_size_and_timeout_reach_the_reader(tmp_path: Path) -> None:
    with FakeApiServer(estate(1, 30)) as server:
        config = write_kubeconfig(tmp_path / "config", {"lab": server.url})
        outcome = import_clusters(kubeconfig=config, options=ReadOptions(page_size=7))
    assert len(outcome.plan.inventory.workloads) == 30
    deployments = [r for r in server.requests if r.startswith("/apis/apps/v1/deployments?")]
    assert len(deployments) == 5 and all("limit=7" in r for r in deployments)


def test_a_chosen_namespace_that_does_not_exist_is_a_warning(tmp_path: Path) -> None:
    with FakeApiServer(estate(1, 2)) as server:
        config = write_kubeconfig(tmp_path / "config", {"lab": server.url})
        contexts, current = available_contexts(config)
        assert [c.name for c in contexts] == ["lab"] and current == "lab"
        outcome = import_clusters(kubeconfig=config, namespaces=["team-00", "typo"])
    assert "lab: namespace typo was not found" in outcome.warnings
    assert list(outcome.plan.inventory.namespaces) == ["lab/team-00"]
