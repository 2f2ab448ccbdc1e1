"""Light and dark palettes on the Fusion style, and the few colours the views share.

Severity colours are chosen to read on both palettes' base colours.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

THEMES = ("light", "dark")
ACCENT = "#2f6fd0"

SEVERITY_COLORS = {
    "blocker": "#d32f2f",
    "high": "#e8710a",
    "medium": "#c99a06",
    "low": "#3b8ed0",
    "info": "#7a869a",
}

_LIGHT = {
    QPalette.ColorRole.Window: "#f4f5f7",
    QPalette.ColorRole.WindowText: "#1f2328",
    QPalette.ColorRole.Base: "#ffffff",
    QPalette.ColorRole.AlternateBase: "#f0f3f8",
    QPalette.ColorRole.ToolTipBase: "#ffffdc",
    QPalette.ColorRole.ToolTipText: "#1f2328",
    QPalette.ColorRole.Text: "#1f2328",
    QPalette.ColorRole.Button: "#eceef1",
    QPalette.ColorRole.ButtonText: "#1f2328",
    QPalette.ColorRole.BrightText: "#ffffff",
    QPalette.ColorRole.Highlight: ACCENT,
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#1c5bb8",
    QPalette.ColorRole.PlaceholderText: "#8a929c",
    QPalette.ColorRole.Mid: "#8a929c",
    QPalette.ColorRole.Light: "#ffffff",
    QPalette.ColorRole.Midlight: "#e3e6ea",
    QPalette.ColorRole.Dark: "#a8b0ba",
    QPalette.ColorRole.Shadow: "#5c636b",
}

_DARK = {
    QPalette.ColorRole.Window: "#25282c",
    QPalette.ColorRole.WindowText: "#e6e8eb",
    QPalette.ColorRole.Base: "#1b1d20",
    QPalette.ColorRole.AlternateBase: "#23262a",
    QPalette.ColorRole.ToolTipBase: "#33373c",
    QPalette.ColorRole.ToolTipText: "#e6e8eb",
    QPalette.ColorRole.Text: "#e6e8eb",
    QPalette.ColorRole.Button: "#2f3338",
    QPalette.ColorRole.ButtonText: "#e6e8eb",
    QPalette.ColorRole.BrightText: "#ffffff",
    QPalette.ColorRole.Highlight: "#3d7fe0",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#7fb0ff",
    QPalette.ColorRole.PlaceholderText: "#7d858f",
    QPalette.ColorRole.Mid: "#8f98a3",
    QPalette.ColorRole.Light: "#3a3f45",
    QPalette.ColorRole.Midlight: "#33373c",
    QPalette.ColorRole.Dark: "#15171a",
    QPalette.ColorRole.Shadow: "#0d0e10",
}


def severity_color(severity: str) -> QColor:
    return QColor(SEVERITY_COLORS.get(severity, SEVERITY_COLORS["info"]))


def palette(theme: str) -> QPalette:
    """The palette of ``theme`` ("light" or "dark"); disabled text is dimmed in both."""
    colours = _DARK if theme == "dark" else _LIGHT
    pal = QPalette()
    for role, value in colours.items():
        pal.setColor(role, QColor(value))
    dim = QColor(colours[QPalette.ColorRole.PlaceholderText])
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        pal.setColor(QPalette.ColorGroup.Disabled, role, dim)
    return pal


def apply_theme(app: QApplication, theme: str) -> str:
    """Use the Fusion style with the theme's palette; unknown names mean "light"."""
    chosen = theme if theme in THEMES else "light"
    app.setStyle("Fusion")
    app.setPalette(palette(chosen))
    app.setProperty("workbench_theme", chosen)
    return chosen


def current_theme(app: QApplication) -> str:
    value = app.property("workbench_theme")
    return str(value) if value in THEMES else "light"
