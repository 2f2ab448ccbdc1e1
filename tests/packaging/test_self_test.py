"""`mesh-workbench --self-test` from source, and the pieces it is made of."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from workbench import self_test
from workbench.self_test import CheckFailed, run_checks, timed

CHECKS = [
    "window",
    "start-up",
    "views",
    "charts",
    "close",
    "resources",
    "plan",
    "economics",
    "excel",
    "manifests",
    "pdf",
    "cluster client",
]


def self_test_process(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)  # the self-test must pick offscreen by itself
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")  # where QSettings would write
    return subprocess.run(
        [sys.executable, "-m", "workbench", "--self-test", *args],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        cwd=tmp_path,
        env=env,
    )


def test_self_test_passes_from_source(tmp_path: Path) -> None:
    result = self_test_process(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    names = [m.group(1) for line in lines if (m := re.match(r"^ok   ([a-z -]+): ", line))]
    assert names == CHECKS, result.stdout
    assert lines[-1] == f"self-test passed: {len(CHECKS)} checks"
    assert "platform offscreen" in result.stdout
    assert re.search(r"start-up: \d+\.\d\d s from launch to the window shown", result.stdout)
    assert re.search(r"pdf: \d+ pages", result.stdout)
    assert not list((tmp_path / "config").glob("**/*.ini")), "user settings were written"


def test_self_test_fails_clearly_on_an_unreadable_plan(tmp_path: Path) -> None:
    broken = tmp_path / "broken.meshplan"
    broken.write_bytes(b"not a plan")
    result = self_test_process(tmp_path, str(broken))
    assert result.returncode == 1
    assert re.search(r"^FAIL window: broken\.meshplan did not open", result.stdout, re.M)
    assert re.search(r"^FAIL plan: ", result.stdout, re.M)
    assert "self-test FAILED" in result.stdout
    assert "the self-test failed" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_self_test_reports_a_plan_changed_outside_without_waiting_for_anyone(
    tmp_path: Path,
) -> None:
    """A plan whose checksum does not match opens with a warning; unattended, the
    warning is noted in the window check instead of a message box that waits."""
    import gzip
    import json

    from workbench.resources import sample_plan_path

    doc = json.loads(gzip.decompress(sample_plan_path().read_bytes()))
    doc["plan"]["meta"]["title"] = "changed by hand"
    changed = tmp_path / "changed.meshplan"
    changed.write_bytes(gzip.compress(json.dumps(doc).encode()))
    result = self_test_process(tmp_path, str(changed))
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(
        r"^ok   window: .*; warned: Plan file read with a warning: .*changed outside",
        result.stdout,
        re.M,
    )


def test_startup_limit_fails_a_slow_start(monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.ui.self_test_window import STARTUP_LIMIT_VARIABLE, _startup_check

    monkeypatch.setenv(STARTUP_LIMIT_VARIABLE, "3")
    assert _startup_check(2.5).ok
    slow = _startup_check(3.5)
    assert not slow.ok and "3.50 s" in slow.detail and "limit 3 s" in slow.detail
    monkeypatch.delenv(STARTUP_LIMIT_VARIABLE)
    assert _startup_check(30.0).ok  # measured and reported, not judged, without a limit


def test_qt_free_checks_stop_after_a_missing_plan(tmp_path: Path) -> None:
    checks = run_checks(tmp_path / "absent.meshplan", tmp_path / "out")
    assert [c.name for c in checks] == ["resources", "plan"]
    assert checks[0].ok and not checks[1].ok
    assert "absent.meshplan" in checks[1].detail
    lines: list[str] = []
    assert self_test.report(checks, lines.append) is False
    assert lines[-1] == "self-test FAILED: 1 of 2 checks (plan)"


def test_timed_turns_any_exception_into_a_failed_check() -> None:
    def boom() -> str:
        raise ImportError("libfoo.so.1: cannot open shared object file")

    def refused() -> str:
        raise CheckFailed("3 pages (expected at least 4)")

    fine = timed("x", lambda: "fine")
    assert (fine.name, fine.ok, fine.detail) == ("x", True, "fine") and fine.seconds >= 0
    failed = timed("qt", boom)
    assert (
        not failed.ok
        and failed.detail == "ImportError: libfoo.so.1: cannot open shared object file"
    )
    assert timed("pdf", refused).line().startswith("FAIL pdf: 3 pages (expected at least 4) (")


@pytest.mark.parametrize("pages", [1, 4])
def test_pdf_pages_counts_page_objects(tmp_path: Path, pages: int) -> None:
    path = tmp_path / "doc.pdf"
    with PdfPages(path) as pdf:
        for n in range(pages):
            fig = Figure(figsize=(3, 2))
            fig.add_subplot().plot([0, n])
            pdf.savefig(fig)
    assert self_test.pdf_pages(path) == pages


def test_kustomization_listing_a_missing_file_fails(tmp_path: Path) -> None:
    folder = tmp_path / "01-wave" / "prod-east"
    folder.mkdir(parents=True)
    (folder / "peer.yaml").write_text("kind: PeerAuthentication\n")
    kustomization = folder / "kustomization.yaml"
    self_test._check_kustomization(kustomization, {"resources": ["peer.yaml"]})
    with pytest.raises(CheckFailed, match=r"lists authz\.yaml: absent"):
        self_test._check_kustomization(
            kustomization, {"resources": ["peer.yaml"], "patches": [{"path": "authz.yaml"}]}
        )
    with pytest.raises(CheckFailed, match="not a mapping"):
        self_test._check_kustomization(kustomization, ["peer.yaml"])


def test_process_age_is_the_time_since_this_process_started() -> None:
    age = self_test.process_age()
    if age is None:
        pytest.skip("no /proc here")
    assert 0.0 < age < 24 * 3600
