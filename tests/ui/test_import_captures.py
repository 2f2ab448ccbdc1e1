"""Runtime captures through the desktop import dialog: merged as one undoable edit."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.io.runtime.conftest import DEATHSTAR, TIEFIGHTER, sample, star_wars_inventory
from tests.ui.plans import FakeDialogs
from workbench.domain.plan import Plan
from workbench.ui.import_dialogs import FilesImportDialog
from workbench.ui.main_window import MainWindow


def test_a_hubble_capture_merges_into_the_open_plan(
    window: MainWindow, qtbot: QtBot, dialogs: FakeDialogs, repo_root: Path
) -> None:
    window.document.replace(Plan(inventory=star_wars_inventory()), None)
    dialog = window.import_files()
    assert isinstance(dialog, FilesImportDialog) and dialog.merge_radio.isChecked()
    dialogs.files.append([sample("hubble-jsonpb.jsonl"), sample("otlp-traces.jsonl")])
    dialog._add_files()
    assert dialog.start()
    qtbot.waitUntil(lambda: not dialog.running, timeout=20_000)
    report = dialog.report.toPlainText()
    assert "hubble, 13 record(s) read" in report and "unmatched names: payments-legacy" in report
    deps = window.document.plan.dependencies
    assert deps.edges[(TIEFIGHTER, DEATHSTAR)].evidence[0].count == 2
    assert {o.source for o in deps.observations} == {"hubble", "otlp"}
    folder = repo_root / "test-artifacts"
    folder.mkdir(exist_ok=True)
    assert dialog.grab().save(str(folder / "import-captures.png"))
    window.document.undo_stack.undo()  # one step takes the whole import back
    assert not window.document.plan.dependencies.edges


def test_captures_alone_cannot_start_a_new_plan(
    window: MainWindow, qtbot: QtBot, dialogs: FakeDialogs
) -> None:
    dialog = window.import_files(new=True)
    assert isinstance(dialog, FilesImportDialog)
    dialogs.files.append([sample("hubble-jsonpb.jsonl")])
    dialog._add_files()
    assert dialog.start()
    qtbot.waitUntil(lambda: not dialog.running, timeout=20_000)
    assert "runtime captures are matched to an estate's workloads" in dialog.error
    assert window.document.plan.inventory.workloads == {}
