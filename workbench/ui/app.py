"""Start the desktop application."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from workbench import __version__
from workbench.ui.settings import APPLICATION, ORGANISATION


def application() -> QApplication:
    """The running QApplication, created and named on first use."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationVersion(__version__)
    from workbench.ui.collection_timer import collect_on_ui_thread
    from workbench.ui.resources import app_icon
    from workbench.ui.settings import load_preferences
    from workbench.ui.theme import apply_theme

    collect_on_ui_thread(app)
    app.setWindowIcon(app_icon())
    apply_theme(app, load_preferences().theme)
    return app


def run(plan_path: str | None) -> int:
    """Open the main window (on ``plan_path`` when given) and run until it closes."""
    app = application()
    from workbench.ui.main_window import MainWindow

    window = MainWindow()
    window.show()
    restored = window.offer_recovery()  # work a crash left behind comes first
    if plan_path and not restored:
        window.open_plan(plan_path)
    return app.exec()
