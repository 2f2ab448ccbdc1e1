"""Long jobs started from the desktop run in worker processes: the plan crosses as its
file or pickled off the UI thread, results equal the in-process ones, a newer Monte
Carlo run stops the stale one, and cancelling an export leaves no file behind."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
from pytestqt.qtbot import QtBot

from tests.ui.dashboard_support import dashboard_for, document_for
from tests.ui.gantt_helpers import _clear_histories, open_gantt
from tests.ui.plans import build_plan
from workbench.domain.commands import SetAssumption
from workbench.domain.economics.montecarlo import MonteCarloResult, monte_carlo
from workbench.domain.jobs import JobCancelled
from workbench.io.plan_file import load_plan
from workbench.ops.background.jobs import PlanBytes, PlanFile
from workbench.ops.generate import generate_plan
from workbench.ops.planning import propose_plan
from workbench.ui.document import PlanDocument
from workbench.ui.export_dialog import ExportDialog
from workbench.ui.gantt.autoplan_dialog import AutoPlanDialog
from workbench.ui.main_window import MainWindow
from workbench.ui.workers import JobHandle, PlanSnapshot

__all__ = ["_clear_histories"]


def test_a_saved_plan_crosses_as_its_file_an_edited_one_as_bytes(
    qtbot: QtBot, sample_plan_path: Path
) -> None:
    document = PlanDocument()
    document.open(sample_plan_path)
    snapshot = PlanSnapshot(document)
    assert snapshot.source() == PlanFile(str(sample_plan_path.resolve()))
    document.execute(SetAssumption("discount_rate", 0.123))
    edited = PlanSnapshot(document)
    source = edited.source()
    assert isinstance(source, PlanBytes)
    copy = pickle.loads(source.data)
    assert copy.assumptions.discount_rate == 0.123
    assert copy == document.plan and copy is not document.plan
    edited.release()


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
