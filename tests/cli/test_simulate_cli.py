"""``mesh-workbench simulate``: exit codes, JSON contract, reading an export back, and
clear one-line errors for a folder that is not an export."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from tests.cli.test_check_cli import cli
from tests.io.conftest import small_manifest_plan
from workbench.io.plan_file import save_plan
from workbench.ops.export_manifests import export_manifests

STEP_KEYS = {"id", "folder", "title", "kind", "cluster", "meshed", "broken", "at_risk"}


def _plan(tmp_path: Path) -> Path:
    path = tmp_path / "small.meshplan"
    save_plan(small_manifest_plan(), path)
    return path


def test_a_safe_export_exits_0_with_the_json_contract(tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    out = tmp_path / "m"
    export_manifests(small_manifest_plan(), out)
    result = cli("simulate", str(plan), "--manifests", str(out), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"source", "istio_version", "calls", "broken_edges", "notes", "steps"} <= set(data)
    assert data["broken_edges"] == 0 and data["calls"] >= 8
    assert all(set(s) >= STEP_KEYS for s in data["steps"])
    assert [s["kind"] for s in data["steps"]][-1] == "cutover"
    human = cli("simulate", str(plan))
    assert human.returncode == 0 and " 0 break" in human.stdout.splitlines()[0]


def test_a_step_that_breaks_a_call_exits_1_and_says_why(tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    out = tmp_path / "m"
    export_manifests(small_manifest_plan(), out)
    # an operator's edit: the payments namespace goes STRICT in the first wave
    first = next(out.glob("01-*/east/kustomization.yaml")).parent
    strict = {
        "apiVersion": "security.istio.io/v1",
        "kind": "PeerAuthentication",
        "metadata": {"name": "default", "namespace": "shop"},
        "spec": {"mtls": {"mode": "STRICT"}},
    }
    (first / "peer-authentications.yaml").write_text(yaml.safe_dump_all([strict]))
    result = cli("simulate", str(plan), "--manifests", str(out))
    assert result.returncode == 1, result.stderr
    assert "BROKEN 01-" in result.stdout
    assert "shop/default is STRICT" in result.stdout


def test_bad_folders_get_one_line_errors(tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    result = cli("simulate", str(plan), "--manifests", str(empty))
    assert result.returncode == 2
    assert "no folder with a RUNBOOK.md" in result.stderr and len(result.stderr.splitlines()) == 1
    out = tmp_path / "m"
    export_manifests(small_manifest_plan(), out)
    target = next(out.glob("01-*/east/peer-authentications.yaml"))
    target.write_text("kind: [unclosed\n")
    result = cli("simulate", str(plan), "--manifests", str(out))
    assert result.returncode == 2
    assert "peer-authentications.yaml line" in result.stderr and "not valid YAML" in result.stderr
    missing = cli("simulate", str(plan), "--manifests", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "is not a folder" in missing.stderr


def test_export_warns_about_left_out_blockers(tmp_path: Path) -> None:
    plan = small_manifest_plan()
    plan.inventory.workloads["east/payments/Deployment/payments"].host_network = True
    path = tmp_path / "blocked.meshplan"
    save_plan(plan, path)
    result = cli("export", str(path), "--manifests", str(tmp_path / "m"))
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("warning: 1 wave member(s) with open blockers left out")
    allowed = cli("export", str(path), "--manifests", str(tmp_path / "m"), "--allow-blockers")
    assert "included (--allow-blockers)" in allowed.stderr
    assert cli("simulate", str(path), "--manifests", str(tmp_path / "m")).returncode in (0, 1)
    assert cli("simulate", str(path), "--allow-blockers").returncode == 0
