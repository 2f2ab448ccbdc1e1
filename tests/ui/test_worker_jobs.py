"""Long jobs started from the desktop run in worker processes: the plan crosses as its
file or in pieces read between turns of the event loop (again after an edit, stopped by
Cancel), results equal the in-process ones, a newer Monte Carlo run stops the stale one,
and cancelling an export leaves no file behind."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from tests.ui.dashboard_support import dashboard_for, document_for
from tests.ui.gantt_helpers import _clear_histories, open_gantt
from tests.ui.plans import build_plan
from workbench.domain.commands import SetAssumption
from workbench.domain.economics.montecarlo import MonteCarloResult, monte_carlo
from workbench.domain.errors import WorkbenchError
from workbench.domain.jobs import CancelToken, JobCancelled
from workbench.domain.plan import Plan
from workbench.domain.planning.autoplan_options import AutoPlanOptions
from workbench.io.collector import collections_running
from workbench.io.plan_file import load_plan
from workbench.ops.background.jobs import PlanFile, PlanPieces
from workbench.ops.background.usecases import AUTO_PLAN
from workbench.ops.generate import generate_plan
from workbench.ops.loading.pieces import count_pieces
from workbench.ops.planning import propose_plan
from workbench.ui import plan_snapshot
from workbench.ui.document import PlanDocument
from workbench.ui.export_dialog import ExportDialog
from workbench.ui.gantt.autoplan_dialog import AutoPlanDialog
from workbench.ui.main_window import MainWindow
from workbench.ui.plan_snapshot import PREPARING
from workbench.ui.workers import JobHandle, PlanSnapshot

__all__ = ["_clear_histories"]


def test_a_saved_plan_crosses_as_its_file_an_edited_one_in_pieces(
    qtbot: QtBot, sample_plan_path: Path
) -> None:
    document = PlanDocument()
    document.open(sample_plan_path)
    snapshot = PlanSnapshot(document, CancelToken())
    assert snapshot.source == PlanFile(str(sample_plan_path.resolve()))
    document.execute(SetAssumption("discount_rate", 0.123))
    edited = PlanSnapshot(document, CancelToken())
    assert edited.source is None  # read from the event loop, not in the constructor
    with qtbot.waitSignal(edited.ready, timeout=30_000) as ready:
        pass
    source = ready.args[0] if ready.args else None
    assert isinstance(source, PlanPieces) and source is edited.source
    copy = source.plan()
    assert isinstance(copy, Plan) and copy.assumptions.discount_rate == 0.123
    assert copy == document.plan and copy is not document.plan
    document.undo_stack.clear()  # a document left to the collector with its history crashes


@pytest.fixture
def edited(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, collector_on: None
) -> Iterator[PlanDocument]:
    """A document whose plan has unsaved edits, read one piece per turn of the loop."""
    monkeypatch.setattr(plan_snapshot, "SLICE_S", 0.0)
    document = PlanDocument()
    document.replace(generate_plan(600, 2, 3), None, modified=True)
    yield document
    document.analysis.shutdown()  # no check of this document outlives the test
    qtbot.waitUntil(lambda: not document.jobs.running(), timeout=30_000)
    document.undo_stack.clear()


def _reading(document: PlanDocument) -> tuple[PlanSnapshot, list[str]]:
    """A snapshot of the document's plan being read, and the progress messages so far."""
    snapshot = PlanSnapshot(document, CancelToken())
    slices: list[str] = []
    snapshot.progress.connect(lambda _f, message: slices.append(message))
    return snapshot, slices


def test_an_edited_plan_is_read_a_slice_per_turn_and_the_window_turns_between(
    qtbot: QtBot, edited: PlanDocument
) -> None:
    document = edited
    turns: list[int] = []
    ticker = QTimer()
    ticker.timeout.connect(lambda: turns.append(1))
    ticker.start(0)
    snapshot, slices = _reading(document)
    assert collections_running()
    with qtbot.waitSignal(snapshot.ready, timeout=30_000):
        qtbot.waitUntil(lambda: len(slices) > 2, timeout=30_000)
        assert not collections_running()  # no collection while the pickler holds its states
        turns.clear()
        seen = len(slices)
        qtbot.waitUntil(lambda: len(slices) > seen + 2, timeout=30_000)
        assert turns  # the event loop ran other work between two slices
    ticker.stop()
    assert collections_running()  # resumed once the pickler is dropped
    assert slices[0] == PREPARING and len(slices) > count_pieces(document.plan) / 2
    assert isinstance(snapshot.source, PlanPieces) and snapshot.source.plan() == document.plan


def test_an_edit_while_the_plan_is_read_reads_it_again_with_the_edit(
    qtbot: QtBot, edited: PlanDocument
) -> None:
    document = edited
    snapshot, slices = _reading(document)
    qtbot.waitUntil(lambda: len(slices) > 2, timeout=30_000)
    document.execute(SetAssumption("discount_rate", 0.321))  # while it is read
    with qtbot.waitSignal(snapshot.ready, timeout=30_000):
        pass
    assert snapshot.attempts == 2
    copy = snapshot.source.plan()  # type: ignore[union-attr]
    assert isinstance(copy, Plan) and copy.assumptions.discount_rate == 0.321
    assert copy == document.plan
    assert collections_running()


def _auto_plan(document: PlanDocument) -> tuple[JobHandle, list[object]]:
    """An auto-plan job on the document's plan, and its outcome once it ends."""
    handle = document.jobs.run_in_worker(
        "Auto-plan", AUTO_PLAN, {"options": AutoPlanOptions()}, document=document
    )
    outcome: list[object] = []
    handle.failed.connect(outcome.append)
    handle.finished.connect(outcome.append)
    return handle, outcome


