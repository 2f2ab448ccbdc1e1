"""Switching the theme in Preferences repaints the drawn views at once: the Gantt chart,
the economics charts and tiles, and the economics title stay readable."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from tests.ui.plans import FakeDialogs
from workbench.charts.style import DARK, LIGHT
from workbench.ui.dashboard.dashboard import EconomicsDashboard
from workbench.ui.gantt import palette as gantt_palette
from workbench.ui.gantt.view import GanttView
from workbench.ui.main_window import MainWindow
from workbench.ui.theme import CANVAS_COLOURS, apply_theme, muted_text


@pytest.fixture
def light_again(qapp: QApplication) -> Iterator[None]:
    yield
    apply_theme(qapp, "light")


def _lightness(colour: QColor) -> float:
    return colour.lightnessF()


def test_switching_to_dark_repaints_gantt_and_economics(
    qtbot: QtBot, dialogs: FakeDialogs, sample_plan_path: Path, light_again: None
) -> None:
    window = MainWindow(dialogs=dialogs)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    assert window.open_plan(sample_plan_path)
    dashboard = window.show_view("economics")
    assert isinstance(dashboard, EconomicsDashboard)
    dashboard.refresh_now()
    qtbot.waitUntil(lambda: dashboard.charts.report is not None, timeout=20_000)
    qtbot.waitUntil(lambda: dashboard.recompute.monte_carlo is not None, timeout=20_000)
    qtbot.wait(20)
    assert (
        dashboard.charts.figure("cashflow").get_facecolor()[:3]
        == QColor(LIGHT.background).getRgbF()[:3]
    )

    window.apply_preferences(dataclasses.replace(window.preferences, theme="dark"))
    qtbot.wait(50)
    face = QColor.fromRgbF(*dashboard.charts.figure("cashflow").get_facecolor()[:3])
    assert face.name() == QColor(DARK.background).name()  # rebuilt in the dark palette
    assert DARK.background in dashboard.tiles.tile("npv").styleSheet()
    assert muted_text() in dashboard.headline.text()  # its note re-coloured for the dark
    title = dashboard.findChild(QLabel, "dashboard-title")
    assert title is not None
    text = title.palette().color(title.foregroundRole())
    assert _lightness(text) - _lightness(window.palette().color(QPalette.ColorRole.Window)) > 0.5

    gantt = window.show_view("gantt")
    assert isinstance(gantt, GanttView)
    qtbot.wait(50)
    assert gantt_palette.BACKGROUND.name() == CANVAS_COLOURS["dark"].background
    image = gantt.canvas.viewport().grab().toImage()
    assert _lightness(QColor(image.pixel(image.width() - 3, image.height() - 3))) < 0.2
    window.document.undo_stack.setClean()
    window.close()
    assert gantt_palette.TEXT.name() == CANVAS_COLOURS["dark"].text
