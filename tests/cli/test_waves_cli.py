"""``mesh-workbench waves PLAN [--json]``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.plans import with_clusters
from tests.domain.planning_plans import add_wave, full, make_plan
from workbench.cli import main
from workbench.io.plan_file import save_plan


def test_waves_json_contract(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = make_plan(["a", "b", "c"], pods=2)
    add_wave(plan, "w1", ["b", "a"], phase="pilot", mtls="STRICT")
    add_wave(plan, "w2", ["c"], mode="ambient")
    path = tmp_path / "p.meshplan"
    save_plan(with_clusters(plan), path)
    assert main(["waves", str(path), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc == {
        "waves": [
            {
                "name": "w1",
                "phase": "pilot",
                "start": "2027-05-01",
                "end": "2027-05-14",
                "mode": "sidecar",
                "mtls": "STRICT",
                "members": [full("b"), full("a")],
            },
            {
                "name": "w2",
                "phase": "core",
                "start": "2027-08-01",
                "end": "2027-08-14",
                "mode": "ambient",
                "mtls": "PERMISSIVE",
                "members": [full("c")],
            },
        ]
    }


def test_waves_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = make_plan(["a", "b"], pods=3)
    add_wave(plan, "first", ["a"])
    path = tmp_path / "p.meshplan"
    save_plan(with_clusters(plan), path)
    assert main(["waves", str(path)]) == 0
    out = capsys.readouterr().out
    assert "first" in out and "1 workload(s), 3 pod(s)" in out and "1 workload(s) in no wave" in out


def test_waves_of_a_missing_file_is_a_user_error(tmp_path: Path) -> None:
    assert main(["waves", str(tmp_path / "nope.meshplan")]) == 2


def test_planning_fields_survive_the_plan_file(tmp_path: Path) -> None:
    from datetime import date

    from workbench.io.plan_file import load_plan

    plan = make_plan(["a"])
    add_wave(plan, "w1", ["a"], mode="ambient", authz=True, waypoints=["c1/shop"])
    plan.schedule.max_concurrent_waves = 3
    plan.schedule.namespace_strict["c1/shop"] = date(2027, 9, 1)
    path = tmp_path / "p.meshplan"
    save_plan(with_clusters(plan), path)
    loaded = load_plan(path).schedule
    assert loaded.wave("w1").authz and loaded.wave("w1").waypoints == ["c1/shop"]
    assert loaded.max_concurrent_waves == 3
    assert loaded.namespace_strict == {"c1/shop": date(2027, 9, 1)}
