"""The inventory fills without stalling the window: caller knowledge is a background
job (cells say "…" until it arrives), rows are formatted ahead in slices, and column
widths come from the titles and the first rows."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.io.runtime.conftest import DB, DEATHSTAR, XWING
from workbench.domain.dependencies import CallerConfirmation
from workbench.domain.evidence.commands import ConfirmCallers
from workbench.ops.generate import generate_plan
from workbench.ui import inventory_view
from workbench.ui.document import PlanDocument
from workbench.ui.inventory_columns import HEADERS, KNOWLEDGE_COLUMN, NAME_COLUMN, NOT_CHECKED
from workbench.ui.inventory_view import InventoryView


def _cell(view: InventoryView, key: str, column: int = KNOWLEDGE_COLUMN) -> object:
    row = view.model.row_of(key)
    assert row is not None
    return view.model.data(view.model.index(row, column), Qt.ItemDataRole.DisplayRole)


def _knowledge_in(qtbot: QtBot, view: InventoryView) -> None:
    qtbot.waitUntil(lambda: _cell(view, DB) != NOT_CHECKED, timeout=10_000)


def test_caller_knowledge_arrives_from_a_background_job(
    qtbot: QtBot, star_wars_document: PlanDocument
) -> None:
    document = star_wars_document
    view = InventoryView(document)
    qtbot.addWidget(view)
    assert _cell(view, DEATHSTAR) == NOT_CHECKED  # asked for, not computed here
    assert "Reading caller knowledge" in [h.title for h in document.jobs.running()]
    _knowledge_in(qtbot, view)
    assert _cell(view, DEATHSTAR) == "complete + external"
    assert _cell(view, XWING) == "unknown"

    view.proxy.set_filter_text("unknown")  # filtering sees the knowledge that arrived
    assert set(view.visible_keys()) >= {XWING, DB}
    assert DEATHSTAR not in view.visible_keys()


def test_knowledge_arriving_resorts_and_refilters(
    qtbot: QtBot, star_wars_document: PlanDocument
) -> None:
    document = star_wars_document
    view = InventoryView(document)
    qtbot.addWidget(view)
    view.table.sortByColumn(KNOWLEDGE_COLUMN, Qt.SortOrder.AscendingOrder)
    view.proxy.set_filter_text("external")
    assert DEATHSTAR not in view.visible_keys()  # nothing known yet
    qtbot.waitUntil(lambda: DEATHSTAR in view.visible_keys(), timeout=10_000)
    shown = view.visible_keys()
    assert DEATHSTAR in shown and DB not in shown
    view.proxy.set_filter_text("")
    states = [str(_cell(view, k)).split(" ")[0] for k in view.visible_keys()]
    order = ["complete", "partial", "unknown", ""]
    assert [order.index(s) for s in states] == sorted(order.index(s) for s in states)


def test_an_edit_while_computing_discards_the_old_knowledge(
    qtbot: QtBot, star_wars_document: PlanDocument
) -> None:
    document = star_wars_document
    view = InventoryView(document)
    qtbot.addWidget(view)
    assert _cell(view, DB) == NOT_CHECKED  # the first job starts
    confirm = ConfirmCallers(CallerConfirmation(DB, "only the cart calls it", "ops", "2026-01-01"))
    document.execute(confirm)  # before the first job's result is in
    _knowledge_in(qtbot, view)
    qtbot.waitUntil(lambda: not document.jobs.running(), timeout=10_000)
    assert _cell(view, DB) == "complete"  # the confirmed state, not the stale unknown
    document.undo_stack.undo()
    qtbot.waitUntil(lambda: _cell(view, DB) == "unknown", timeout=10_000)


def test_a_large_plan_is_formatted_ahead_and_sized_from_its_first_rows(qtbot: QtBot) -> None:
    document = PlanDocument()
    view = InventoryView(document)
    qtbot.addWidget(view)
    plan = generate_plan(3_000, 3, 11)
    document.replace(plan, None)
    assert not view.model.formatting_done()  # not every row formatted on the spot
    qtbot.waitUntil(view.model.formatting_done, timeout=20_000)
    header = view.table.horizontalHeader()
    metrics = view.table.fontMetrics()
    first_name = str(_cell(view, view.model.key_at(0), NAME_COLUMN))
    assert header.sectionSize(NAME_COLUMN) >= metrics.horizontalAdvance(first_name)
    title = header.fontMetrics().horizontalAdvance(HEADERS[KNOWLEDGE_COLUMN])
    assert header.sectionSize(KNOWLEDGE_COLUMN) >= title
    for row in (0, 7, 2_999):  # the texts the columns are sized from are the cells' own
        assert view.model.row_texts(row) == tuple(
            view.model.data(view.model.index(row, col)) for col in range(len(HEADERS))
        )
    view.proxy.set_filter_text(plan.inventory.workloads[view.model.key_at(5)].name)
    assert view.model.key_at(0) in {view.model.key_at(r) for r in range(view.proxy.rowCount())}
    document.jobs.shutdown()


def test_a_large_plans_caller_knowledge_is_read_in_a_worker_process(
    qtbot: QtBot, star_wars_document: PlanDocument, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a thread of the window, the estate-wide pass would hold the interpreter the
    window needs while a large plan is first shown."""
    monkeypatch.setattr(inventory_view, "PROCESS_WORKLOADS", 1)  # this plan counts as large

    def not_here(_plan: object) -> object:
        raise AssertionError("caller knowledge computed in the window's process")

    monkeypatch.setattr(inventory_view, "caller_evidence", not_here)
    view = InventoryView(star_wars_document)
    qtbot.addWidget(view)
    assert _cell(view, DEATHSTAR) == NOT_CHECKED
    qtbot.waitUntil(lambda: _cell(view, DB) != NOT_CHECKED, timeout=60_000)
    assert _cell(view, DEATHSTAR) == "complete + external"
    assert _cell(view, XWING) == "unknown"


def test_new_rows_are_painted_in_a_turn_after_the_change(
    qtbot: QtBot, star_wars_document: PlanDocument
) -> None:
    """Typing a filter or opening a plan changes the rows at once and paints the table
    in a later turn of the event loop, so the paint does not add to the change's stall."""
    view = InventoryView(star_wars_document)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    painted: list[bool] = []
    view.filter_edit.setText("deathstar")  # as typed: the rows change now
    painted.append(view.table.updatesEnabled())
    assert view.visible_keys() == [DEATHSTAR]
    qtbot.waitUntil(view.table.updatesEnabled, timeout=2_000)
    view.filter_edit.clear()
    qtbot.waitUntil(view.table.updatesEnabled, timeout=2_000)
    star_wars_document.replace(star_wars_document.plan, None)  # a plan taken over
    painted.append(view.table.updatesEnabled())
    assert len(view.visible_keys()) == len(star_wars_document.plan.inventory.workloads)
    qtbot.waitUntil(view.table.updatesEnabled, timeout=2_000)
    assert painted == [False, False]
