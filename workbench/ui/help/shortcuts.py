"""The keyboard-shortcut list, read from the window's menus so it is always current."""

from __future__ import annotations

import html

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

# Shortcuts that belong to views rather than menus.
VIEW_SHORTCUTS: tuple[tuple[str, str, str], ...] = (
    ("Gantt", "Left / Right", "Move the selected waves one step (the zoom's snap) earlier / later"),
    ("Gantt", "Shift+Left / Shift+Right", "Move the selected waves' end: shorter / longer"),
    ("Gantt", "Ctrl+click", "Add a wave bar to the selection"),
    ("Dependencies", "+ / -", "Zoom in / out"),
    ("Dependencies", "0", "Fit the graph to the view"),
    ("Dependencies", "Delete", "Remove the selected dependency"),
    ("Dependencies", "Esc", "Cancel adding a dependency"),
    ("Dependencies", "Enter (in the find box)", "Select the next match"),
)


def menu_shortcuts(window: QMainWindow) -> list[tuple[str, str, str]]:
    """(menu, shortcut, action) for every menu action that has a shortcut."""
    rows: list[tuple[str, str, str]] = []
    for top in window.menuBar().actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            _collect(menu, top.text().replace("&", ""), rows)
    return rows


def _collect(menu: QMenu, path: str, rows: list[tuple[str, str, str]]) -> None:
    for action in menu.actions():
        sub = action.menu()
        if isinstance(sub, QMenu):
            _collect(sub, f"{path} › {action.text().replace('&', '')}", rows)
            continue
        if isinstance(action, QAction) and not action.shortcut().isEmpty():
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            name = action.text().replace("&", "").split("\t")[0]
            rows.append((path, keys, name))


def shortcuts_html(window: QMainWindow) -> str:
    rows = menu_shortcuts(window) + list(VIEW_SHORTCUTS)
    body = "".join(
        f"<tr><td>{html.escape(place)}</td><td><b>{html.escape(keys)}</b></td>"
        f"<td>{html.escape(what)}</td></tr>"
        for place, keys, what in rows
    )
    return (
        "<h1>Keyboard shortcuts</h1>"
        "<table cellpadding='4' cellspacing='0' border='1' style='border-collapse:collapse'>"
        "<tr><th align='left'>Where</th><th align='left'>Keys</th>"
        "<th align='left'>Does</th></tr>" + body + "</table>"
    )
