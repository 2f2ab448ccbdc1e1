"""Fixtures shared by the whole suite."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.io.collector import collect_if_due, collect_on_main_thread_only

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("WORKBENCH_SHARED", REPO.parent / "shared"))
IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, what: str) -> None:
    """Skip when a required tool or file is missing locally; fail in CI (CI=true)."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required for this test and missing in CI: {what}")
    pytest.skip(f"missing: {what}")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The project's shared reference folder (corpora, Istio CRDs, seed)."""
    require(SHARED.is_dir(), f"shared reference folder at {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def sample_plan_path() -> Path:
    path = REPO / "plans" / "seed-playbook.meshplan"
    assert path.is_file(), (
        "the sample plan is missing; build it with 'python -m workbench.ops.sample_plan'"
    )
    return path


PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy")


@pytest.fixture
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests that talk to loopback API servers must not go through a proxy."""
    for var in PROXY_VARS:
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def collector_on() -> Iterator[None]:
    """Collections running as in the application: on the main thread only, when it asks
    (the setting before is restored afterwards)."""
    was_enabled = gc.isenabled()
    before = collect_on_main_thread_only(True)
    yield
    collect_on_main_thread_only(before)
    if not was_enabled:
        gc.disable()


def pytest_runtest_teardown(item: pytest.Item) -> None:
    """With collections on the main thread only, a test that ran no event loop leaves the
    collection that fell due to here."""
    collect_if_due()
