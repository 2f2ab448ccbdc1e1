"""Caller knowledge in the desktop app: the Inventory column, the Details entry, the
Discovery gaps view (confirm with undo) and unknown-caller marking in the graph."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.io.runtime.conftest import (
    CART,
    DB,
    DEATHSTAR,
    FRONTEND,
    TIEFIGHTER,
    XWING,
)
from tests.ui.plans import FakeDialogs
from workbench.ui.details_dock import DetailsDock
from workbench.ui.document import PlanDocument
from workbench.ui.gaps_view import GapsView
from workbench.ui.graph.view import DependencyView
from workbench.ui.inventory_columns import HEADERS, KNOWLEDGE_COLUMN
from workbench.ui.inventory_model import InventoryTableModel

SIZE = (1200, 700)


@pytest.fixture
def document(star_wars_document: PlanDocument) -> PlanDocument:
    return star_wars_document


def _shot(widget: object, repo_root: Path, name: str) -> None:
    folder = repo_root / "test-artifacts"
    folder.mkdir(exist_ok=True)
    assert widget.grab().save(str(folder / name))  # type: ignore[attr-defined]


def test_inventory_column_shows_caller_knowledge(document: PlanDocument) -> None:
    model = InventoryTableModel()
    model.set_plan(document.plan)
    assert HEADERS[KNOWLEDGE_COLUMN] == "Callers known"

    def cell(key: str, role: int = 0) -> object:
        row = model.row_of(key)
        assert row is not None
        return model.data(model.index(row, KNOWLEDGE_COLUMN), role)

    assert cell(DEATHSTAR) == "complete + external"  # a week of flows; a LoadBalancer
    assert cell(FRONTEND) == "complete + external"  # in the week's capture; the world calls it
    assert cell(XWING) == "unknown"  # only its denied flow was seen
    assert cell(DB) == "unknown"
    assert "no caller is known" in str(cell(DB, 3))  # tooltip: the reasons


def test_details_dock_says_what_the_callers_rest_on(qtbot: QtBot, document: PlanDocument) -> None:
    dock = DetailsDock(document)
    qtbot.addWidget(dock)
    dock.show_key(DEATHSTAR)
    assert "Callers known: complete · called from outside" in dock.text()
    assert "observed by hubble for 7.0 day(s)" in dock.text()


def test_gaps_view_lists_namespaces_and_confirms_with_undo(
    qtbot: QtBot, document: PlanDocument, repo_root: Path
) -> None:
    dialogs = FakeDialogs()
    view = GapsView(document, dialogs=dialogs)
    qtbot.addWidget(view)
    view.resize(*SIZE)
    view.show()
    qtbot.waitExposed(view)
    assert [g.namespace for g in view.gaps] == ["east/default", "east/shop"]
    assert view.table.item(0, 2).text() == "1"  # xwing: nothing seen
    assert "Hubble flows or flow logs" in view.table.item(0, 5).text()
    assert view.show_key(DB)
    assert view.members.currentItem().data(256) == DB
    _shot(view, repo_root, "gaps-view.png")
    dialogs.texts.append("only the cart calls it: the database is private to the shop")
    view.confirm_selected()
    assert document.plan.dependencies.confirmations[DB].reason.startswith("only the cart")
    assert DB not in {k for g in view.gaps for k in (*g.unknown, *g.partial)}
    document.undo_stack.undo()
    assert DB not in document.plan.dependencies.confirmations
    assert DB in view.gaps[1].unknown
    dialogs.texts.append("  ")  # no reason: refused, nothing recorded
    view.show_key(DB)
    view.confirm_selected()
    assert DB not in document.plan.dependencies.confirmations


def test_graph_marks_unknown_callers_and_styles_runtime_edges(
    qtbot: QtBot, document: PlanDocument, repo_root: Path
) -> None:
    view = DependencyView(document, dialogs=FakeDialogs())
    qtbot.addWidget(view)
    view.resize(*SIZE)
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: view.last_result is not None, timeout=20_000)
    nodes = view.scene.nodes
    assert nodes[XWING].callers_unknown and nodes[DB].callers_unknown
    assert not nodes[TIEFIGHTER].callers_unknown  # the capture covered it: nobody called
    assert not nodes[DEATHSTAR].callers_unknown and not nodes[CART].callers_unknown
    assert "callers unknown" in nodes[DB].toolTip()
    edge = view.scene.edges[(TIEFIGHTER, DEATHSTAR)]
    assert edge.edge.style == "traffic"
    qtbot.wait(50)
    _shot(view, repo_root, "dependencies-evidence.png")
    view.shutdown()
