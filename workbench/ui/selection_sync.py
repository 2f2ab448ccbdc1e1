"""One selection across the window: what is picked in one view is shown in the others.

Views announce their selection with ``current_changed(key)`` (or the dependency graph's
``selection_changed(keys)``); the details dock shows it, the wave editor follows it and
every other view that offers ``follow_key(key)`` selects the same object quietly (no view
switch, no filter cleared). A guard stops the echo of those quiet selections.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

SelectionListener = Callable[[str], None]


class SelectionSync(QObject):
    """Fans one view's selection out to the details dock, the wave editor and the views."""

    selected = Signal(str)  # the key now selected ("" when nothing)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.key = ""
        self._followers: list[tuple[QObject, SelectionListener]] = []
        self._busy = False

    def add_source(self, widget: QObject) -> None:
        """Listen to a view's selection signals, and let it follow the others'."""
        current = getattr(widget, "current_changed", None)
        if current is not None:
            current.connect(lambda key, w=widget: self.announce(str(key), w))
        many = getattr(widget, "selection_changed", None)
        if many is not None:
            many.connect(lambda keys, w=widget: self.announce(keys[-1] if keys else "", w))
        follow = getattr(widget, "follow_key", None)
        if follow is not None:
            self._followers.append((widget, follow))

    def announce(self, key: str, source: QObject | None = None) -> None:
        """``source`` selected ``key``: tell everybody else (once; echoes are ignored)."""
        if self._busy:
            return
        self._busy = True
        try:
            if key:
                self.key = key
                for widget, follow in self._followers:
                    if widget is not source:
                        follow(key)
            self.selected.emit(key)
        finally:
            self._busy = False
