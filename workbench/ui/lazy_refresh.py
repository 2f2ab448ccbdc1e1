"""Views that rebuild costly content only while they are on screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QShowEvent


class RefreshWhenShown:
    """Mixin for a QWidget view with a ``refresh()``: changes while the view is hidden
    only mark it stale, and it refreshes when it is next shown."""

    _stale = True

    if TYPE_CHECKING:

        def refresh(self) -> None: ...

        def isVisible(self) -> bool: ...

    def refresh_when_shown(self) -> None:
        self._stale = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self.refresh()
        super().showEvent(event)  # type: ignore[misc]
