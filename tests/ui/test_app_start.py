"""Starting the application the way ``mesh-workbench PLAN`` does."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from workbench.ui import app as app_module
from workbench.ui.main_window import MainWindow
from workbench.ui.recent_files import RecentFiles


def test_run_opens_the_plan_and_returns_when_the_window_closes(
    qapp: QApplication, plan_path: Path
) -> None:
    seen: dict[str, object] = {}

    def inspect_and_close() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        window = windows[-1]
        seen["visible"] = window.isVisible()
        seen["path"] = window.document.path
        seen["workloads"] = window.header.counts()["workloads"]
        seen["title"] = window.windowTitle()
        window.close()
        window.deleteLater()

    QTimer.singleShot(0, inspect_and_close)
    assert app_module.run(str(plan_path)) == 0
    assert seen == {
        "visible": True,
        "path": plan_path.resolve(),
        "workloads": 50,
        "title": "Fixture estate[*] — Mesh Migration Workbench",
    }
    assert qapp.organizationName() == "MeshWorkbench"
    assert qapp.applicationName() == "Mesh Migration Workbench"
    assert RecentFiles().paths() == [str(plan_path.resolve())]
