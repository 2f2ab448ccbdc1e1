"""`mesh-workbench summary`, `--version` and user errors, run as real processes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

FOUNDATION_KEYS = [
    "title",
    "clusters",
    "namespaces",
    "workloads",
    "pods",
    "phases",
    "waves",
    "unassigned",
]


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=cwd,
    )


def test_summary_json_of_the_sample_plan(sample_plan_path: Path) -> None:
    result = cli("summary", str(sample_plan_path), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    for key in FOUNDATION_KEYS:
        assert key in data, key
    assert data["phases"] == 4
    for key in ["clusters", "namespaces", "workloads", "pods", "waves"]:
        assert isinstance(data[key], int) and data[key] > 0, key
    assert data["pods"] >= data["workloads"]
    assert 0 <= data["unassigned"] <= data["workloads"]


def test_summary_text_lists_the_same_figures(sample_plan_path: Path) -> None:
    result = cli("summary", str(sample_plan_path))
    assert result.returncode == 0, result.stderr
    assert "workloads" in result.stdout and "phases" in result.stdout


def test_unknown_scenario_is_a_user_error(sample_plan_path: Path) -> None:
    result = cli("summary", str(sample_plan_path), "--scenario", "no-such-scenario")
    assert result.returncode == 2
    assert "no-such-scenario" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "content, words",
    [
        (b"", "empty"),
        (b"this is not a plan", "gzip"),
    ],
)
def test_bad_plan_file_gives_one_clear_line(tmp_path: Path, content: bytes, words: str) -> None:
    bad = tmp_path / "bad.meshplan"
    bad.write_bytes(content)
    result = cli("summary", str(bad), "--json")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "bad.meshplan" in lines[0]
    assert words in lines[0].lower()


def test_missing_file_is_a_user_error(tmp_path: Path) -> None:
    result = cli("summary", str(tmp_path / "absent.meshplan"))
    assert result.returncode == 2
    assert "absent.meshplan" in result.stderr
    assert "Traceback" not in result.stderr


def test_version() -> None:
    result = cli("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("mesh-workbench ")
