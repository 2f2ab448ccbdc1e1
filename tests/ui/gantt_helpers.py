"""Plans and helpers for the Gantt chart's tests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import QPoint
from pytestqt.qtbot import QtBot

from tests.ui.plans import build_plan
from workbench.domain.assumptions import Ramp
from workbench.domain.defaults import playbook_assumptions
from workbench.domain.dependencies import Edge, Evidence
from workbench.domain.plan import Plan
from workbench.ui.document import PlanDocument
from workbench.ui.gantt import GanttView

TODAY = date(2027, 2, 1)


def coverage_plan(n: int = 60) -> Plan:
    """The fixture estate with the seed's business case and benefits ramping with coverage."""
    plan = build_plan(n)
    for key in plan.unassigned()[:-6]:  # most of the estate planned, a few left to drop
        plan.schedule.assign(key, "wave-03")
    plan.assumptions = playbook_assumptions()
    plan.assumptions.ramp = Ramp("coverage")
    plan.assumptions.start = date(2027, 1, 1)
    return plan


def add_call(plan: Plan, caller: str, callee: str) -> None:
    plan.dependencies.add(Edge(caller, callee, [Evidence("manual", "test")], manual=True))


_DOCUMENTS: list[PlanDocument] = []


@pytest.fixture(autouse=True)
def _clear_histories() -> Iterator[None]:
    """Empty the documents' undo stacks before they are destroyed."""
    yield
    while _DOCUMENTS:
        _DOCUMENTS.pop().undo_stack.clear()


def open_gantt(qtbot: QtBot, plan: Plan) -> tuple[PlanDocument, GanttView]:
    doc = PlanDocument()
    _DOCUMENTS.append(doc)
    doc.replace(plan, None)
    view = GanttView(doc, today=TODAY)
    qtbot.addWidget(view)
    view.resize(1600, 1000)
    view.show()
    qtbot.waitExposed(view)
    return doc, view


def bar_point(view: GanttView, wave_id: str, where: str = "centre") -> QPoint:
    """A viewport point on a wave's bar (its centre, or just inside an end)."""
    bar = view.scene.bars[wave_id]
    view.canvas.ensureVisible(bar.rect(), 40, 10)
    rect = bar.rect()
    x = {"centre": rect.center().x(), "start": rect.left() + 2, "end": rect.right() - 2}[where]
    return view.canvas.mapFromScene(x, rect.center().y())
