"""The export dialog: kinds offered, target settings, progress, errors and Open folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.conftest import require
from tests.ui.plans import FakeDialogs
from workbench.ui.export_dialog import (
    KINDS,
    ExportDialog,
    available_kinds,
    exporter,
    plan_for_export,
)
from workbench.ui.main_window import MainWindow


def export_dialog(window: MainWindow) -> ExportDialog:
    dialog = window.export()
    assert isinstance(dialog, ExportDialog)
    return dialog


def test_target_version_and_injection_apply_to_the_export_only(
    window: MainWindow, sample_plan_path: Path
) -> None:
    window.open_plan(sample_plan_path)
    plan = window.document.plan
    copy = plan_for_export(plan, "1.28", "revision-label")
    assert (copy.mesh.istio_version, copy.mesh.injection) == ("1.28", "revision-label")
    assert plan.mesh.istio_version != "1.28" or plan.mesh.injection != "revision-label"
    assert copy.inventory is plan.inventory  # no deep copy of a large estate
    dialog = export_dialog(window)
    assert dialog.version_combo.currentText() == plan.mesh.istio_version
    assert dialog.injection_combo.currentText() == plan.mesh.injection
    offered = [dialog.kind_combo.itemData(i) for i in range(dialog.kind_combo.count())]
    assert offered == [k.id for k in available_kinds()]
    assert all(exporter(k) is not None for k in available_kinds())
    assert {k.id for k in KINDS} >= set(offered)
    dialog.reject()


def test_excel_export_runs_with_progress_and_opens_its_folder(
    window: MainWindow, qtbot: QtBot, dialogs: FakeDialogs, sample_plan_path: Path, tmp_path: Path
) -> None:
    window.open_plan(sample_plan_path)
    dialog = export_dialog(window)
    require(dialog.set_kind("excel"), "the Excel exporter (workbench.ops.export_excel)")
    target = tmp_path / "plan.xlsx"
    dialog.path_edit.setText(str(target))
    assert not dialog.open_button.isEnabled()
    assert dialog.start()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=60_000)
    assert dialog.error == "", dialog.error
    assert target.is_file() and target.stat().st_size > 5000
    assert dialog.progress_bar.value() == 1000 and str(target) in dialog.stage_label.text()
    assert dialog.open_button.isEnabled()
    assert dialog.open_folder()
    assert dialogs.opened_folders == [tmp_path]
    dialog.reject()


@pytest.mark.parametrize("kind", ["pdf", "excel"])
def test_an_unwritable_target_is_reported(
    window: MainWindow, qtbot: QtBot, sample_plan_path: Path, tmp_path: Path, kind: str
) -> None:
    window.open_plan(sample_plan_path)
    dialog = export_dialog(window)
    require(dialog.set_kind(kind), f"the {kind} exporter")
    dialog.path_edit.setText(str(tmp_path / "no-such-folder" / "deeper" / f"plan.{kind}"))
    assert dialog.start()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=60_000)
    assert dialog.error.startswith("Export failed"), dialog.error
    assert not dialog.open_button.isEnabled()
    dialog.reject()


def test_several_formats_in_one_go(
    window: MainWindow, qtbot: QtBot, sample_plan_path: Path, tmp_path: Path
) -> None:
    window.open_plan(sample_plan_path)
    dialog = export_dialog(window)
    require(dialog.set_kind("excel"), "the Excel exporter (workbench.ops.export_excel)")
    require("pdf" in dialog.also_checks, "the PDF report exporter")
    assert not dialog.also_checks["excel"].isEnabled()  # the chosen one is written anyway
    dialog.path_edit.setText(str(tmp_path / "board.xlsx"))
    dialog.also_checks["pdf"].setChecked(True)
    dialog.also_checks["manifests"].setChecked(True)
    assert dialog.injection_combo.isEnabled()  # manifests are part of this run
    assert dialog.start()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=120_000)
    assert dialog.error == "", dialog.error
    assert (tmp_path / "board.xlsx").stat().st_size > 5000
    assert (tmp_path / "board.pdf").stat().st_size > 5000
    assert any((tmp_path / "board-manifests").iterdir())
    assert "and 2 more" in dialog.stage_label.text()
    dialog.reject()
