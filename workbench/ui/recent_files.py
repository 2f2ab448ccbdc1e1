"""The list of recently opened plan files, newest first, kept in the user's settings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings

from workbench.ui.settings import app_settings

MAX_RECENT = 10
_KEY = "recentFiles"


class RecentFiles:
    """Newest first, at most ``MAX_RECENT``, files that no longer exist pruned on read."""

    def __init__(self, settings_factory: Callable[[], QSettings] = app_settings) -> None:
        self._settings = settings_factory

    def paths(self) -> list[str]:
        stored = self._read()
        existing = [p for p in stored if Path(p).is_file()]
        if existing != stored:
            self._write(existing)
        return existing

    def add(self, path: str | Path) -> None:
        resolved = str(Path(path).resolve())
        paths = [resolved, *(p for p in self._read() if p != resolved)]
        self._write(paths[:MAX_RECENT])

    def remove(self, path: str | Path) -> None:
        resolved = str(Path(path).resolve())
        self._write([p for p in self._read() if p != resolved])

    def clear(self) -> None:
        self._write([])

    def _read(self) -> list[str]:
        value = self._settings().value(_KEY, [])
        if isinstance(value, str):  # an INI list of one comes back as a plain string
            value = [value]
        if not isinstance(value, list):
            return []
        return [str(p) for p in value if p]

    def _write(self, paths: list[str]) -> None:
        settings = self._settings()
        settings.setValue(_KEY, paths)
        settings.sync()
