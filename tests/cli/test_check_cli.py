"""``mesh-workbench check``: JSON contract, grouped human output, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.domain.readiness_support import load_plan, wl
from workbench.domain.plan import Mute
from workbench.io.plan_file import save_plan

FINDING_KEYS = {"rule", "severity", "source", "items", "message", "fix"}


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _saved(tmp_path: Path, fixture: str, **mesh: str) -> Path:
    path = tmp_path / "estate.meshplan"
    save_plan(load_plan(fixture, **mesh), path)
    return path


def test_json_contract_and_exit_1_on_blocker(tmp_path: Path) -> None:
    result = cli("check", str(_saved(tmp_path, "readiness-network.yaml")), "--json")
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    everything = data["findings"]
    assert everything and all(set(f) >= FINDING_KEYS for f in everything)
    assert {f["source"] for f in everything} <= {"readiness", "schedule"}
    assert everything[0]["severity"] == "blocker"  # most severe first
    findings = [f for f in everything if f["source"] == "readiness"]
    r1 = next(f for f in findings if f["rule"] == "R1")
    assert r1["items"] == [wl("shop", "DaemonSet", "node-agent")]
    assert data["counts"]["blocker"] == sum(f["severity"] == "blocker" for f in everything)


def test_check_reports_schedule_findings_too(tmp_path: Path) -> None:
    result = cli("check", str(_saved(tmp_path, "readiness-network.yaml")), "--json")
    schedule = [f for f in json.loads(result.stdout)["findings"] if f["source"] == "schedule"]
    # the estate has no waves: every workload without a blocker is left unassigned
    assert schedule and any(f["rule"] == "S13" and "in no wave" in f["message"] for f in schedule)


def test_human_output_grouped_by_severity(tmp_path: Path) -> None:
    result = cli("check", str(_saved(tmp_path, "readiness-protocols.yaml")))
    assert result.returncode == 0, result.stderr  # no blocker in this estate
    out = result.stdout
    data = json.loads(
        cli("check", str(_saved(tmp_path, "readiness-protocols.yaml")), "--json").stdout
    )
    c = data["counts"]
    head = f"{sum(c.values())} findings: 0 blocker, {c['high']} high, {c['medium']} medium"
    assert out.splitlines()[0].startswith(head)
    assert (
        out.index(f"HIGH ({c['high']})")
        < out.index(f"MEDIUM ({c['medium']})")
        < out.index("INFO (")
    )
    assert "R8   prod/shop/Deployment/sftp" in out
    assert "fix: Declare the port as TCP" in out


def test_muted_blockers_do_not_fail_the_check(tmp_path: Path) -> None:
    plan = load_plan("readiness-network.yaml")
    plan.mutes += [
        Mute("R1", "prod/shop/DaemonSet/node-agent", "agent stays out"),
        Mute("R2", "prod/kube-system", "system"),
        Mute("B24", "prod/shop/Deployment/win-app", "Windows stays out"),
    ]
    path = tmp_path / "muted.meshplan"
    save_plan(plan, path)
    result = cli("check", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "(3 muted)" in result.stdout.splitlines()[0]


def test_unreadable_plan_is_one_line_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "broken.meshplan"
    bad.write_bytes(b"not a plan")
    result = cli("check", str(bad))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_summary_counts_findings(tmp_path: Path) -> None:
    result = cli("summary", str(_saved(tmp_path, "readiness-network.yaml")), "--json")
    assert result.returncode == 0, result.stderr
    counts = json.loads(result.stdout)["findings"]
    check = json.loads(
        cli("check", str(_saved(tmp_path, "readiness-network.yaml")), "--json").stdout
    )
    assert counts == check["counts"]
    readiness = [f for f in check["findings"] if f["source"] == "readiness"]
    assert sum(f["severity"] == "blocker" for f in readiness) == 3
