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


class ReloadWhenShown:
    """Mixin for a view with a ``reload()`` that rebuilds it for a new plan: while the
    view is hidden a new plan only marks it stale, and it rebuilds when next shown.
    Opening a plan so builds the window and the inventory first; the other views fill
    when the user goes to them. Edits made meanwhile need no handling: the rebuild on
    show reads the plan as it is then (check :attr:`plan_stale` before applying one)."""

    _plan_stale = False

    if TYPE_CHECKING:

        def reload(self) -> None: ...

        def isVisible(self) -> bool: ...

    @property
    def plan_stale(self) -> bool:
        return self._plan_stale

    def reload_when_shown(self) -> None:
        if self.isVisible():
            self._plan_stale = False
            self.reload()
        else:
            self._plan_stale = True

    def showEvent(self, event: QShowEvent) -> None:
        if self._plan_stale:
            self._plan_stale = False
            self.reload()
        super().showEvent(event)  # type: ignore[misc]
