"""Start the desktop workbench, or explain why it cannot start here.

Qt aborts the whole interpreter when its platform plugin cannot load, so the launcher
checks the two usual causes first (no display at all; X11 libraries Qt's xcb plugin
needs but the system lacks) and says what to do instead.
"""

from __future__ import annotations

import ctypes.util
import os
import sys

from workbench.domain.errors import WorkbenchError

HEADLESS_HINT = (
    "no display found (DISPLAY and WAYLAND_DISPLAY are unset), so the window cannot open. "
    "The headless commands work here: 'mesh-workbench summary PLAN', "
    "'mesh-workbench generate', see 'mesh-workbench --help'. "
    "To run the window without a screen, set QT_QPA_PLATFORM=offscreen or use xvfb-run."
)

# Libraries Qt's xcb platform plugin loads (Qt >= 6.5), with their Debian packages.
XCB_LIBRARIES = {
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xkbcommon-x11": "libxkbcommon-x11-0",
}


def display_available() -> bool:
    if not sys.platform.startswith("linux"):
        return True
    if os.environ.get("QT_QPA_PLATFORM", "").split(":")[0] in ("offscreen", "minimal", "vnc"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def missing_xcb_packages() -> list[str]:
    """Debian packages the xcb plugin needs and this system lacks (X11 sessions only)."""
    platform = os.environ.get("QT_QPA_PLATFORM", "").split(":")[0]
    uses_xcb = platform == "xcb" or (not platform and os.environ.get("DISPLAY"))
    if not sys.platform.startswith("linux") or not uses_xcb or getattr(sys, "frozen", False):
        return []
    return [pkg for lib, pkg in XCB_LIBRARIES.items() if ctypes.util.find_library(lib) is None]


def launch(plan: str | None) -> int:
    if not display_available():
        raise WorkbenchError(HEADLESS_HINT)
    missing = missing_xcb_packages()
    if missing:
        raise WorkbenchError(
            "the window needs X11 libraries this system lacks: "
            f"install them with 'apt-get install {' '.join(missing)}' (Debian/Ubuntu), "
            "or run with QT_QPA_PLATFORM=offscreen"
        )
    from workbench.ui.app import run

    code: int = run(plan)
    return code


def self_test(plan: str | None) -> int:
    """Check this installation end to end (``mesh-workbench --self-test [PLAN]``).

    The window part runs first, so its start-up time is the time from launch to the
    main window shown; it runs offscreen when there is no display. Prints one line per
    check; returns 0 when all pass, 1 otherwise.
    """
    from pathlib import Path

    from workbench.self_test import Check, report, run_checks, timed

    if not display_available():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    path = Path(plan) if plan else None
    checks: list[Check] = []

    def window() -> str:
        from workbench.ui.self_test_window import run_window_checks

        checks.extend(run_window_checks(path))
        return "built"

    loaded = timed("window", window)
    if not loaded.ok:
        checks.append(loaded)
    checks.extend(run_checks(path))
    ok = report(checks)
    if not ok:
        print(
            "mesh-workbench: error: the self-test failed; the lines marked FAIL say what",
            file=sys.stderr,
        )
    return 0 if ok else 1
