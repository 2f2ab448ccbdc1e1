"""Start the desktop workbench, or explain why it cannot start here."""

from __future__ import annotations

import os
import sys

from workbench.domain.errors import WorkbenchError

HEADLESS_HINT = (
    "no display found (DISPLAY and WAYLAND_DISPLAY are unset), so the window cannot open. "
    "The headless commands work here: 'mesh-workbench summary PLAN', "
    "'mesh-workbench generate', see 'mesh-workbench --help'. "
    "To run the window without a screen, set QT_QPA_PLATFORM=offscreen or use xvfb-run."
)


def display_available() -> bool:
    if not sys.platform.startswith("linux"):
        return True
    if os.environ.get("QT_QPA_PLATFORM", "").split(":")[0] in ("offscreen", "minimal", "vnc"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def launch(plan: str | None) -> int:
    if not display_available():
        raise WorkbenchError(HEADLESS_HINT)
    from workbench.ui.app import run

    code: int = run(plan)
    return code
