"""``mesh-workbench diff A B [--json]``: the changes, the JSON shape, one-line errors."""

from __future__ import annotations

import copy
import json
from datetime import timedelta
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.domain.plan import Plan
from workbench.io.plan_file import load_plan, save_plan


@pytest.fixture(scope="module")
def plans(sample_plan_path: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("diff")
    a: Plan = load_plan(sample_plan_path)
    a.active_scenario = "playbook"  # the playbook's figures, benefits from month 1
    b = copy.deepcopy(a)
    wave = b.schedule.waves[1]
    wave.start += timedelta(days=7)
    wave.end += timedelta(days=7)
    moved = b.schedule.waves[0].members[0]
    b.schedule.assign(moved, wave.id)
    b.assumptions.discount_rate = 0.08
    b.active_scenario = "ramp-with-migration"
    save_plan(a, folder / "a.meshplan", keep_backup=False)
    save_plan(b, folder / "b.meshplan", keep_backup=False)
    return folder / "a.meshplan", folder / "b.meshplan"


def test_json_shape(plans: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    a, b = plans
    assert main(["diff", str(a), str(b), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {
        "a", "b", "identical", "workloads", "wave_moves", "waves", "date_changes",
        "assumptions", "scenarios", "settings", "comments", "kpis",
    }  # fmt: skip
    assert data["identical"] is False
    assert set(data["workloads"]) == {"added", "removed"}
    assert set(data["waves"]) == {"added", "removed", "changes"}
    assert set(data["scenarios"]) == {"added", "removed", "changed", "active"}
    (move,) = data["wave_moves"]
    assert set(move) == {"workload", "from", "to"} and move["to"] == "wave-02"
    (dates,) = data["date_changes"]
    assert dates["kind"] == "wave" and dates["start_shift_days"] == 7
    assert dates["start"]["new"] > dates["start"]["old"]
    assert {"path": "discount_rate", "old": 0.1, "new": 0.08} in data["assumptions"]
    assert data["scenarios"]["active"] == {"old": "playbook", "new": "ramp-with-migration"}
    kpis = {k["name"]: k for k in data["kpis"]}
    assert {"npv", "roi", "payback_months", "total_cost", "overhead_monthly_cost"} <= set(kpis)
    payback = kpis["payback_months"]
    assert payback["new"] > payback["old"]  # benefits now ramp in: payback comes later
    assert payback["delta"] == pytest.approx(payback["new"] - payback["old"], abs=1e-5)
    assert set(payback) == {"name", "old", "new", "delta"}


def test_text_output(plans: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    a, b = plans
    assert main(["diff", str(a), str(b)]) == 0
    out = capsys.readouterr().out
    assert "Wave moves (1):" in out and "-> wave-02" in out
    assert "Date changes (1):" in out and "start +7 d" in out
    assert "discount_rate: 0.1 -> 0.08" in out
    assert "active scenario: playbook -> ramp-with-migration" in out
    assert "KPIs" in out and "payback_months" in out


def test_same_plan_is_identical(
    plans: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    a, _ = plans
    assert main(["diff", str(a), str(a), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["identical"] is True
    assert all(k["delta"] in (0, None) for k in data["kpis"])


@pytest.mark.parametrize("bad", ["missing.meshplan", "garbage.meshplan"])
def test_bad_input_exits_2_with_one_line(
    plans: tuple[Path, Path], tmp_path: Path, bad: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "garbage.meshplan").write_bytes(b"not a plan at all")
    a, _ = plans
    assert main(["diff", str(a), str(tmp_path / bad)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mesh-workbench: error:")
    assert bad in lines[0]