def test_a_plan_that_keeps_changing_fails_the_job_and_cancel_stops_the_reading(
    qtbot: QtBot, edited: PlanDocument
) -> None:
    document = edited
    handle, outcome = _auto_plan(document)
    qtbot.waitUntil(lambda: handle.message == PREPARING, timeout=30_000)
    for rate in (0.11, 0.12, 0.13, 0.14, 0.15):
        document.execute(SetAssumption("discount_rate", rate))
    qtbot.waitUntil(lambda: bool(outcome), timeout=30_000)
    assert isinstance(outcome[0], WorkbenchError) and "kept changing" in str(outcome[0])

    second, cancelled = _auto_plan(document)
    qtbot.waitUntil(lambda: second.message == PREPARING, timeout=30_000)
    second.cancel()
    qtbot.waitUntil(lambda: bool(cancelled), timeout=30_000)
    assert isinstance(cancelled[0], JobCancelled)
    qtbot.waitUntil(lambda: not document.jobs.running(), timeout=30_000)
    assert collections_running()


def previewing(qtbot: QtBot) -> tuple[PlanDocument, AutoPlanDialog]:
    """An auto-plan dialog on an 80-workload plan, its preview started."""
    doc, view = open_gantt(qtbot, build_plan(80))
    dialog = AutoPlanDialog(doc, view.live.runner, view)
    qtbot.addWidget(dialog)
    dialog.max_workloads.setValue(15)
    dialog.preview()
    return doc, dialog


def test_auto_plan_preview_in_a_worker_equals_the_in_process_proposal(qtbot: QtBot) -> None:
    doc, dialog = previewing(qtbot)
    assert dialog._job is not None
    progress: list[str] = []
    dialog._job.progress.connect(lambda _f, m: progress.append(m))
    qtbot.waitUntil(lambda: dialog.proposal is not None, timeout=60_000)
    assert dialog.proposal == propose_plan(doc.plan, dialog.options())
    assert dialog.proposal is not None and dialog.proposal.waves
    assert progress  # streamed from the worker


def test_a_newer_monte_carlo_run_stops_the_stale_one(qtbot: QtBot, sample_plan_path: Path) -> None:
    document = document_for(load_plan(sample_plan_path))
    with dashboard_for(qtbot, document, with_monte_carlo=True) as dashboard:
        recompute = dashboard.recompute
        qtbot.waitUntil(lambda: recompute.monte_carlo is not None, timeout=60_000)
        results: list[MonteCarloResult] = []
        recompute.monte_carlo_ready.connect(results.append)
        first_outcomes: list[object] = []
        document.execute(SetAssumption("discount_rate", 0.2))
        recompute.refresh_now()
        first = recompute._pending
        assert isinstance(first, JobHandle)
        first.failed.connect(first_outcomes.append)
        first.finished.connect(first_outcomes.append)
        document.execute(SetAssumption("discount_rate", 0.05))  # overtakes the run above
        recompute.refresh_now()
        qtbot.waitUntil(lambda: bool(first_outcomes) and bool(results), timeout=60_000)
        qtbot.wait(300)
        assert isinstance(first_outcomes[0], JobCancelled)  # its worker was stopped
        assert len(results) == 1  # only the run of the current plan is shown
        report = recompute.report
        assert report is not None and report.assumptions.discount_rate == 0.05
        expected = monte_carlo(report.evaluation.inputs, report.assumptions)
        assert np.array_equal(results[0].npv_draws, expected.npv_draws)
        assert results[0].npv_p50 == expected.npv_p50


def test_cancelling_an_export_stops_its_worker_and_writes_nothing(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    window.document.replace(generate_plan(2500, 3, 7), None, modified=True)
    dialog = window.export()
    assert isinstance(dialog, ExportDialog) and dialog.set_kind("excel")
    out = tmp_path / "out"
    out.mkdir()
    target = out / "estate.xlsx"
    dialog.path_edit.setText(str(target))
    assert dialog.start()
    assert dialog.job is not None
    qtbot.waitUntil(lambda: dialog.progress_bar.value() > 150, timeout=120_000)
    dialog.cancel()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=30_000)
    assert dialog.error == "Export cancelled." and dialog.stage_label.text() == dialog.error
    assert list(out.iterdir()) == []  # neither the workbook nor its temporary file
    assert dialog.export_button.isEnabled()
    dialog.reject()


def test_an_edit_during_an_auto_plan_preview_previews_the_edited_plan(qtbot: QtBot) -> None:
    doc, dialog = previewing(qtbot)
    first = dialog._job
    assert first is not None
    stale: list[object] = []
    first.failed.connect(stale.append)
    first.finished.connect(stale.append)
    doc.execute(SetAssumption("discount_rate", 0.2))  # while the preview runs
    assert dialog._job is not first and dialog._job is not None
    qtbot.waitUntil(lambda: dialog.proposal is not None, timeout=60_000)
    qtbot.waitUntil(lambda: bool(stale), timeout=30_000)
    assert isinstance(stale[0], JobCancelled)
    assert dialog.proposal == propose_plan(doc.plan, dialog.options())
    # the job's ``done`` follows its result: the buttons settle a turn of the loop later
    qtbot.waitUntil(
        lambda: dialog.preview_button.isEnabled() and not dialog.cancel_button.isEnabled(),
        timeout=10_000,
    )
