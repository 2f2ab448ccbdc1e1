"""``mesh-workbench import cluster`` end to end against loopback API servers."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.io.k8s_api_server import FakeApiServer, Faults, deployment, estate, write_kubeconfig
from workbench.cli import main
from workbench.io.plan_file import load_plan

pytestmark = pytest.mark.usefixtures("loopback_only")


def test_two_contexts_into_one_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with FakeApiServer(estate(2, 3)) as east, FakeApiServer(estate(1, 2)) as west:
        config = write_kubeconfig(tmp_path / "config", {"east": east.url, "west": west.url})
        plan_path = tmp_path / "estate.meshplan"
        argv = ["import", "cluster", "--kubeconfig", str(config), "--context", "east"]
        argv += ["--context", "west", "-o", str(plan_path)]
        assert main(argv) == 0
    out = capsys.readouterr().out
    assert "east -> cluster east (v1.30.2)" in out and f"wrote {plan_path}" in out
    plan = load_plan(plan_path)
    assert sorted(plan.inventory.clusters) == ["east", "west"]
    assert len(plan.inventory.workloads) == 8


def test_namespaces_and_merge_into_an_existing_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "first.meshplan", tmp_path / "second.meshplan"
    with FakeApiServer(estate(3, 2)) as server:
        config = write_kubeconfig(tmp_path / "config", {"lab": server.url})
        base = ["import", "cluster", "--kubeconfig", str(config)]
        only = ["--namespace", "team-00", "--namespace", "team-02"]
        assert main([*base, *only, "-o", str(first)]) == 0
        server.add(deployment("team-01", "late-arrival"))
        assert main([*base, "--namespace", "team-01", "--into", str(first), "-o", str(second)]) == 0
    assert "merged: 3 new workload(s)" in capsys.readouterr().out
    spaces = {w.namespace for w in load_plan(first).inventory.workloads.values()}
    assert spaces == {"team-00", "team-02"}
    merged = load_plan(second).inventory.workloads
    assert {w.namespace for w in merged.values()} == {"team-00", "team-01", "team-02"}
    assert "lab/team-01/Deployment/late-arrival" in merged


def test_partial_import_warns_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with FakeApiServer(estate(1, 2), faults=Faults(forbidden={"configmaps"})) as server:
        config = write_kubeconfig(tmp_path / "config", {"lab": server.url})
        argv = ["import", "cluster", "--kubeconfig", str(config), "-o", str(tmp_path / "p")]
        assert main(argv) == 0
    err = capsys.readouterr().err
    assert "warning: lab: could not read configmaps: 403" in err
    assert [g.resource for g in load_plan(tmp_path / "p").inventory.gaps] == ["configmaps"]


def test_list_contexts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_kubeconfig(
        tmp_path / "config", {"a": "https://127.0.0.1:1", "b": "https://127.0.0.1:2"}, current="b"
    )
    assert main(["import", "cluster", "--kubeconfig", str(config), "--list-contexts"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "  a\thttps://127.0.0.1:1",
        "* b\thttps://127.0.0.1:2",
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--context", "nope"], "no context named 'nope'"),
        ([], "cannot connect (connection refused)"),
        (["--list-contexts", "--kubeconfig", "/nonexistent/config"], "kubeconfig not found"),
        (["--timeout", "0"], "must be positive"),
    ],
)
def test_user_errors_are_one_line_and_exit_2(
    tmp_path: Path, args: list[str], expected: str
) -> None:
    config = write_kubeconfig(tmp_path / "config", {"lab": f"http://127.0.0.1:{free_port()}"})
    argv = [sys.executable, "-m", "workbench", "import", "cluster", "--kubeconfig", str(config)]
    argv += [*args, "-o", str(tmp_path / "out.meshplan")]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60, env={"PATH": ""})
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mesh-workbench: error: "), done.stderr
    assert expected in lines[0]
    assert not (tmp_path / "out.meshplan").exists()
