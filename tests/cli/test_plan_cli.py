"""``mesh-workbench plan auto``: options in, a planned plan file out."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.plans import with_clusters
from tests.domain.planning_plans import full, make_plan
from workbench.cli import main
from workbench.io.plan_file import load_plan, save_plan


@pytest.fixture()
def plan_file(tmp_path: Path) -> Path:
    plan = make_plan(
        ["shop-dev/a", "shop-prod/a", "shop-prod/b", "c"], [("shop-prod/a", "shop-prod/b")]
    )
    path = tmp_path / "in.meshplan"
    save_plan(with_clusters(plan), path)
    return path


def test_plan_auto_writes_the_planned_file(
    plan_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.meshplan"
    code = main(
        [
            "plan",
            "auto",
            str(plan_file),
            "-o",
            str(out),
            "--max-workloads",
            "2",
            "--pilot-size",
            "0",
            "--wave-days",
            "7",
            "--mode",
            "ambient",
        ]
    )
    assert code == 0
    text = capsys.readouterr().out
    assert "planned 4 workload(s) into" in text and "schedule findings" in text
    plan = load_plan(out)
    assert {k for w in plan.schedule.waves for k in w.members} == set(plan.inventory.workloads)
    assert all(w.mode == "ambient" and (w.end - w.start).days == 6 for w in plan.schedule.waves)
    prod = plan.schedule.wave(plan.schedule.wave_of(full("shop-prod/a")) or "")
    dev = plan.schedule.wave(plan.schedule.wave_of(full("shop-dev/a")) or "")
    assert dev.start <= prod.start
    assert load_plan(plan_file).schedule.waves == []  # the input is left alone


def test_plan_auto_start_and_no_phases(tmp_path: Path) -> None:
    plan = make_plan(["a"])
    plan.schedule.phases = []
    src, out = tmp_path / "p.meshplan", tmp_path / "o.meshplan"
    save_plan(with_clusters(plan), src)
    assert main(["plan", "auto", str(src), "-o", str(out), "--start", "2031-02-01"]) == 0
    planned = load_plan(out)
    assert planned.schedule.phases[0].start.isoformat() == "2031-02-01"
    assert planned.schedule.wave_of(full("a")) is not None


def test_plan_auto_user_errors_are_one_line(
    plan_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "o.meshplan")
    assert main(["plan", "auto", str(plan_file), "-o", out, "--env-order", "dev,nope"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nope" in err
    assert main(["plan", "auto", str(tmp_path / "missing.meshplan"), "-o", out]) == 2
    assert main(["plan", "auto", str(plan_file), "-o", out, "--max-pods", "-3"]) == 2
    assert "cannot be negative" in capsys.readouterr().err
