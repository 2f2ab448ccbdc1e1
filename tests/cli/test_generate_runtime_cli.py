"""`generate --hubble/--otlp/--flow-log`: captures of the known graph that `deps add` reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.cli import main
from workbench.io.plan_file import load_plan


def test_generated_captures_give_back_the_stated_graph(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "e.meshplan"
    files = {name: tmp_path / f"{name}.out" for name in ("hubble", "otlp", "flow-log")}
    args = ["generate", "--workloads", "120", "--seed", "4", "-o", str(plan), "--noise", "2"]
    for name, path in files.items():
        args += [f"--{name}", str(path)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Hubble flow lines, 2026-11-02T00:00:00Z to 2026-11-09T00:00:00Z" in out
    stated = load_plan(plan)
    assert all(w.pod_ips for w in stated.inventory.workloads.values())
    edges = set(stated.dependencies.edges)
    assert main(["deps", "add", str(plan), *map(str, files.values())]) == 0
    out = capsys.readouterr().out
    assert out.count(f"0 edge(s) added, {len(edges)} merged") == 3
    merged = load_plan(plan)
    assert set(merged.dependencies.edges) == edges
    assert {ev.source for e in merged.dependencies.edges.values() for ev in e.evidence} == {
        "static",
        "runtime",
    }


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [("--days", "abc", "--days takes a number"), ("--noise", "-1", "--noise must be between")],
)
def test_bad_capture_options_are_one_line_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str, value: str, message: str
) -> None:
    args = ["generate", "--workloads", "10", "-o", str(tmp_path / "x.meshplan"), option, value]
    assert main(args) == 2
    assert message in capsys.readouterr().err
