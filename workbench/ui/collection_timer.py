"""Python's cyclic garbage collections run on the UI thread, between turns of the event loop.

A collection the interpreter starts by itself runs on whichever thread happens to allocate:
on a worker thread it would destroy there the Qt objects it finds in unreachable reference
cycles (a closed dialog, a view left behind), and Qt objects destroyed off the UI thread
crash the process. The application turns automatic collections off and runs, from a
timer on the UI thread, the ones the interpreter would have run by then.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTimer

from workbench.io.collector import collect_if_due, collect_on_main_thread_only

INTERVAL_MS = 100
NAME = "cyclic-collections"


def collect_on_ui_thread(app: QCoreApplication) -> QTimer:
    """Collections on the UI thread only, from now on (once per application)."""
    existing = app.findChild(QTimer, NAME)
    if isinstance(existing, QTimer):
        return existing
    collect_on_main_thread_only(True)
    timer = QTimer(app)
    timer.setObjectName(NAME)
    timer.setInterval(INTERVAL_MS)
    timer.timeout.connect(collect_if_due)
    timer.start()
    return timer
