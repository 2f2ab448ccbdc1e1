"""Qt tests run offscreen, with settings in a temporary folder and scripted dialogs."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything imports Qt

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.plans import FakeDialogs, build_plan
from workbench.domain.plan import Plan
from workbench.ui.collection_timer import collect_on_ui_thread
from workbench.ui.document import PlanDocument
from workbench.ui.main_window import MainWindow
from workbench.ui.settings import app_settings


@pytest.fixture(autouse=True)
def collections_on_ui_thread(qapp: QApplication) -> None:
    """Cyclic garbage collections run as in the application: on the UI thread only."""
    collect_on_ui_thread(qapp)


@pytest.fixture(autouse=True)
def settings_dir(tmp_path: Path) -> Iterator[Path]:
    """Point every QSettings store at a fresh folder so no test touches the real home."""
    folder = tmp_path / "settings"
    folder.mkdir()
    for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(folder))
        QSettings.setPath(fmt, QSettings.Scope.SystemScope, str(folder / "system"))
    settings = app_settings()  # recovery copies go to the test's folder, not the user's
    settings.setValue("preferences/recoveryDir", str(tmp_path / "recovery"))
    settings.sync()
    yield folder


@pytest.fixture
def plan() -> Plan:
    return build_plan(50)


@pytest.fixture
def plan_path(tmp_path: Path, plan: Plan) -> Path:
    from workbench.io.plan_file import save_plan

    path = tmp_path / "estate.meshplan"
    save_plan(plan, path)
    return path


@pytest.fixture
def star_wars_document() -> Iterator[PlanDocument]:
    """The Star Wars estate with a week of Hubble flows imported, in a document."""
    from tests.io.runtime.conftest import sample, star_wars_inventory
    from workbench.ops.runtime_import import import_runtime

    plan = import_runtime(Plan(inventory=star_wars_inventory()), [sample("hubble-jsonpb.jsonl")])
    doc = PlanDocument()
    doc.replace(plan.plan, None)
    yield doc
    doc.jobs.shutdown()
    doc.undo_stack.clear()


@pytest.fixture
def dialogs() -> FakeDialogs:
    return FakeDialogs()


@pytest.fixture
def window(qtbot: QtBot, dialogs: FakeDialogs) -> Iterator[MainWindow]:
    win = MainWindow(dialogs=dialogs)
    yield win
    win.document.undo_stack.setClean()  # close without asking about unsaved changes
    win.close()
    win.deleteLater()
