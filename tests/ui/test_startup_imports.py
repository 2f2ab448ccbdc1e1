"""Opening the window on the sample plan builds the economics dashboard (and imports
matplotlib) only when the user first goes to it; the dashboard shows at once and its
charts load matplotlib in the turns of the event loop that follow."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from pytestqt.qtbot import QtBot

from workbench.ui.dashboard.dashboard import EconomicsDashboard
from workbench.ui.main_window import MainWindow
from workbench.ui.resources import sample_plan_path

REPO = Path(__file__).resolve().parents[2]
SCRIPT = """
import json, os, sys, tempfile, time
from PySide6.QtCore import QSettings
folder = tempfile.mkdtemp()
for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
    QSettings.setPath(fmt, QSettings.Scope.UserScope, folder)
from workbench.ui.app import application
from workbench.ui.main_window import MainWindow
from workbench.ui.resources import sample_plan_path
from workbench.ui.settings import app_settings
app = application()
app_settings().setValue("preferences/recoveryDir", os.path.join(folder, "recovery"))
window = MainWindow()
window.show()
assert window.open_plan(sample_plan_path())
for view_id in ("inventory", "gantt", "waves", "findings"):
    window.show_view(view_id)
    app.processEvents()
report = {
    "workloads": len(window.document.plan.inventory.workloads),
    "before": "matplotlib" in sys.modules,
}
window.show_view("economics")
app.processEvents()
report["at_once"] = "matplotlib" in sys.modules
deadline = time.monotonic() + 60  # the charts load it in the turns that follow
while "matplotlib" not in sys.modules and time.monotonic() < deadline:
    app.processEvents()
    time.sleep(0.01)
report["after"] = "matplotlib" in sys.modules
report["shown"] = type(window.view_stack.currentWidget()).__name__
window.document.undo_stack.setClean()
window.close()
print(json.dumps(report))
"""


def test_opening_the_sample_plan_does_not_import_matplotlib_until_economics_shows() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["workloads"] > 0
    assert report["before"] is False  # the window and four views up, no matplotlib
    assert report["at_once"] is False  # the view shows first; its charts load in steps
    assert report["after"] is True
    assert report["shown"] == "EconomicsDashboard"


def test_the_dashboard_is_built_on_first_show_in_its_place(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.show()
    qtbot.waitExposed(window)
    assert window.open_plan(sample_plan_path())
    assert not window.views.is_built("economics")
    assert "economics" in list(window.views)
    window.clear_view_filters()  # reaches the built views only
    assert not window.views.is_built("economics")

    window.show_view("economics")
    assert window.views.is_built("economics")
    dashboard = window.view_stack.currentWidget()
    assert isinstance(dashboard, EconomicsDashboard)
    assert window.views["economics"] is dashboard
    assert window.view_stack.indexOf(dashboard) == list(window.views).index("economics")
    assert window.view_stack.count() == len(window.views)
    window.show_view("gantt")
    assert window.view_stack.currentWidget() is window.views["gantt"]
    window.show_view("economics")
    assert window.view_stack.currentWidget() is dashboard  # built once
