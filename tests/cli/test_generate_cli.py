"""``mesh-workbench generate``: writes a loadable plan, refuses bad arguments in one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.io.plan_file import load_plan
from workbench.ops.generate import generate_plan


def test_generate_writes_the_plan_the_generator_builds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "estate.meshplan"
    code = main(
        ["generate", "--workloads", "120", "--clusters", "2", "--seed", "3", "-o", str(out)]
    )
    assert code == 0
    assert load_plan(out) == generate_plan(120, 2, seed=3)
    printed = capsys.readouterr().out
    assert "120 workloads" in printed and str(out) in printed


def test_namespaces_option(tmp_path: Path) -> None:
    out = tmp_path / "ns.meshplan"
    assert main(["generate", "--workloads", "40", "--namespaces", "8", "-o", str(out)]) == 0
    assert len(load_plan(out).inventory.namespaces) == 8


@pytest.mark.parametrize(
    ("args", "word"),
    [
        (["--workloads", "0"], "workloads"),
        (["--workloads", "-5"], "workloads"),
        (["--workloads", "ten"], "--workloads"),
        (["--workloads", "10", "--clusters", "0"], "clusters"),
        (["--workloads", "10", "--clusters", "21"], "clusters"),
        (["--workloads", "10", "--clusters", "two"], "--clusters"),
        (["--workloads", "10", "--seed", "x"], "--seed"),
        (["--workloads", "10", "--namespaces", "11"], "namespaces"),
        (["--clusters", "2"], "--workloads"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], word: str
) -> None:
    out = tmp_path / "bad.meshplan"
    assert main(["generate", *args, "-o", str(out)]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and word in lines[0]
    assert not out.exists()


def test_missing_output_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "--workloads", "10"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "-o" in lines[0]


def test_unwritable_output_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "--workloads", "5", "-o", str(tmp_path / "no" / "x.meshplan")]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_as_a_process(tmp_path: Path) -> None:
    bad = subprocess.run(
        [sys.executable, "-m", "workbench", "generate", "--workloads", "0", "-o", "x"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert bad.returncode == 2
    assert len(bad.stderr.strip().splitlines()) == 1 and "Traceback" not in bad.stderr
    out = tmp_path / "p.meshplan"
    ok = subprocess.run(
        [sys.executable, "-m", "workbench", "generate", "--workloads", "30", "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ok.returncode == 0, ok.stderr
    assert len(load_plan(out).inventory.workloads) == 30


@pytest.mark.parametrize(("workloads", "clusters", "pods"), [(120, 2, 1200), (300, 3, 800)])
def test_pods_option_sets_the_total_pod_count(
    tmp_path: Path, workloads: int, clusters: int, pods: int
) -> None:
    out = tmp_path / "pods.meshplan"
    args = ["generate", "--workloads", str(workloads), "--clusters", str(clusters)]
    assert main([*args, "--pods", str(pods), "-o", str(out)]) == 0
    plan = load_plan(out)
    assert plan.inventory.total_pods() == pods
    assert len(plan.inventory.workloads) == workloads
    assert plan == generate_plan(workloads, clusters, pods=pods)  # deterministic


def test_pods_option_refuses_an_impossible_total(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate", "--workloads", "50", "--pods", "20", "-o", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "pods must be between 50" in err
