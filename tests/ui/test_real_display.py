"""The README's run command opens a real window on the sample plan under Xvfb."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import require
from workbench.cli.gui import missing_xcb_packages


def _windows(display: str) -> str:
    result = subprocess.run(
        ["xwininfo", "-root", "-tree"],
        env={**os.environ, "DISPLAY": display},
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    return result.stdout


def test_window_opens_on_the_sample_plan_under_xvfb(sample_plan_path: Path, tmp_path: Path) -> None:
    require(shutil.which("Xvfb") is not None, "Xvfb (Debian package xvfb)")
    require(shutil.which("xwininfo") is not None, "xwininfo (Debian package x11-utils)")
    display = ":97"
    xvfb = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env.update(DISPLAY=display, HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"))
    app = None
    try:
        time.sleep(1.0)
        assert xvfb.poll() is None, "Xvfb did not start"
        old_display = os.environ.get("DISPLAY")
        os.environ["DISPLAY"] = display
        try:
            require(not missing_xcb_packages(), f"X11 libraries {missing_xcb_packages()}")
        finally:
            if old_display is None:
                os.environ.pop("DISPLAY", None)
            else:
                os.environ["DISPLAY"] = old_display
        app = subprocess.Popen(
            [sys.executable, "-m", "workbench", str(sample_plan_path)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 30
        tree = ""
        while time.monotonic() < deadline:
            assert app.poll() is None, f"the app exited early: {app.communicate()[1][-2000:]}"
            tree = _windows(display)
            if "Mesh Migration Workbench" in tree and "Istio adoption playbook" in tree:
                break
            time.sleep(0.5)
        assert "Mesh Migration Workbench" in tree, "no window with the product's title appeared"
        assert "Istio adoption playbook" in tree, "the window does not show the sample plan"
    finally:
        if app is not None:
            app.terminate()
            app.wait(timeout=10)
        xvfb.terminate()
        xvfb.wait(timeout=10)
