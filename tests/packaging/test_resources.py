"""The resource resolver, from a source checkout and inside a (fake) PyInstaller bundle."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

import shutil
import sys
from pathlib import Path

import pytest

from workbench import resources
from workbench.self_test import check_resources, run_checks


@pytest.fixture
def bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder standing in for the unpacked bundle of a frozen build."""
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    return tmp_path


def test_from_source_the_folders_sit_beside_the_package(repo_root: Path) -> None:
    assert not resources.frozen()
    assert resources.bundle_root() == repo_root
    assert resources.resources_dir() == repo_root / "resources"
    assert resources.resource_path("icons", "workbench.svg").is_file()
    assert resources.sample_plan_path() == repo_root / "plans" / "seed-playbook.meshplan"
    assert resources.sample_plan_path().is_file()
    assert "icons in" in check_resources()


def test_frozen_the_folders_are_in_the_bundle(bundle: Path, repo_root: Path) -> None:
    assert resources.frozen()
    assert resources.resources_dir() == bundle / "resources"
    assert resources.plans_dir() == bundle / "plans"
    assert resources.sample_plan_path() == bundle / "plans" / "seed-playbook.meshplan"
    assert resources.resource_path("icons", "x.png") == bundle / "resources" / "icons" / "x.png"
    assert not resources.resource_path("icons", "workbench.svg").is_file()  # not the checkout's


def test_a_bundle_without_resources_fails_the_self_test(bundle: Path) -> None:
    checks = run_checks(out_dir=bundle / "out")
    assert [(c.name, c.ok) for c in checks] == [("resources", False), ("plan", False)]
    assert str(bundle / "resources" / "icons") in checks[0].detail
    assert "workbench.svg" in checks[0].detail


def test_a_complete_bundle_passes_the_resource_checks(bundle: Path, repo_root: Path) -> None:
    shutil.copytree(repo_root / "resources", bundle / "resources")
    (bundle / "plans").mkdir()
    shutil.copy(repo_root / "plans" / "seed-playbook.meshplan", bundle / "plans")
    assert check_resources() == f"icons in {bundle / 'resources' / 'icons'}"
    from workbench.io.plan_file import load_plan

    assert load_plan(resources.sample_plan_path()).inventory.workloads


def test_the_window_icon_comes_from_the_same_resolver(
    bundle: Path, repo_root: Path, qapp: object
) -> None:
    from workbench.ui import resources as ui_resources

    assert ui_resources.resources_dir() == bundle / "resources"
    assert ui_resources.app_icon().isNull()  # nothing in the fake bundle yet
    shutil.copytree(repo_root / "resources", bundle / "resources")
    icon = ui_resources.app_icon()
    assert not icon.isNull()
    assert any(size.width() >= 256 for size in icon.availableSizes())
