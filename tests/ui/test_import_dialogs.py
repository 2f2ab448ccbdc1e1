"""Import dialogs against a loopback Kubernetes API server and files on disk:
progress, Cancel, errors, merging with undo, and new plans."""

from __future__ import annotations

import socket
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from pytestqt.qtbot import QtBot

from tests.io.k8s_api_server import (
    FakeApiServer,
    Faults,
    deployment,
    estate,
    namespace,
    service,
    write_kubeconfig,
)
from tests.ui.plans import FakeDialogs
from workbench.ui.import_dialogs import ClusterImportDialog, FilesImportDialog, ImportDialog
from workbench.ui.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("loopback_only")


def with_system(objs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        *objs,
        namespace("kube-system"),
        namespace("istio-system"),
        deployment("kube-system", "coredns"),
        deployment("istio-system", "istiod"),
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_done(qtbot: QtBot, dialog: ImportDialog, timeout: int = 20_000) -> None:
    qtbot.waitUntil(lambda: not dialog.running, timeout=timeout)


def cluster_dialog(window: MainWindow, kubeconfig: Path, new: bool) -> ClusterImportDialog:
    dialog = window.import_cluster(new=new)
    assert isinstance(dialog, ClusterImportDialog)
    dialog.kubeconfig_edit.setText(str(kubeconfig))
    assert dialog.load_contexts()
    return dialog


def test_cluster_import_new_plan_with_progress_and_no_system_namespaces(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    with (
        FakeApiServer(with_system(estate(2, 3))) as east,
        FakeApiServer(estate(1, 2), version="v1.29.6") as west,
    ):
        config = write_kubeconfig(tmp_path / "kubeconfig", {"east": east.url, "west": west.url})
        dialog = cluster_dialog(window, config, new=True)
        assert dialog.contexts_list.count() == 2
        assert dialog.chosen_contexts() == ["east"]  # the current context is ticked
        dialog.set_contexts_checked(["east", "west"])
        assert not dialog.system_check.isChecked()  # system namespaces off by default
        seen: list[tuple[float, str]] = []
        assert dialog.start()
        assert dialog.job is not None
        dialog.job.progress.connect(lambda f, m: seen.append((f, m)))
        assert not dialog.import_button.isEnabled() and dialog.cancel_button.isEnabled()
        wait_done(qtbot, dialog)
    assert dialog.error == ""
    assert seen and all(0.0 <= f <= 1.0 for f, _ in seen)
    assert dialog.progress_bar.value() == 1000
    plan = window.document.plan
    assert set(plan.inventory.clusters) == {"east", "west"}
    names = {ns.name for ns in plan.inventory.namespaces.values()}
    assert names == {"team-00", "team-01"}  # kube-system and istio-system left out
    assert len(plan.inventory.workloads) == 2 * 3 + 2
    assert window.isWindowModified() and window.document.path is None
    assert "Live import" in window.windowTitle()
    assert "east" in dialog.report.toPlainText()
    assert window.current_view_id() == "inventory"


def test_listed_namespaces_can_include_system_ones(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    with FakeApiServer(with_system(estate(2, 1))) as server:
        config = write_kubeconfig(tmp_path / "kubeconfig", {"only": server.url})
        dialog = cluster_dialog(window, config, new=True)
        assert dialog.load_namespaces()
        qtbot.waitUntil(lambda: dialog.namespaces_list.count() == 4, timeout=10_000)
        ticked = dialog.chosen_namespaces()
        assert ticked == ["team-00", "team-01"]
        dialog.system_check.setChecked(True)
        assert dialog.chosen_namespaces() == ["istio-system", "kube-system", "team-00", "team-01"]
        dialog.system_check.setChecked(False)
        dialog.namespaces_list.item(2).setCheckState(dialog.namespaces_list.item(0).checkState())
        assert dialog.chosen_namespaces() == ["team-01"]
        assert dialog.start()
        wait_done(qtbot, dialog)
    assert {w.namespace for w in window.document.plan.inventory.workloads.values()} == {"team-01"}


def test_cancel_stops_a_slow_import_and_changes_nothing(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, plan_path: Path
) -> None:
    window.open_plan(plan_path)
    before = window.document.plan
    count = len(before.inventory.workloads)
    with FakeApiServer(estate(3, 5), faults=Faults(delay_s=0.25)) as server:
        config = write_kubeconfig(tmp_path / "kubeconfig", {"slow": server.url})
        dialog = cluster_dialog(window, config, new=False)
        dialog.system_check.setChecked(True)  # no namespace listing first
        assert dialog.merge_radio.isChecked()
        assert dialog.start()
        assert dialog.job is not None
        with qtbot.waitSignal(dialog.job.progress, timeout=10_000):
            pass
        started = time.monotonic()
        dialog.cancel_button.click()
        wait_done(qtbot, dialog, timeout=10_000)
        elapsed = time.monotonic() - started
    assert elapsed < 3.0
    assert dialog.error.startswith("Cancelled")
    assert "Cancelled" in dialog.stage_label.text()
    assert window.document.plan is before and len(before.inventory.workloads) == count
    assert not window.isWindowModified() and window.document.undo_stack.count() == 0
    assert dialog.import_button.isEnabled()


def test_an_unreachable_cluster_is_reported_and_the_plan_kept(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, plan_path: Path
) -> None:
    window.open_plan(plan_path)
    before = window.document.plan
    config = write_kubeconfig(tmp_path / "kubeconfig", {"gone": f"http://127.0.0.1:{free_port()}"})
    dialog = cluster_dialog(window, config, new=False)
    dialog.system_check.setChecked(True)
    assert dialog.start()
    wait_done(qtbot, dialog)
    assert dialog.error.startswith("Import failed:")
    assert "gone" in dialog.error and "127.0.0.1" in dialog.error
    assert dialog.report.toPlainText() == dialog.error
    assert window.document.plan is before and window.document.undo_stack.count() == 0


def test_a_failing_context_is_listed_and_the_others_are_merged_with_undo(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, plan_path: Path
) -> None:
    window.open_plan(plan_path)
    plan = window.document.plan
    assigned = dict(plan.schedule.assigned())
    before = set(plan.inventory.workloads)
    with FakeApiServer(estate(1, 3)) as good:
        config = write_kubeconfig(
            tmp_path / "kubeconfig",
            {"good": good.url, "down": f"http://127.0.0.1:{free_port()}"},
        )
        dialog = cluster_dialog(window, config, new=False)
        dialog.set_contexts_checked(["good", "down"])
        dialog.system_check.setChecked(True)
        assert dialog.start()
        wait_done(qtbot, dialog)
    assert dialog.error == ""
    report = dialog.report.toPlainText()
    assert "down: not imported" in report and "Not imported or worth a look" in report
    added = set(plan.inventory.workloads) - before
    assert len(added) == 3 and all(k.startswith("good/") for k in added)
    assert plan.schedule.assigned() == assigned  # assignments survive the merge
    assert window.document.plan is plan
    assert window.undo_action.text().endswith("Import into the plan")
    window.undo_action.trigger()
    assert set(plan.inventory.workloads) == before
    window.redo_action.trigger()
    assert len(set(plan.inventory.workloads) - before) == 3


def write_manifests(folder: Path) -> Path:
    folder.mkdir()
    objs = [namespace("shop"), deployment("shop", "web", env={"API": "http://api:80"})]
    objs += [deployment("shop", "api"), service("shop", "api"), service("shop", "web")]
    (folder / "shop.yaml").write_text(yaml.safe_dump_all(objs), encoding="utf-8")
    return folder


def test_files_import_from_a_folder_into_a_new_plan(
    window: MainWindow, qtbot: QtBot, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    folder = write_manifests(tmp_path / "manifests")
    dialog = window.import_files(new=True)
    assert isinstance(dialog, FilesImportDialog)
    assert dialog.start() is False and "Add at least one" in dialog.stage_label.text()
    dialogs.folders.append(str(folder))
    dialog._add_folder()
    assert dialog.paths() == [str(folder)]
    dialog.cluster_edit.setText("lab")
    assert dialog.start()
    wait_done(qtbot, dialog)
    plan = window.document.plan
    assert sorted(plan.inventory.workloads) == [
        "lab/shop/Deployment/api",
        "lab/shop/Deployment/web",
    ]
    assert ("lab/shop/Deployment/web", "lab/shop/Deployment/api") in plan.dependencies.edges
    assert "2 workload(s)" in dialog.report.toPlainText()
    assert window.isWindowModified()


def test_files_import_error_names_the_file(
    window: MainWindow, qtbot: QtBot, dialogs: FakeDialogs, tmp_path: Path
) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text("kind: Deployment\nmetadata: [unclosed\n", encoding="utf-8")
    dialog = window.import_files(new=True)
    assert isinstance(dialog, FilesImportDialog)
    dialogs.files.append([str(bad)])
    dialog._add_files()
    assert dialog.start()
    wait_done(qtbot, dialog)
    text = dialog.report.toPlainText()
    assert "broken.yaml" in text
    assert window.document.plan.inventory.workloads == {}
