"""Importing a list of modules one a turn of the event loop, so that loading a heavy part
of the window (the plotting library, a view built later) never holds it all at once."""

from __future__ import annotations

import sys
from importlib import import_module

from workbench.io.collector import collector_paused


class StepwiseImport:
    """Imports ``steps`` one at a time, dependencies first so each step adds only its own
    module; :attr:`done` once all are loaded. A step that is missing is skipped, except
    the last, which must load."""

    def __init__(self, steps: tuple[str, ...]) -> None:
        self._todo = [name for name in steps if name not in sys.modules]

    @property
    def done(self) -> bool:
        return not self._todo

    def step(self) -> None:
        """Import the next module."""
        name = self._todo.pop(0)
        try:
            with collector_paused():  # a module's objects: no cycles worth a scan of the heap
                import_module(name)
        except ImportError:
            if not self._todo:
                raise

    def finish(self) -> None:
        """Import what is left at once (it is wanted right now)."""
        while self._todo:
            self.step()
