"""Start the desktop application."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QWidget

from workbench import __version__
from workbench.ui.settings import APPLICATION, ORGANISATION


def application() -> QApplication:
    """The running QApplication, created and named on first use."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationVersion(__version__)
    from workbench.ui.resources import app_icon
    from workbench.ui.settings import load_preferences
    from workbench.ui.theme import apply_theme

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


def self_test(plan_path: str | None = None) -> int:
    """Build the main window without entering the event loop (a packaging smoke test).

    Returns 0 when the window builds (and the plan, if given, opens), 1 otherwise.
    """
    application()
    from workbench.ui.dialogs import Dialogs
    from workbench.ui.main_window import MainWindow

    class _Silent(Dialogs):
        def error(self, parent: QWidget, title: str, message: str) -> None:
            print(f"{title}: {message}", file=sys.stderr)

    window = MainWindow(dialogs=_Silent())
    try:
        return 0 if plan_path is None or window.open_plan(plan_path) else 1
    finally:
        window.document.undo_stack.setClean()
        window.close()
        window.deleteLater()
