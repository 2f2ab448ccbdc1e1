"""Opening the window on the sample plan builds the economics dashboard only when the
user first goes to it; the dashboard shows at once, its charts are drawn by the chart
worker, and matplotlib never loads in the window's process."""

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
slots = window.views["economics"].charts.slots
deadline = time.monotonic() + 60  # the chart worker draws them in the turns that follow
while not all(s.received for s in slots.values()) and time.monotonic() < deadline:
    app.processEvents()
    time.sleep(0.01)
report["drawn"] = {k: [s.received, s.renders] for k, s in slots.items()}
report["after"] = "matplotlib" in sys.modules
report["shown"] = type(window.view_stack.currentWidget()).__name__
window.document.undo_stack.setClean()
window.close()
print(json.dumps(report))
"""


def test_the_window_never_imports_matplotlib_and_the_chart_worker_draws_the_charts() -> None:
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
    assert report["at_once"] is False  # the view shows first
    # every chart, Monte Carlo included, drawn in the worker, none here
    assert all(received >= 1 and renders == 0 for received, renders in report["drawn"].values())
    assert report["after"] is False
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
