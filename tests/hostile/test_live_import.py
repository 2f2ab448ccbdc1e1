"""Live import against hostile or failing servers and credentials, over real HTTP with the
real ``kubernetes`` client: a server dripping one byte at a time, an exec credential
plugin that is missing or fails, and one context of two that cannot be read."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml

from tests.conftest import require
from tests.io.k8s_api_server import (
    FakeApiServer,
    Faults,
    estate,
    make_certificate,
    write_kubeconfig,
)
from workbench.domain.jobs import JobCancelled
from workbench.io.cluster_api import ClusterApi, ClusterUnreachable, ReadOptions
from workbench.io.kubeconfig import load_kubeconfig
from workbench.io.plan_file import load_plan
from workbench.ops.summary import plan_summary

pytestmark = pytest.mark.usefixtures("loopback_only")


def run_cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KUBE")}
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env=env,
    )


@pytest.mark.parametrize(
    ("drip_s", "timeout"),
    [(0.2, 2), (2.0, 5)],  # the second is the issue's own case: a byte every 2 s, --timeout 5
    ids=["fast-drip", "byte-every-2s"],
)
def test_a_dripping_server_is_cut_off_within_the_timeout(
    tmp_path: Path, drip_s: float, timeout: int
) -> None:
    """``--timeout`` bounds the whole request (connect, send and the whole answer), not
    each socket read, and not a connect timeout plus the answer's."""
    with FakeApiServer(estate(1, 2), faults=Faults(drip_s=drip_s)) as server:
        config = write_kubeconfig(tmp_path / "config", {"lab": server.url})
        started = time.monotonic()
        done = run_cli(
            "import",
            "cluster",
            "--kubeconfig",
            str(config),
            "--timeout",
            str(timeout),
            "-o",
            str(tmp_path / "out.meshplan"),
        )
        elapsed = time.monotonic() - started
    assert done.returncode == 2, done.stderr
    [line] = done.stderr.strip().splitlines()
    assert "error: cannot import context 'lab'" in line, line
    assert f"no complete answer to /version within {timeout} s" in line, line
    assert elapsed < timeout + 4, elapsed  # a guard against overshooting, not a benchmark
    assert not (tmp_path / "out.meshplan").exists()


@pytest.mark.parametrize("how", ["timed out", "cancelled", "timed out over TLS"])
def test_a_request_given_up_on_ends_its_thread_and_connection(tmp_path: Path, how: str) -> None:
    """A request abandoned on a dripping server (its time passed, or the import was
    cancelled) does not read on in the background: its connection is shut down and its
    helper thread (a daemon, which never keeps the process alive) ends."""
    helpers: set[threading.Thread] = set()
    cancel_at = time.monotonic() + (1.0 if how == "cancelled" else 600)

    def cancelled() -> bool:  # asked while the request runs: note the thread running it
        helpers.update(t for t in threading.enumerate() if t.name == "request /version")
        return time.monotonic() > cancel_at

    tls = None
    if how.endswith("TLS"):
        require(shutil.which("openssl") is not None, "the openssl command")
        tls = make_certificate(tmp_path)
    with FakeApiServer(estate(1, 1), faults=Faults(drip_s=0.5), tls=tls) as server:
        path = write_kubeconfig(
            tmp_path / "config", {"lab": server.url}, ca=tls[0] if tls else None
        )
        config = load_kubeconfig(path)
        [context] = config.select(["lab"])
        api = ClusterApi(config, context, ReadOptions(read_timeout_s=1.0), cancelled)
        try:
            with pytest.raises(JobCancelled if how == "cancelled" else ClusterUnreachable):
                api.get("/version")
            for helper in helpers:
                helper.join(10)  # a guard against hangs: the answer drips on for 100 s
        finally:
            api.close()
    assert api.abandoned
    assert helpers and all(t.daemon and not t.is_alive() for t in helpers)


def test_the_overall_deadline_cuts_off_a_dripping_server_before_the_request_timeout(
    tmp_path: Path,
) -> None:
    with FakeApiServer(estate(1, 2), faults=Faults(drip_s=0.5)) as server:
        config = write_kubeconfig(tmp_path / "config", {"lab": server.url})
        started = time.monotonic()
        done = run_cli(
            "import",
            "cluster",
            "--kubeconfig",
            str(config),
            "--deadline",
            "2",
            "-o",
            str(tmp_path / "out.meshplan"),
        )  # --timeout stays at its 30 s
        elapsed = time.monotonic() - started
    assert done.returncode == 2, done.stderr
    [line] = done.stderr.strip().splitlines()
    assert "the import's deadline of 2 s passed while reading /version" in line, line
    assert elapsed < 2 + 3, elapsed  # a guard, not a benchmark
    assert not (tmp_path / "out.meshplan").exists()


