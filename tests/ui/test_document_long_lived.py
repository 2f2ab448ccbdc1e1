"""A large plan taken over by a window is kept out of the collector's later full passes;
a small one is left to the collector as usual."""

from __future__ import annotations

import gc

from pytestqt.qtbot import QtBot

from workbench.ops.generate import generate_plan
from workbench.ui.document import SETTLED_WORKLOADS, PlanDocument


def _in_a_generation(obj: object) -> bool:
    return any(o is obj for g in range(3) for o in gc.get_objects(generation=g))


def test_a_large_plan_leaves_the_collectors_generations(qtbot: QtBot) -> None:
    document = PlanDocument()
    plan = generate_plan(SETTLED_WORKLOADS, 3, 7)
    workloads = plan.inventory.workloads
    assert _in_a_generation(workloads)
    document.replace(plan, None)
    assert not _in_a_generation(workloads)
    document.analysis.shutdown()


def test_a_small_plan_stays_with_the_collector(qtbot: QtBot) -> None:
    document = PlanDocument()
    plan = generate_plan(40, 3, 7)
    document.replace(plan, None)
    assert _in_a_generation(plan.inventory.workloads)
    document.analysis.shutdown()
