"""Building economics dashboards over test plans, and reading what they show."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import numpy.typing as npt
from matplotlib.figure import Figure
from pytestqt.qtbot import QtBot

from workbench.domain.economics.scenarios import apply_scenario
from workbench.domain.plan import Plan
from workbench.io.plan_file import load_plan
from workbench.ui.dashboard.dashboard import EconomicsDashboard
from workbench.ui.document import PlanDocument

SCREEN = (1600, 1000)


def document_for(plan: Plan, path: Path | None = None) -> PlanDocument:
    document = PlanDocument()
    document.replace(plan, path)
    return document


def sample_document(sample_plan_path: Path) -> PlanDocument:
    """The sample plan with the playbook's fixed lines as its own, under ``playbook``."""
    return document_for(playbook_case(load_plan(sample_plan_path)), sample_plan_path)


def playbook_case(plan: Plan) -> Plan:
    """The plan with the playbook scenario's lines moved into its own assumptions (so the
    line tables edit them) and that scenario active: the figures these tests pin."""
    playbook = plan.scenario("playbook")
    plan.assumptions = apply_scenario(plan.assumptions, playbook)
    for s in plan.scenarios:
        s.cost_lines = s.benefit_lines = None
    plan.active_scenario = "playbook"
    return plan


@contextmanager
def dashboard_for(
    qtbot: QtBot, document: PlanDocument, *, with_monte_carlo: bool = False
) -> Iterator[EconomicsDashboard]:
    """A dashboard with its figures computed; its worker stopped afterwards."""
    dashboard = EconomicsDashboard(document, with_monte_carlo=with_monte_carlo)
    qtbot.addWidget(dashboard)
    dashboard.refresh_now()
    try:
        yield dashboard
    finally:
        dashboard.recompute.shutdown()
        document.undo_stack.setClean()  # a stack cleared while dirty signals a dead document
        # The commands go now, with their stack: each refers back to the document, and a
        # document left to the cyclic garbage collector with commands on its stack may
        # see them freed before the stack, which then deletes them again.
        document.undo_stack.clear()


def tile(dashboard: EconomicsDashboard, key: str) -> str:
    return dashboard.tiles.tile(key).value_text()


def cumulative_net(figure: Figure) -> npt.NDArray[np.float64]:
    """The y values of the cash-flow chart's cumulative net line."""
    for ax in figure.axes:
        for line in ax.get_lines():
            if line.get_gid() == "cumulative-net":
                return np.asarray(line.get_ydata(), dtype=np.float64)
    raise AssertionError("the figure has no cumulative net line")


def payback_marker_x(figure: Figure) -> float | None:
    for ax in figure.axes:
        for line in ax.get_lines():
            if line.get_gid() == "payback":
                return float(np.asarray(line.get_xdata())[0])
    return None
