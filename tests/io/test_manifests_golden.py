"""Golden files: the manifests of a small two-cluster plan, byte for byte.

Rewrite them after an intended change with
``UPDATE_GOLDEN=1 pytest tests/io/test_manifests_golden.py`` and review the diff.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import yaml

from workbench.domain.plan import Plan
from workbench.ops.export_manifests import ManifestOptions, export_manifests

GOLDEN = Path(__file__).resolve().parent.parent / "data" / "golden" / "manifests"
OPTIONS = ManifestOptions(authz_dry_run_first=True, deny_by_default=True)


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_small_plan_matches_the_golden_files(
    manifest_plan: Callable[[], Plan], tmp_path: Path
) -> None:
    out = tmp_path / "manifests"
    export_manifests(manifest_plan(), out, options=OPTIONS)
    produced = _tree(out)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(out, GOLDEN)
    expected = _tree(GOLDEN)
    assert sorted(produced) == sorted(expected)
    for name, content in expected.items():
        assert produced[name] == content, f"{name} differs from the golden file"


def test_export_is_deterministic(manifest_plan: Callable[[], Plan], tmp_path: Path) -> None:
    export_manifests(manifest_plan(), tmp_path / "a", options=OPTIONS)
    export_manifests(manifest_plan(), tmp_path / "b", options=OPTIONS)
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")


def test_every_yaml_file_parses_and_kustomizations_list_existing_files(
    manifest_plan: Callable[[], Plan], tmp_path: Path
) -> None:
    export_manifests(manifest_plan(), tmp_path, options=OPTIONS)
    kustomizations = list(tmp_path.rglob("kustomization.yaml"))
    assert kustomizations
    for path in tmp_path.rglob("*.yaml"):
        docs = list(yaml.safe_load_all(path.read_text()))
        assert docs and all(d is not None for d in docs), path
    for path in kustomizations:
        data = yaml.safe_load(path.read_text())
        assert data["kind"] == "Kustomization"
        for resource in data["resources"]:
            assert (path.parent / resource).is_file(), f"{path} lists {resource}"
    folders = sorted(p.name for p in tmp_path.iterdir() if p.is_dir())
    assert folders == [
        "00-foundation",
        "01-pilot-data",
        "02-core-shop",
        "03-edge-and-reporting",
        "04-analytics-ambient",
        "05-mesh-wide-strict",
    ]
    for folder in folders:
        assert (tmp_path / folder / "RUNBOOK.md").is_file()
        assert (tmp_path / folder / "rollback").is_dir()
