"""Where the desktop application keeps window state and recent files (QSettings, INI)."""

from __future__ import annotations

from PySide6.QtCore import QSettings

ORGANISATION = "MeshWorkbench"
APPLICATION = "Mesh Migration Workbench"


def app_settings() -> QSettings:
    """The per-user settings store; an INI file under the user's config folder."""
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION
    )
