"""Colours, pens, brushes and fonts of the Gantt chart, created once and shared.

Items paint with these shared objects instead of creating (or setting) pens and
brushes per item, which keeps a large chart cheap to draw. The neutral colours (canvas,
grid, text, plain bars) follow the theme: :func:`follow_theme` sets them, in place, from
:func:`workbench.ui.theme.canvas_colours`; the colours that carry meaning stay.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPen

from workbench.ui.theme import CanvasColours, canvas_colours

PHASE_COLOURS = ("#5b7db1", "#4f9a94", "#b08a3e", "#8a6bb1", "#b0645b", "#5f8f4e")
SEVERITY_COLOURS = {
    "blocker": "#b3261e",
    "high": "#d9480f",
    "medium": "#e8a317",
    "low": "#5c7cfa",
    "info": "#868e96",
}

BACKGROUND = QColor("#ffffff")
GRID = QColor("#e9ecef")
GRID_MAJOR = QColor("#ced4da")
TEXT = QColor("#212529")
TEXT_MUTED = QColor("#6c757d")
HEADER_BG = QColor("#f8f9fa")
SIDECAR = QColor("#3b6fd8")
AMBIENT = QColor("#12a39a")
ACTIVITY = QColor("#adb5bd")
MEMBER = QColor("#cfdcf5")
SELECTED = QColor("#f08c00")
DROP_TARGET = QColor("#37b24d")
TODAY = QColor("#e03131")
STRICT_MILESTONE = QColor("#7048e8")
GHOST = QColor(120, 120, 120, 70)
COVERAGE_FILL = QColor(59, 111, 216, 60)
COVERAGE_LINE = QColor("#3b6fd8")
COVERAGE_PODS = QColor("#12a39a")


def phase_colour(index: int) -> QColor:
    return QColor(PHASE_COLOURS[index % len(PHASE_COLOURS)])


def band_brush(index: int) -> QBrush:
    colour = phase_colour(index)
    colour.setAlpha(22)
    return QBrush(colour)


NO_PEN = QPen(Qt.PenStyle.NoPen)
NO_BRUSH = QBrush(Qt.BrushStyle.NoBrush)
GRID_PEN = QPen(GRID, 0)
GRID_MAJOR_PEN = QPen(GRID_MAJOR, 0)
TEXT_PEN = QPen(TEXT)
TEXT_MUTED_PEN = QPen(TEXT_MUTED)
WHITE_TEXT_PEN = QPen(QColor("#ffffff"))
BAR_OUTLINE_PEN = QPen(QColor(0, 0, 0, 60), 1)
STRICT_OUTLINE_PEN = QPen(QColor("#1c2b4a"), 2)
SELECTED_PEN = QPen(SELECTED, 2.5)
DROP_PEN = QPen(DROP_TARGET, 3)
GHOST_PEN = QPen(QColor(90, 90, 90, 160), 1, Qt.PenStyle.DashLine)
TODAY_PEN = QPen(TODAY, 1.5)
STRICT_PEN = QPen(STRICT_MILESTONE, 1.5, Qt.PenStyle.DashLine)
HANDLE_PEN = QPen(QColor(255, 255, 255, 200), 1.5)
SIDECAR_BRUSH = QBrush(SIDECAR)
AMBIENT_BRUSH = QBrush(AMBIENT)
ACTIVITY_BRUSH = QBrush(ACTIVITY)
MEMBER_BRUSH = QBrush(MEMBER)
GHOST_BRUSH = QBrush(GHOST)
HEADER_BRUSH = QBrush(HEADER_BG)
PHASE_BAR_BRUSH = QBrush(QColor("#343a40"))
STRICT_BRUSH = QBrush(STRICT_MILESTONE)
TODAY_BRUSH = QBrush(TODAY)
SEVERITY_BRUSHES = {k: QBrush(QColor(v)) for k, v in SEVERITY_COLOURS.items()}


def font(size: float = 9.0, bold: bool = False) -> QFont:
    f = QFont()
    f.setPointSizeF(size)
    f.setBold(bold)
    return f


def _set(colour: QColor, value: str) -> None:
    colour.setRgba(QColor(value).rgba())


def follow_theme(colours: CanvasColours | None = None) -> None:
    """Repaint-ready neutral colours of the theme in use (or ``colours``): the shared
    colours, pens and brushes change in place, so every item picks them up when it next
    paints."""
    c = colours or canvas_colours()
    for colour, value in (
        (BACKGROUND, c.background),
        (GRID, c.grid),
        (GRID_MAJOR, c.grid_major),
        (TEXT, c.text),
        (TEXT_MUTED, c.text_muted),
        (HEADER_BG, c.header),
        (ACTIVITY, c.neutral),
        (MEMBER, c.node),
    ):
        _set(colour, value)
    for pen, colour in (
        (GRID_PEN, GRID),
        (GRID_MAJOR_PEN, GRID_MAJOR),
        (TEXT_PEN, TEXT),
        (TEXT_MUTED_PEN, TEXT_MUTED),
    ):
        pen.setColor(colour)
    for brush, colour in (
        (ACTIVITY_BRUSH, ACTIVITY),
        (MEMBER_BRUSH, MEMBER),
        (HEADER_BRUSH, HEADER_BG),
    ):
        brush.setColor(colour)
    PHASE_BAR_BRUSH.setColor(QColor(c.strong))
