"""Light and dark palettes on the Fusion style, and the few colours the views share.

Severity colours are chosen to read on both palettes' base colours. Views that paint
themselves (the Gantt chart, the dependency graph, the economics charts) read their
colours here, from :func:`canvas_colours` and :func:`chart_palette`, and repaint when
their ``changeEvent`` sees ``QEvent.PaletteChange`` after :func:`apply_theme`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

if TYPE_CHECKING:
    from workbench.charts.palette import Palette as ChartPalette

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
    QPalette.ColorRole.PlaceholderText: "#68717c",
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
    QPalette.ColorRole.PlaceholderText: "#9aa2ad",
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
    app.setProperty("workbench_theme", chosen)  # before the palette: views read it then
    app.setStyle("Fusion")
    app.setPalette(palette(chosen))
    return chosen


def current_theme(app: QApplication) -> str:
    value = app.property("workbench_theme")
    return str(value) if value in THEMES else "light"


@dataclass(frozen=True, slots=True)
class CanvasColours:
    """The colours of a drawn canvas (chart area, rulers, boxes, labels) in one theme."""

    background: str  # the canvas itself
    header: str  # rulers, header strips and the fill of group boxes
    border: str  # outlines of group boxes and panels
    grid: str  # minor grid lines, row separators
    grid_major: str  # major grid lines
    text: str  # labels
    text_muted: str  # secondary labels
    text_dim: str  # labels of things faded out (filtered, not matching)
    node: str  # fill of shapes that carry a label (graph nodes, member rows)
    neutral: str  # plain bars and edges without a meaning of their own
    strong: str  # dark accents on the light theme (phase bars), light on the dark one
    on_strong: str  # text drawn on ``strong``


CANVAS_COLOURS = {
    "light": CanvasColours(
        background="#ffffff",
        header="#f8f9fa",
        border="#c3ccd8",
        grid="#e9ecef",
        grid_major="#ced4da",
        text="#212529",
        text_muted="#6c757d",
        text_dim="#b3bbc6",
        node="#cfdcf5",
        neutral="#adb5bd",
        strong="#343a40",
        on_strong="#ffffff",
    ),
    "dark": CanvasColours(
        background="#1e2023",
        header="#2a2d32",
        border="#4a515b",
        grid="#2e3238",
        grid_major="#434a53",
        text="#e6e8eb",
        text_muted="#a0a8b3",
        text_dim="#5d6570",
        node="#34476b",
        neutral="#6c7480",
        strong="#c9ced6",
        on_strong="#1b1d20",
    ),
}


def _app_theme() -> str:
    app = QCoreApplication.instance()
    return current_theme(app) if isinstance(app, QApplication) else "light"


def canvas_colours(theme: str | None = None) -> CanvasColours:
    """The canvas colours of ``theme``, or of the theme in use."""
    chosen = theme if theme in THEMES else _app_theme()
    return CANVAS_COLOURS[chosen]


def chart_palette(theme: str | None = None) -> ChartPalette:
    """The matplotlib chart palette of ``theme``, or of the theme in use."""
    from workbench.charts.palette import palette

    chosen = theme if theme in THEMES else _app_theme()
    return palette(dark=chosen == "dark")


def muted_text() -> str:
    """Secondary text (notes, units) readable on the window background of the theme."""
    return (_DARK if _app_theme() == "dark" else _LIGHT)[QPalette.ColorRole.PlaceholderText]


def set_muted(widget: QWidget, points: float | None = None) -> None:
    """Secondary text (notes, units) in the theme's muted colour, following theme changes
    (through the palette, not a style sheet); ``points`` sets a smaller type size."""
    widget.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    if points is not None:
        set_font(widget, points)


def set_font(widget: QWidget, points: float | None = None, bold: bool = False) -> None:
    """A type size and weight set on the font (a style sheet would pin the colours of
    the theme in use when it was applied)."""
    font = widget.font()
    if points is not None:
        font.setPointSizeF(points)
    font.setBold(bold)
    widget.setFont(font)
