"""Grouping the findings a slice at a time: the tree ends as the one built at once, the
view answers while it groups, and a newer result or filter drops a grouping under way."""

from __future__ import annotations

import random
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.test_workbench_views import open_checked
from workbench.ops.check import CheckResult, check_plan
from workbench.ui.analysis_index import Analysis
from workbench.ui.findings_model import Node, build_tree, tree_steps
from workbench.ui.findings_view import FindingsView
from workbench.ui.main_window import MainWindow
from workbench.ui.sliced_job import SlicedJob, Work


def shape(nodes: list[Node]) -> list[tuple[object, ...]]:
    """What a tree shows, row by row, and which finding each leaf holds."""
    return [
        (n.kind, n.label, n.row, n.count, n.severity, n.rule, n.finding, shape(n.children))
        for n in nodes
    ]


def parents_agree(nodes: list[Node], parent: Node | None = None) -> bool:
    return all(
        n.parent is parent and nodes[n.row] is n and parents_agree(n.children, n) for n in nodes
    )


def turns_of_grouping(view: FindingsView, slices: int) -> None:
    """Let the event loop turn until the grouping has run ``slices`` slices."""
    while view.grouping.running and view.grouping.slices < slices:
        QApplication.processEvents()


def findings_view(window: MainWindow, qtbot: QtBot, path: Path) -> FindingsView:
    open_checked(window, qtbot, path)
    view = window.views["findings"]
    assert isinstance(view, FindingsView)
    view.sync_findings = 0  # group even the sample plan a slice at a time
    view.grouping.budget_s = 0.0  # one step per turn of the event loop
    return view


def test_the_steps_build_the_same_tree_from_findings_in_any_order(
    sample_plan_path: Path,
) -> None:
    from workbench.io.plan_file import load_plan

    findings = check_plan(load_plan(sample_plan_path)).findings
    assert len({f.rule for f in findings}) > 3
    whole = build_tree(findings)
    shuffled = list(findings)
    random.Random(3).shuffle(shuffled)
    steps = tree_steps(shuffled)
    turns = 0
    while True:
        try:
            next(steps)
            turns += 1
        except StopIteration as end:
            sliced: list[Node] = end.value
            break
    assert turns > len({f.rule for f in findings})  # at least a step per rule group
    assert shape(sliced) == shape(whole)
    assert parents_agree(sliced)
    rule = whole[0].children[0].rule
    narrowed = build_tree(shuffled, [rule.upper()])
    assert {n.rule for r in narrowed for n in r.children} >= {rule}
    assert sum(r.count for r in narrowed) < len(findings)


def test_a_sliced_job_spreads_its_work_and_drops_work_a_newer_one_overtook(
    qtbot: QtBot,
) -> None:
    results: list[str] = []
    job: SlicedJob[str] = SlicedJob(results.append)
    job.budget_s = 0.0

    def work(name: str, steps: int) -> Work[str]:
        for _ in range(steps):
            yield
        return name

    job.start(work("stale", 10**9))
    qtbot.waitUntil(lambda: job.slices >= 3, timeout=5_000)
    assert job.running and results == []
    job.start(work("newer", 5))
    qtbot.waitUntil(lambda: not job.running, timeout=5_000)
    assert results == ["newer"]
    assert job.slices == 6  # five steps, then the end of the work
    job.start(work("at once", 1_000))
    job.finish()
    assert results == ["newer", "at once"] and not job.running


def test_the_view_groups_a_slice_at_a_time_and_ends_with_the_whole_tree(
    window: MainWindow, qtbot: QtBot, sample_plan_path: Path
) -> None:
    view = findings_view(window, qtbot, sample_plan_path)
    window.show()
    window.show_view("findings")  # shown: the view regroups the new findings
    assert view.grouping.running
    assert view.model.roots == []  # nothing grouped yet in this turn of the event loop
    assert view.loading_label.isVisibleTo(view)
    assert "Grouping" in view.summary_label.text()
    qtbot.waitUntil(lambda: not view.grouping.running, timeout=10_000)
    assert view.grouping.slices > 10
    findings = window.document.analysis.current.result.findings
    assert shape(view.model.roots) == shape(build_tree(findings))
    assert not view.loading_label.isVisibleTo(view)
    assert "Grouping" not in view.summary_label.text()
    severity = view.model.index(0, 0)
    assert view.tree.isExpanded(severity)
    assert view.select_rule(view.model.roots[0].children[0].rule)


def test_the_view_answers_keys_while_grouping_then_applies_the_filter_typed(
    window: MainWindow, qtbot: QtBot, sample_plan_path: Path
) -> None:
    view = findings_view(window, qtbot, sample_plan_path)
    window.show()
    view.refresh()
    qtbot.waitUntil(lambda: not view.grouping.running, timeout=10_000)
    whole = shape(view.model.roots)

    view.refresh()  # regroup: the old tree stays meanwhile
    turns_of_grouping(view, 3)
    assert view.grouping.running and shape(view.model.roots) == whole
    assert not view.loading_label.isVisibleTo(view)  # the old tree shows, not the note
    view.tree.setFocus()
    view.tree.setCurrentIndex(view.model.index(0, 0))
    QTest.keyClick(view.tree, Qt.Key.Key_Down)  # the tree moves while the grouping runs
    assert view.tree.currentIndex().row() == 0 and view.tree.currentIndex().parent().isValid()
    rule = view.model.roots[0].children[0].rule
    QTest.keyClicks(view.filter_edit, rule)
    assert view.filter_edit.text() == rule
    findings = window.document.analysis.current.result.findings
    narrowed = shape(build_tree(findings, [rule]))
    assert narrowed != whole
    qtbot.waitUntil(lambda: shape(view.model.roots) == narrowed, timeout=10_000)
    assert "shown" in view.summary_label.text()


def test_a_newer_findings_result_drops_the_grouping_of_the_older_one(
    window: MainWindow, qtbot: QtBot, sample_plan_path: Path
) -> None:
    view = findings_view(window, qtbot, sample_plan_path)
    window.show()
    window.show_view("findings")
    turns_of_grouping(view, 3)
    assert view.grouping.running
    analysis = window.document.analysis
    older = analysis.current.result
    newer = [f for f in older.findings if f.rule != older.findings[0].rule]
    shown: list[int] = []
    view.model.modelReset.connect(lambda: shown.append(view.model.finding_count()))
    analysis.current = Analysis.of(CheckResult(newer, list(older.muted), dict(older.risk)))
    analysis.updated.emit()  # what a finished check does
    qtbot.waitUntil(lambda: not view.grouping.running, timeout=10_000)
    assert shown == [len(newer)]  # the older grouping never showed
    assert shape(view.model.roots) == shape(build_tree(newer))
    assert "Grouping" not in view.summary_label.text()
