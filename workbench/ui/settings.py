"""Where the desktop application keeps window state, recent files and preferences
(QSettings, INI), and the preferences themselves."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSettings

ORGANISATION = "MeshWorkbench"
APPLICATION = "Mesh Migration Workbench"
AUTOSAVE_SECONDS = (0, 2, 5, 10, 30, 60, 300)  # 0: autosave off


def app_settings() -> QSettings:
    """The per-user settings store; an INI file under the user's config folder."""
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION
    )


@dataclass(slots=True)
class Preferences:
    """What the user can change in Edit > Preferences."""

    theme: str = "light"  # "light" or "dark"
    autosave_seconds: int = 5  # after the last change; 0 turns autosave off
    recovery_dir: str = ""  # empty: the application data folder


def load_preferences() -> Preferences:
    s = app_settings()
    prefs = Preferences()
    theme = s.value("preferences/theme", prefs.theme)
    prefs.theme = theme if theme in ("light", "dark") else "light"
    try:
        seconds = int(str(s.value("preferences/autosaveSeconds", prefs.autosave_seconds)))
    except ValueError:
        seconds = prefs.autosave_seconds
    prefs.autosave_seconds = max(0, min(seconds, 3600))
    prefs.recovery_dir = str(s.value("preferences/recoveryDir", "") or "")
    return prefs


def save_preferences(prefs: Preferences) -> None:
    s = app_settings()
    s.setValue("preferences/theme", prefs.theme)
    s.setValue("preferences/autosaveSeconds", prefs.autosave_seconds)
    s.setValue("preferences/recoveryDir", prefs.recovery_dir)
    s.sync()
