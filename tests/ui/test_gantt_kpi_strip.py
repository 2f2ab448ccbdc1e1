"""The business-case strip under the Gantt chart: in the colours of the theme, never wider
than the chart."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.plans import build_plan
from workbench.domain.defaults import playbook_cost_lines
from workbench.ui.gantt.kpi_strip import KpiStrip
from workbench.ui.theme import CANVAS_COLOURS, apply_theme


@pytest.fixture
def light_again(qapp: QApplication) -> Iterator[None]:
    yield
    apply_theme(qapp, "light")


def test_the_strip_follows_the_theme_after_it_is_built(
    qtbot: QtBot, qapp: QApplication, light_again: None
) -> None:
    apply_theme(qapp, "light")
    strip = KpiStrip()
    qtbot.addWidget(strip)
    assert CANVAS_COLOURS["light"].header in strip.styleSheet()
    apply_theme(qapp, "dark")
    qtbot.waitUntil(lambda: CANVAS_COLOURS["dark"].header in strip.styleSheet(), timeout=2_000)
    assert CANVAS_COLOURS["dark"].text in strip.styleSheet()


def test_a_long_scenario_name_does_not_widen_the_strip(qtbot: QtBot) -> None:
    plan = build_plan(20)
    strip = KpiStrip()
    qtbot.addWidget(strip)
    strip.refresh(plan)
    short = strip.minimumSizeHint().width()
    strip.scenario.setText("Scenario: " + "a very long scenario name " * 20)
    assert strip.minimumSizeHint().width() == short
    assert short < 900  # fits beside the Gantt's row labels at 1400 px wide


def test_figures_from_the_shipped_defaults_say_so(qtbot: QtBot) -> None:
    plan = build_plan(20)
    plan.assumptions.cost_lines = playbook_cost_lines()  # as shipped, not reviewed
    strip = KpiStrip()
    qtbot.addWidget(strip)
    strip.refresh(plan)
    assert "shipped defaults: cost lines" in strip.scenario.text()
    assert "shipped defaults: cost lines" in strip.scenario.toolTip()
    assert not strip.basis.isHidden() and "cost lines" in strip.basis.toolTip()
    plan.assumptions.cost_lines = []  # the plan's own (reviewed) cost lines
    strip.refresh(plan)
    assert "shipped defaults" not in strip.scenario.text()
    assert strip.basis.isHidden()


def test_a_cut_scenario_name_ends_in_an_ellipsis_and_keeps_its_full_text(qtbot: QtBot) -> None:
    plan = build_plan(20)
    strip = KpiStrip()
    qtbot.addWidget(strip)
    strip.refresh(plan)
    full = strip.scenario.text()
    strip.resize(strip.minimumSizeHint().width() + 40, 40)  # the figures' room and little more
    strip.show()
    qtbot.waitExposed(strip)
    shown = strip.scenario.shown_text()
    assert shown != full and shown.endswith("…")  # cut, and it says so
    assert full.startswith(shown[:-1])
    assert strip.scenario.text() == strip.scenario.toolTip() == full  # in full where asked
    strip.resize(3000, 40)
    qtbot.waitUntil(lambda: strip.scenario.shown_text() == full, timeout=2_000)
    image = strip.scenario.grab().toImage()
    assert len({image.pixel(x, y) for x in range(0, 60) for y in range(image.height())}) > 2
