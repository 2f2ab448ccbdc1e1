"""The Rollout check view and the Gantt's break markers, on the sample plan (nothing
breaks) and on an export an operator edited so that a lockdown breaks calls."""

from __future__ import annotations

from pathlib import Path

import yaml
from pytestqt.qtbot import QtBot

from tests.ui.plans import FakeDialogs
from workbench.io.plan_file import load_plan
from workbench.ops.export_manifests import export_manifests
from workbench.ops.simulate import check_rollout
from workbench.ui.gantt.rollout_markers import BreakMarker
from workbench.ui.gantt.view import GanttView
from workbench.ui.main_window import MainWindow
from workbench.ui.rollout_check import rollout_checker
from workbench.ui.rollout_view import RolloutView

SIZE = (1600, 1000)


def _window(qtbot: QtBot, dialogs: FakeDialogs, path: Path) -> MainWindow:
    window = MainWindow(dialogs=dialogs)
    qtbot.addWidget(window)
    window.resize(*SIZE)
    window.show()
    qtbot.waitExposed(window)
    assert window.open_plan(path)
    return window


def _save(widget: MainWindow, repo_root: Path, name: str, docs: bool) -> None:
    image = widget.grab().toImage()
    folders = [repo_root / "test-artifacts"] + (
        [repo_root / "docs" / "screenshots"] if docs else []
    )
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
        assert image.save(str(folder / f"{name}.png"))


def test_the_view_checks_the_sample_plan_in_the_background(
    qtbot: QtBot, dialogs: FakeDialogs, sample_plan_path: Path, repo_root: Path
) -> None:
    window = _window(qtbot, dialogs, sample_plan_path)
    view = window.show_view("rollout")
    assert isinstance(view, RolloutView)
    checker = rollout_checker(window.document)
    qtbot.waitUntil(lambda: checker.current is not None, timeout=60_000)
    assert "no known call breaks" in view.summary_label.text()
    assert view.tree.topLevelItemCount() == checker.current.steps  # type: ignore[union-attr]
    # an edit makes the result stale and a fresh run follows by itself
    wave = window.document.plan.schedule.waves[0]
    from workbench.domain.commands import RenameWave

    window.document.execute(RenameWave(wave.id, wave.name + " (renamed)"))
    qtbot.waitUntil(lambda: checker.current is not None, timeout=60_000)
    assert checker.current is not None and checker.current.steps >= 4
    _save(window, repo_root, "rollout-safe", docs=False)
    window.document.undo_stack.setClean()


def test_breaks_show_in_the_view_and_as_markers_on_the_gantt(
    qtbot: QtBot, dialogs: FakeDialogs, sample_plan_path: Path, repo_root: Path, tmp_path: Path
) -> None:
    plan = load_plan(sample_plan_path)
    out = tmp_path / "m"
    export_manifests(plan, out)
    # an operator's edit: a namespace of the second wave goes STRICT at its mesh step
    folder = sorted(p for p in out.iterdir() if p.name.startswith("02-"))[0]
    cluster = next(p for p in folder.iterdir() if (p / "kustomization.yaml").is_file())
    pa = cluster / "peer-authentications.yaml"
    docs = list(yaml.safe_load_all(pa.read_text()))
    namespace = docs[0]["metadata"]["namespace"]
    docs[0]["spec"]["mtls"]["mode"] = "STRICT"
    pa.write_text(yaml.safe_dump_all(docs))
    check = check_rollout(plan, out)
    assert check.report.broken_edges > 0
    check.waves = {folder.name: plan.schedule.waves[1].id}  # as the in-memory check maps them
    window = _window(qtbot, dialogs, sample_plan_path)
    checker = rollout_checker(window.document)
    checker.current = check
    checker.updated.emit()
    view = window.show_view("rollout")
    assert isinstance(view, RolloutView)
    checker._timer.stop()  # keep the edited result on screen
    view.refresh()
    assert "call(s) break" in view.summary_label.text()
    current = view.tree.currentItem()
    assert current is not None and current.isExpanded() and "broken" in current.text(1)
    child = current.child(0)
    view.tree.setCurrentItem(child)
    assert "STRICT" in view.details.toPlainText()
    _save(window, repo_root, "rollout-breaks", docs=True)
    with qtbot.waitSignal(view.open_requested) as opened:
        view.tree.itemDoubleClicked.emit(child, 0)
    assert opened.args[0].count("/") == 3
    gantt = window.show_view("gantt")
    assert isinstance(gantt, GanttView)
    markers = [i for i in gantt.scene.items() if isinstance(i, BreakMarker)]
    assert [m.wave_id for m in markers] == [plan.schedule.waves[1].id]
    assert f"{namespace}/default is STRICT" in markers[0].toolTip()
    bar = gantt.scene.bars[plan.schedule.waves[1].id].rect()
    assert markers[0].rect().right() <= bar.left()  # at the wave's mesh step
    gantt.canvas.centerOn(markers[0])
    _save(window, repo_root, "gantt-rollout-markers", docs=True)
    checker.current = None
    checker.updated.emit()
    assert not [i for i in gantt.scene.items() if isinstance(i, BreakMarker)]
    assert view.tree.topLevelItemCount() == 0
    window.document.undo_stack.setClean()