def test_the_overall_deadline_bounds_a_slow_context(tmp_path: Path) -> None:
    with FakeApiServer(estate(3, 3), faults=Faults(delay_s=0.4)) as server:
        config = write_kubeconfig(tmp_path / "config", {"lab": server.url})
        done = run_cli(
            "import",
            "cluster",
            "--kubeconfig",
            str(config),
            "--deadline",
            "1.5",
            "-o",
            str(tmp_path / "out.meshplan"),
        )
    assert done.returncode == 2, done.stderr
    assert "deadline of 1.5 s passed" in done.stderr


def _exec_kubeconfig(path: Path, server: str, command: str) -> Path:
    write_kubeconfig(path, {"lab": server})
    doc = yaml.safe_load(path.read_text())
    doc["users"][0]["user"] = {
        "exec": {
            "apiVersion": "client.authentication.k8s.io/v1beta1",
            "command": command,
            "interactiveMode": "Never",
        }
    }
    path.write_text(yaml.safe_dump(doc))
    return path


@pytest.mark.parametrize("plugin", ["missing", "failing"])
def test_a_failing_exec_plugin_is_a_clear_error_and_nothing_is_sent(
    tmp_path: Path, plugin: str
) -> None:
    if plugin == "missing":
        command = str(tmp_path / "no-such-authenticator")
    else:
        command = str(tmp_path / "failing-authenticator")
        Path(command).write_text("#!/bin/sh\necho 'token service unavailable' >&2\nexit 3\n")
        Path(command).chmod(0o755)
    with FakeApiServer(estate(1, 2)) as server:  # anonymous reads allowed: no 401 to hide behind
        config = _exec_kubeconfig(tmp_path / "config", server.url, command)
        done = run_cli(
            "import", "cluster", "--kubeconfig", str(config), "-o", str(tmp_path / "o.meshplan")
        )
        sent = list(server.requests)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "exec credential plugin" in lines[0] and command in lines[0]
    assert "ERROR:root" not in done.stderr
    assert sent == []  # never an unauthenticated fallback
    assert not (tmp_path / "o.meshplan").exists()


def test_a_context_that_fails_is_a_gap_in_the_plan_and_in_summary_json(tmp_path: Path) -> None:
    with (
        FakeApiServer(estate(1, 2)) as good,
        FakeApiServer(estate(1, 1), faults=Faults(drop={"*"})) as bad,
    ):
        config = write_kubeconfig(tmp_path / "config", {"good": good.url, "bad": bad.url})
        bad.stop()  # nothing listens there any more
        out = tmp_path / "estate.meshplan"
        done = run_cli(
            "import",
            "cluster",
            "--kubeconfig",
            str(config),
            "--context",
            "good",
            "--context",
            "bad",
            "--timeout",
            "3",
            "-o",
            str(out),
        )
    assert done.returncode == 2, done.stderr  # a partial import is no success
    [line] = done.stderr.strip().splitlines()  # one line names the context and the gap
    assert line.startswith("error: cannot import context 'bad'") and "import gap" in line
    assert "wrote" in done.stdout
    plan = load_plan(out)
    gaps = [g for g in plan.inventory.gaps if g.cluster == "bad"]
    assert len(gaps) == 1 and gaps[0].resource == "*"
    summary = run_cli("summary", str(out), "--json")
    data = json.loads(summary.stdout)
    assert [g["cluster"] for g in data["import_gaps"]] == ["bad"]
    assert "cannot import context 'bad'" in data["import_gaps"][0]["reason"]
    assert plan_summary(plan)["import_gaps"] == data["import_gaps"]


def test_an_invalid_object_from_a_server_is_skipped_with_a_warning(tmp_path: Path) -> None:
    from tests.io.k8s_api_server import deployment

    bad = deployment("team-00", "bad")
    bad["spec"]["template"]["spec"]["containers"][0]["ports"] = [{"containerPort": 70000}]
    with FakeApiServer([*estate(1, 2), bad]) as server:
        config = write_kubeconfig(tmp_path / "config", {"lab": server.url})
        out = tmp_path / "estate.meshplan"
        done = run_cli("import", "cluster", "--kubeconfig", str(config), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "Deployment team-00/bad skipped: spec.template.spec.containers[0].ports[0]" in (
        done.stderr
    )
    plan = load_plan(out)
    assert plan.inventory.workloads and not any(
        k.endswith("/bad") for k in plan.inventory.workloads
    )
