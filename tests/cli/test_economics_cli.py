"""``mesh-workbench economics``: tables, JSON and user errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import require
from workbench.cli import main


def _sample(sample_plan_path: Path) -> Path:
    try:
        import workbench.io.plan_file  # noqa: F401
    except ImportError:
        require(False, "workbench.io.plan_file")
    return sample_plan_path


def test_economics_json(sample_plan_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _sample(sample_plan_path)
    assert main(["economics", str(path), "--scenario", "playbook", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["metrics"]["total_cost"] == 7_050_000
    assert round(data["metrics"]["roi"], 4) == 1.3404
    assert len(data["months"]) == 36
    assert (
        data["sensitivity"]
        and data["monte_carlo"]["npv"]["p10"] < data["monte_carlo"]["npv"]["p90"]
    )


def test_economics_table(sample_plan_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _sample(sample_plan_path)
    assert main(["economics", str(path), "--scenario", "ramp-with-migration"]) == 0
    out = capsys.readouterr().out
    assert "Sensitivity" in out and "payback 15.8 months" in out
    assert len([line for line in out.splitlines() if line[:5].strip().isdigit()]) >= 36


def test_unknown_scenario_is_one_line(
    sample_plan_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _sample(sample_plan_path)
    assert main(["economics", str(path), "--scenario", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no scenario named 'nope'" in err
