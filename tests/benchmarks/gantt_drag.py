"""Opening the Gantt chart and dragging a wave bar, timed: shared by the Gantt benchmarks."""

from __future__ import annotations

import time

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from workbench.domain.schedule import Wave
from workbench.ui.document import PlanDocument
from workbench.ui.gantt import GanttView


def open_gantt_timed(qtbot: QtBot, doc: PlanDocument) -> tuple[GanttView, float]:
    """The view built, shown and painted at 1600x1000, and the seconds that took."""
    started = time.perf_counter()
    view = GanttView(doc)
    qtbot.addWidget(view)
    view.resize(1600, 1000)
    view.show()
    view.canvas.viewport().repaint()
    return view, time.perf_counter() - started


def drag_frames(view: GanttView, wave: Wave, steps: int) -> tuple[QPoint, list[float]]:
    """Press on the wave's bar and drag it out ``steps // 2`` days and back, timing each
    frame (mouse move, command, validation, repaint); returns the press point (the
    button is still down) and the frame times."""
    bar = view.scene.bars[wave.id]
    view.canvas.centerOn(bar.rect().center())
    viewport = view.canvas.viewport()
    press = view.canvas.mapFromScene(bar.rect().center())
    step = round(view.scene.axis.px_per_day)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, press)
    half = steps // 2
    frames = []
    for i in range(1, steps + 1):
        t = time.perf_counter()
        QTest.mouseMove(viewport, press + QPoint(step * (i if i <= half else steps - i), 0))
        viewport.repaint()
        frames.append(time.perf_counter() - t)
    return press, frames
