"""The Discovery gaps view reads a large plan's caller knowledge as a background job."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from tests.ui.plans import FakeDialogs
from workbench.domain.evidence.gaps import discovery_gaps
from workbench.ui.document import PlanDocument
from workbench.ui.gaps_view import GapsView


def test_a_large_plan_is_read_as_a_job_and_shown_when_it_answers(
    qtbot: QtBot, star_wars_document: PlanDocument
) -> None:
    document = star_wars_document
    view = GapsView(document, dialogs=FakeDialogs())
    qtbot.addWidget(view)
    view.sync_workloads = 0  # read even this small plan as a job
    expected = discovery_gaps(document.plan)
    assert expected
    view.show()
    assert view.gaps == []  # the job has not answered in this turn of the event loop
    assert "Reading" in view.summary.text()
    view.refresh()  # read again: only the newest reading shows
    qtbot.waitUntil(lambda: view.gaps == expected, timeout=10_000)
    qtbot.waitUntil(lambda: not document.jobs.running(), timeout=10_000)
    assert view.gaps == expected
    assert "Reading" not in view.summary.text()
    assert view.members.count() > 0  # the first namespace's workloads, from the knowledge kept
    key = view.members.item(0).data(256)
    assert key in view.knowledge
