"""The installation self-test, its window part: the main window on the sample plan.

Builds the real main window (offscreen when there is no display), opens the sample plan,
shows the window, visits every view, then closes it. Settings and recovery copies go to
a temporary folder so the test leaves the user's own untouched; dialogs never block.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

from workbench.resources import sample_plan_path
from workbench.self_test import Check, CheckFailed, expect, process_age, timed
from workbench.ui.autosave import Recovery
from workbench.ui.dialogs import Dialogs, UnsavedChoice
from workbench.ui.sharing_dialogs import SharingDialogs

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow

STARTUP_LIMIT_VARIABLE = "MESH_WORKBENCH_STARTUP_LIMIT"


class _Unattended(Dialogs):
    """Answers every question without a person: no files, no restore, discard changes."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def open_plan_path(self, parent: QWidget, directory: str) -> str | None:
        return None

    def error(self, parent: QWidget, title: str, message: str) -> None:
        self.errors.append(f"{title}: {message}")

    def info(self, parent: QWidget, title: str, message: str) -> None:
        pass

    def ask_restore(self, parent: QWidget, recoveries: Sequence[Recovery]) -> Recovery | None:
        return None

    def ask_unsaved(self, parent: QWidget, name: str) -> UnsavedChoice:
        return UnsavedChoice.DISCARD


class _UnattendedSharing(SharingDialogs):
    """The sharing dialogs without a person: a warning (a plan file changed outside the
    workbench) is noted in the check's result, not shown in a window that waits."""

    def __init__(self) -> None:
        self.warnings: list[str] = []

    def warn(self, parent: QWidget, title: str, message: str) -> None:
        self.warnings.append(f"{title}: {message}")


def _isolate_settings(folder: Path) -> None:
    for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(folder))
        QSettings.setPath(fmt, QSettings.Scope.SystemScope, str(folder / "system"))
    from workbench.ui.settings import app_settings

    settings = app_settings()
    settings.setValue("preferences/recoveryDir", str(folder / "recovery"))
    settings.sync()


def _settle(app: QApplication, seconds: float = 0.05) -> None:
    end = time.perf_counter() + seconds
    while True:
        app.processEvents()
        if time.perf_counter() >= end:
            return
        time.sleep(0.005)


def run_window_checks(plan_path: Path | None = None) -> list[Check]:
    """Open, show, tour and close the main window; the first check times the start-up."""
    from workbench.ui.app import application

    path = plan_path or sample_plan_path()
    checks: list[Check] = []
    with tempfile.TemporaryDirectory(prefix="mesh-workbench-self-test-ui-") as temp:
        _isolate_settings(Path(temp))
        app = application()
        from workbench.ui.main_window import MainWindow  # after the application exists

        dialogs = _Unattended()
        holder: list[MainWindow] = []
        ages: list[float] = []

        def show() -> str:
            window = MainWindow(dialogs=dialogs)
            sharing = window.sharing.dialogs = _UnattendedSharing()
            holder.append(window)
            window.show()
            opened = window.open_plan(path)
            _settle(app)
            expect(opened, f"{path.name} did not open: {'; '.join(dialogs.errors)}")
            expect(window.isVisible(), "the window is not visible")
            workloads = len(window.document.plan.inventory.workloads)
            age = process_age()
            if age is not None:
                ages.append(age)
            shown = "" if age is None else f"shown {age:.2f} s after launch, "
            warned = "".join(f"; warned: {w}" for w in sharing.warnings)
            return f"{shown}{workloads} workloads, platform {app.platformName()}{warned}"

        checks.append(timed("window", show))
        if not holder:
            return checks
        window = holder[0]
        checks.append(_startup_check(ages[0] if ages else None))
        checks.append(timed("views", lambda: _tour(app, window, dialogs)))
        checks.append(timed("charts", lambda: _charts(app, window)))
        checks.append(timed("close", lambda: _close(app, window)))
    return checks


def _startup_check(age: float | None) -> Check:
    """Launch to window shown; fails above ``$MESH_WORKBENCH_STARTUP_LIMIT`` seconds."""
    limit = os.environ.get(STARTUP_LIMIT_VARIABLE)
    if age is None:
        return Check("start-up", True, "not measured on this platform")
    if not limit:
        return Check("start-up", True, f"{age:.2f} s from launch to the window shown")
    ok = age <= float(limit)
    return Check("start-up", ok, f"{age:.2f} s from launch to the window shown (limit {limit} s)")


def _tour(app: QApplication, window: MainWindow, dialogs: _Unattended) -> str:
    names = []
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        _settle(app, 0.02)
        current = window.view_stack.currentWidget()
        expect(current is not None and current.isVisible(), f"view {row} is not shown")
        names.append(window.nav.item(row).text())
    image = window.grab()
    expect(not image.isNull() and image.width() > 0, "the window does not render")
    expect(not dialogs.errors, "; ".join(dialogs.errors))
    return f"{len(names)} views: {', '.join(names)}; rendered {image.width()}x{image.height()}"


def _charts(app: QApplication, window: MainWindow, limit_s: float = 60.0) -> str:
    """The economics charts drawn by the chart worker (a process of the installation's
    own, which must start and load the plotting library), none in the window."""
    window.show_view("economics")
    charts = window.views["economics"].charts  # type: ignore[attr-defined]
    deadline = time.perf_counter() + limit_s
    while time.perf_counter() < deadline and not (
        all(s.picture is not None for s in charts.slots.values()) and not charts.pending
    ):
        _settle(app, 0.05)
    expect(charts.worker_error is None, f"the chart worker failed: {charts.worker_error}")
    drawn = [s.key for s in charts.slots.values() if s.received]
    expect(len(drawn) == len(charts.slots), f"charts not drawn within {limit_s:.0f} s")
    return f"{len(drawn)} charts drawn by the chart worker"


def _close(app: QApplication, window: MainWindow) -> str:
    window.document.undo_stack.setClean()
    if not window.close():
        raise CheckFailed("the window refused to close")
    window.deleteLater()
    _settle(app, 0.02)
    return "closed"
