"""Opening a plan fills the inventory first; the other heavy views fill when shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QStyle, QWidget
from pytestqt.qtbot import QtBot

from workbench.domain.commands import RenameWave
from workbench.ui.gantt.view import GanttView
from workbench.ui.graph.view import DependencyView
from workbench.ui.main_window import MainWindow


def test_hidden_views_fill_when_first_shown_and_see_edits_made_meanwhile(
    qtbot: QtBot, window: MainWindow, sample_plan_path: Path
) -> None:
    window.show()
    qtbot.waitExposed(window)
    window.show_view("inventory")
    assert window.open_plan(sample_plan_path)
    gantt, graph = window.views["gantt"], window.views["dependencies"]
    assert isinstance(gantt, GanttView) and isinstance(graph, DependencyView)
    assert gantt.plan_stale and graph.plan_stale
    assert not gantt.scene.bars  # nothing built for a view nobody looks at
    assert not graph.layout_running

    wave = window.document.plan.schedule.waves[0]
    window.execute(RenameWave(wave.id, "Renamed while hidden"))
    window.show_view("gantt")
    assert not gantt.plan_stale
    assert set(gantt.scene.bars) == {w.id for w in window.document.plan.schedule.waves}
    assert gantt.scene.plan is window.document.plan
    assert any("Renamed while hidden" in str(row) for row in gantt.scene.layout.rows)
    qtbot.waitUntil(lambda: gantt.live.ready, timeout=20_000)

    window.show_view("dependencies")
    assert not graph.plan_stale
    qtbot.waitUntil(
        lambda: graph.last_result is not None and not graph.layout_running, timeout=30_000
    )
    assert graph.graph_layout is not None


def test_a_lazy_views_modules_load_a_module_a_turn_before_it_is_built(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The economics view's modules load at idle, each in a turn of its own, in an order
    where each one's imports came before it; the view itself is not built."""
    import sys

    from PySide6.QtWidgets import QStackedWidget

    from workbench.ui import views
    from workbench.ui.document import PlanDocument

    assert views.DASHBOARD_MODULES[-1] == "workbench.ui.dashboard.dashboard"
    monkeypatch.setattr(views, "PRELOAD_DELAY_MS", 0)
    modules = ("colorsys", "no_such_module_anywhere", "wave")
    for name in modules:
        monkeypatch.delitem(sys.modules, name, raising=False)
    stack = QStackedWidget()
    qtbot.addWidget(stack)
    built: list[QWidget] = []
    registry = views.WindowViews(PlanDocument(), stack, built.append)
    factory_calls: list[str] = []

    def factory(_document: PlanDocument, parent: QWidget) -> QWidget:
        factory_calls.append("built")
        return QWidget(parent)

    icon = QStyle.StandardPixmap.SP_DialogApplyButton
    registry.add(views.ViewSpec("heavy", "Heavy", icon, factory, lazy=True, preload=modules))
    loaded: list[list[str]] = []
    ticker = QTimer()
    ticker.timeout.connect(lambda: loaded.append([m for m in modules if m in sys.modules]))
    ticker.start(5)
    registry.preload_later()
    qtbot.waitUntil(lambda: registry.preloaded, timeout=10_000)
    ticker.stop()
    assert ["colorsys"] in loaded  # one module a turn: the first alone for a while
    assert "wave" in sys.modules and not factory_calls and not built


def test_the_dashboard_modules_are_listed_after_what_they_import() -> None:
    """Each of the listed modules, imported in a fresh interpreter in the listed order,
    finds everything it imports from the list already loaded."""
    import subprocess
    import sys

    from workbench.ui.views import DASHBOARD_MODULES

    script = (
        "import sys, importlib, workbench.ui.main_window\n"
        f"listed = {list(DASHBOARD_MODULES)!r}\n"
        "for i, name in enumerate(listed):\n"
        "    before = set(sys.modules)\n"
        "    importlib.import_module(name)\n"
        "    extra = {m for m in set(sys.modules) - before if m in listed and m != name}\n"
        "    assert not extra, (name, extra)\n"
    )
    env = {**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
