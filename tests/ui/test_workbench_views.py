"""The registered views over the sample plan: waves, findings, dependencies, economics,
the details dock, the status bar, navigation, drag and drop."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.plans import FakeDialogs
from workbench.ops.check import check_plan
from workbench.ui.dashboard.dashboard import EconomicsDashboard
from workbench.ui.findings_view import FindingsView
from workbench.ui.gantt.view import GanttView
from workbench.ui.graph.view import DependencyView
from workbench.ui.inventory_columns import HEADERS
from workbench.ui.inventory_view import InventoryView
from workbench.ui.main_window import MainWindow
from workbench.ui.mime import WORKLOADS_MIME, workload_keys, workloads_mime
from workbench.ui.views import VIEWS
from workbench.ui.waves_view import WavesView


def open_checked(window: MainWindow, qtbot: QtBot, path: Path) -> None:
    assert window.open_plan(path)
    window.document.analysis.refresh_now()
    qtbot.waitUntil(lambda: window.document.analysis.current.ready, timeout=10_000)


def inventory(window: MainWindow) -> InventoryView:
    view = window.views["inventory"]
    assert isinstance(view, InventoryView)
    return view


def waves(window: MainWindow) -> WavesView:
    view = window.views["waves"]
    assert isinstance(view, WavesView)
    return view


def drop_on(widget: QWidget, pos: QPoint, data: QMimeData) -> bool:
    """Deliver a drag enter, move and drop at ``pos`` the way a drag would."""
    action = Qt.DropAction.MoveAction
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(pos, action, data, buttons, mods)
    QApplication.sendEvent(widget, enter)
    move = QDragMoveEvent(pos, action, data, buttons, mods)
    QApplication.sendEvent(widget, move)
    if not move.isAccepted():
        return False
    drop = QDropEvent(QPointF(pos), action, data, buttons, mods)
    QApplication.sendEvent(widget, drop)
    return drop.isAccepted()


def test_every_view_is_registered_once_with_a_factory(window: MainWindow) -> None:
    assert [v.id for v in VIEWS] == [
        "inventory",
        "dependencies",
        "gantt",
        "waves",
        "economics",
        "findings",
        "gaps",
        "rollout",
        "comments",
    ]
    assert list(window.views) == [v.id for v in VIEWS]
    assert window.nav.count() == len(VIEWS)
    for i, spec in enumerate(VIEWS):
        assert window.show_view(spec.id) is window.view_stack.currentWidget()
        assert window.nav.item(i).text() == spec.title
        assert window.findChild(QWidget, "viewList") is window.nav


def test_workload_mime_round_trip(qapp: QApplication) -> None:
    keys = ["c/ns/Deployment/a", "c/ns/Deployment/b", "c/ns/Deployment/a"]
    data = workloads_mime(keys)
    assert (
        data.hasFormat(WORKLOADS_MIME) and WORKLOADS_MIME == "application/x-meshworkbench-workloads"
    )
    assert workload_keys(data) == keys[:2]
    assert workload_keys(QMimeData()) == []


def test_drag_rows_from_inventory_onto_a_wave_then_undo(
    window: MainWindow, qtbot: QtBot, sample_plan_path: Path
) -> None:
    open_checked(window, qtbot, sample_plan_path)
    inv, view = inventory(window), waves(window)
    inv.filter_edit.setText("unassigned")
    table = inv.table
    for row in (0, 1, 2, 3):
        table.selectionModel().select(
            inv.proxy.index(row, 0),
            table.selectionModel().SelectionFlag.Select | table.selectionModel().SelectionFlag.Rows,
        )
    keys = inv.selected_keys()
    assert len(keys) == 4
    data = inv.proxy.mimeData(table.selectionModel().selectedIndexes())
    assert sorted(workload_keys(data)) == sorted(keys)  # one key per row, not per cell

    window.resize(1400, 900)
    window.show_view("waves")
    window.show()
    qtbot.waitExposed(window)
    plan = window.document.plan
    target = plan.schedule.waves[1]
    rect = view.table.visualRect(view.model.index(1, 0))
    assert drop_on(view.table.viewport(), rect.center(), data)
    assert [plan.schedule.wave_of(k) for k in keys] == [target.id] * 4
    assert view.model.data(view.model.index(1, 7)) == str(len(target.members))
    assert window.isWindowModified()
    window.undo_action.trigger()
    assert [plan.schedule.wave_of(k) for k in keys] == [None] * 4
    window.redo_action.trigger()
    # dropping on "Unassigned" takes them out again
    last = view.model.rowCount() - 1
    rect = view.table.visualRect(view.model.index(last, 0))
    assert drop_on(view.table.viewport(), rect.center(), data)
    assert [plan.schedule.wave_of(k) for k in keys] == [None] * 4
    assert window.document.undo_stack.count() == 2


def test_the_hidden_waves_view_catches_up_when_shown_not_on_every_edit(
    window: MainWindow, qtbot: QtBot, sample_plan_path: Path
) -> None:
    open_checked(window, qtbot, sample_plan_path)
    window.show()
    qtbot.waitExposed(window)
    view = waves(window)
    window.show_view("waves")
    window.show_view("inventory")  # the Waves view hidden from here on
    resets: list[int] = []
    view.model.modelReset.connect(lambda: resets.append(1))
    plan = window.document.plan
    wave = plan.schedule.waves[0]
    keys = plan.unassigned()[:3]
    assert window.assign_to_wave(keys, wave.id)
    window.document.analysis.refresh_now()
    qtbot.waitUntil(lambda: not window.document.analysis.busy, timeout=10_000)
    assert resets == []  # an edit and a new check, and the table is not rebuilt
    window.show_view("waves")
    assert len(resets) == 1
    assert view.model.data(view.model.index(0, 7)) == str(len(wave.members))
    window.show_view("inventory")
    window.undo_action.trigger()
    assert view.row_of(wave.id) == 0 and len(resets) == 2  # asked about, it catches up
    assert view.model.data(view.model.index(0, 7)) == str(len(wave.members))


def test_text_drops_are_refused_by_the_waves_view(
    window: MainWindow, qtbot: QtBot, sample_plan_path: Path
) -> None:
    open_checked(window, qtbot, sample_plan_path)
    window.show_view("waves")
    window.show()
    qtbot.waitExposed(window)
    view = waves(window)
    plain = QMimeData()
    plain.setText("prod-east/catalog/Deployment/catalog-service")
    rect = view.table.visualRect(view.model.index(0, 0))
    assert not drop_on(view.table.viewport(), rect.center(), plain)
    assert window.document.undo_stack.count() == 0


def test_findings_are_grouped_by_severity_and_rule_with_counts(
    window: MainWindow, qtbot: QtBot, sample_plan_path: Path
) -> None:
    open_checked(window, qtbot, sample_plan_path)
    view = window.views["findings"]
    assert isinstance(view, FindingsView)
    view.refresh()  # off screen, the view regroups when it is shown
    expected = check_plan(window.document.plan)
    roots = view.model.roots
    assert [r.severity for r in roots] == [s for s, n in expected.counts().items() if n]
    assert sum(r.count for r in roots) == len(expected.findings)
    for root in roots:
        assert root.count == expected.counts()[root.severity]
        counts = [node.count for node in root.children]
        assert counts == sorted(counts, reverse=True)  # the noisiest rule first
        for node in root.children:
            assert node.count == sum(
                1 for f in expected.findings if f.rule == node.rule and f.severity == root.severity
            )
    rule = roots[0].children[0].rule
    assert view.select_rule(rule)
    text = view.details.toPlainText()
    assert "Why it matters" in text and "How to fix" in text
    # the filter narrows to one rule
    view.filter_edit.setText(rule)
    view.refresh()
    assert {n.rule for r in view.model.roots for n in r.children} >= {rule}
    assert "shown" in view.summary_label.text()


def test_mute_a_rule_for_a_namespace_then_undo_and_unmute(
    window: MainWindow, qtbot: QtBot, dialogs: FakeDialogs, sample_plan_path: Path
) -> None:
    open_checked(window, qtbot, sample_plan_path)
    view = window.views["findings"]
    assert isinstance(view, FindingsView)
    view.refresh()  # off screen, the view regroups when it is shown
    top = view.model.roots[0]
    rule_node = top.children[0]
    leaf = rule_node.children[0]
    assert leaf.finding is not None
    parent = view.model.index(top.row, 0)
    view.tree.setCurrentIndex(
        view.model.index(leaf.row, 0, view.model.index(rule_node.row, 0, parent))
    )
    assert view.mute_namespace_button.isEnabled()
    namespace = "/".join(leaf.finding.subject.split("/")[:2])
    before = sum(1 for f in check_plan(window.document.plan).findings if f.rule == rule_node.rule)
    dialogs.texts.append("")  # an empty reason mutes nothing
    assert not view.mute_selected("namespace")
    dialogs.texts.append("accepted: moved with the payments team")
    assert view.mute_selected("namespace")
    mute = window.document.plan.mutes[-1]
    assert (mute.rule, mute.scope) == (rule_node.rule, namespace)
    assert view.mutes_table.rowCount() == len(window.document.plan.mutes)
    qtbot.waitUntil(
        lambda: (
            sum(
                1
                for f in window.document.analysis.current.result.findings
                if f.rule == rule_node.rule
            )
            < before
        ),
        timeout=10_000,
    )
    window.undo_action.trigger()
    assert window.document.plan.mutes == []
    window.redo_action.trigger()
    view.mutes_table.selectRow(0)
    assert view.unmute_selected()
    assert window.document.plan.mutes == []


def test_double_click_on_a_finding_goes_to_the_workload(
    window: MainWindow, qtbot: QtBot, sample_plan_path: Path
) -> None:
    open_checked(window, qtbot, sample_plan_path)
    view = window.views["findings"]
    assert isinstance(view, FindingsView)
    view.refresh()  # off screen, the view regroups when it is shown
    leaf = next(
        n
        for r in view.model.roots
        for rule in r.children
        for n in rule.children
        if n.finding is not None and n.finding.subject in window.document.plan.inventory.workloads
    )
    assert leaf.finding is not None and leaf.parent is not None and leaf.parent.parent is not None
    index = view.model.index(
        leaf.row,
        0,
        view.model.index(leaf.parent.row, 0, view.model.index(leaf.parent.parent.row, 0)),
    )
    view.open_requested.emit(view.model.node(index).finding.subject)  # what a double-click sends
    assert window.current_view_id() == "inventory"
    assert inventory(window).selected_keys() == [leaf.finding.subject]
    assert leaf.finding.subject.split("/")[-1] in window.details.text()


def test_inventory_shows_risk_worst_finding_callers_and_callees(
    window: MainWindow, qtbot: QtBot, sample_plan_path: Path
) -> None:
    open_checked(window, qtbot, sample_plan_path)
    inv = inventory(window)
    plan = window.document.plan
    result = check_plan(plan)
    col = {h: i for i, h in enumerate(HEADERS)}
    for row in range(0, inv.proxy.rowCount(), 17):
        key = inv.visible_keys()[row]

        def cell(c: str, row: int = row) -> str:
            return str(inv.proxy.data(inv.proxy.index(row, col[c])))

        assert cell("Callers") == str(sum(1 for _a, b in plan.dependencies.edges if b == key))
        assert cell("Callees") == str(sum(1 for a, _b in plan.dependencies.edges if a == key))
        assert cell("Risk") == f"{result.risk.get(key, 0.0):.0f}"
        worst = next((f for f in result.findings if f.subject == key), None)
        assert cell("Worst finding") == ("" if worst is None else f"{worst.severity}: {worst.rule}")
    inv.table.sortByColumn(col["Risk"], Qt.SortOrder.DescendingOrder)
    risks = [
        float(inv.proxy.data(inv.proxy.index(r, col["Risk"]))) for r in range(inv.proxy.rowCount())
    ]
    assert risks == sorted(risks, reverse=True)
    inv.filter_edit.setText("blocker")
    assert inv.visible_keys()
    assert all(result.risk.get(k, 0) > 0 for k in inv.visible_keys())


def test_column_chooser_hides_columns_and_remembers(
    window: MainWindow, qtbot: QtBot, dialogs: FakeDialogs
) -> None:
    inv = inventory(window)
    replicas = HEADERS.index("Replicas")
    inv.column_actions[replicas].trigger()  # unticks it
    assert inv.table.isColumnHidden(replicas)
    assert inv.hidden_columns() == ["Replicas"]
    other = MainWindow(dialogs=dialogs)
    qtbot.addWidget(other)
    assert inventory(other).table.isColumnHidden(replicas)
    inventory(other).column_actions[replicas].trigger()
    assert not inventory(other).table.isColumnHidden(replicas)


def test_window_hosts_the_graph_gantt_and_dashboard(
    window: MainWindow, qtbot: QtBot, sample_plan_path: Path
) -> None:
    open_checked(window, qtbot, sample_plan_path)
    assert isinstance(window.views["dependencies"], DependencyView)
    assert isinstance(window.views["gantt"], GanttView)
    dashboard = window.views["economics"]
    assert isinstance(dashboard, EconomicsDashboard)
    plan = window.document.plan
    wave = plan.schedule.waves[0]
    before = len(wave.members)
    assert window.unassign(list(wave.members))
    assert len(wave.members) == 0 and before > 0
    window.undo_action.trigger()
    assert len(plan.schedule.waves[0].members) == before


def test_details_dock_follows_the_selection_and_links_navigate(
    window: MainWindow, qtbot: QtBot, sample_plan_path: Path
) -> None:
    open_checked(window, qtbot, sample_plan_path)
    plan = window.document.plan
    key = next(k for k in sorted(plan.inventory.workloads) if plan.schedule.wave_of(k))
    assert window.navigate(key)
    w = plan.inventory.workloads[key]
    text = window.details.text()
    assert w.name in text and "Containers" in text and w.containers[0].image in text
    assert "Callers" in text and "Callees" in text and "Findings" in text
    wave = plan.schedule.wave(plan.schedule.wave_of(key) or "")
    assert wave.name in text
    window.details.select_requested.emit(f"wave:{wave.id}")
    assert window.current_view_id() == "waves"
    assert wave.start.isoformat() in window.details.text()
    assert waves(window).table.currentIndex().row() == plan.schedule.waves.index(wave)


def test_status_bar_shows_file_unsaved_findings_and_jobs(
    window: MainWindow, qtbot: QtBot, sample_plan_path: Path
) -> None:
    open_checked(window, qtbot, sample_plan_path)
    status = window.status
    assert status.file_label.text() == "seed-playbook.meshplan"
    counts = check_plan(window.document.plan).counts()
    text = status.findings_label.text()
    for severity, n in counts.items():
        if n:
            assert f"{n:,} {severity}" in text
    assert status.save_state_label.text() == "All changes saved"
    window.assign_to_wave(
        window.document.plan.unassigned()[:1], window.document.plan.schedule.waves[0].id
    )
    assert status.save_state_label.text() == "Unsaved changes"
    with qtbot.waitSignal(window.document.jobs.jobs_changed, timeout=5000):
        window.document.analysis.refresh_now()
    assert "Checking findings" in status.jobs_label.text()
    qtbot.waitUntil(lambda: not window.document.jobs.running(), timeout=10_000)
    assert status.jobs_label.text() == ""


def test_start_page_opens_the_sample_and_lists_recent_plans(
    window: MainWindow, qtbot: QtBot, plan_path: Path
) -> None:
    assert window.pages.currentWidget() is window.start_page
    window.start_page.sample_button.click()
    assert (
        window.document.path is not None and window.document.path.name == "seed-playbook.meshplan"
    )
    assert window.pages.currentIndex() == 1
    window.open_plan(plan_path)
    window.show_start_page()
    items = [
        window.start_page.recent_list.item(i).text()
        for i in range(window.start_page.recent_list.count())
    ]
    assert items[0].startswith("estate.meshplan") and items[1].startswith("seed-playbook.meshplan")
    window.start_page.open_path_requested.emit(str(window.recent.paths()[1]))
    assert (
        window.document.path is not None and window.document.path.name == "seed-playbook.meshplan"
    )
    window.actions_.new.trigger()
    assert window.pages.currentWidget() is window.start_page
    assert window.windowTitle().startswith("Untitled plan[*]")


def test_find_focuses_the_filter_and_history_lists_edits(
    window: MainWindow, qtbot: QtBot, sample_plan_path: Path
) -> None:
    open_checked(window, qtbot, sample_plan_path)
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    window.show_view("economics")
    assert window.actions_.find.shortcut().toString() == "Ctrl+F"
    window.actions_.find.trigger()
    assert window.current_view_id() == "inventory"
    assert window.focusWidget() is inventory(window).filter_edit
    plan = window.document.plan
    window.assign_to_wave(plan.unassigned()[:2], plan.schedule.waves[0].id)
    window.unassign(plan.unassigned()[:0] or list(plan.schedule.waves[0].members[:1]))
    history = window.history.view
    assert history.stack() is window.document.undo_stack
    assert window.document.undo_stack.count() == 2
    history.setCurrentIndex(history.model().index(0, 0))  # back to the opened plan
    assert window.document.undo_stack.index() == 0 and not window.isWindowModified()


def test_a_plan_dropped_on_the_window_opens(
    window: MainWindow, qtbot: QtBot, plan_path: Path
) -> None:
    window.show()
    qtbot.waitExposed(window)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(plan_path))])
    assert drop_on(window, QPoint(200, 200), data)
    assert window.document.path == plan_path.resolve()
    other = QMimeData()
    other.setUrls([QUrl.fromLocalFile(str(plan_path.with_suffix(".txt")))])
    assert not drop_on(window, QPoint(200, 200), other)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_themes_give_readable_palettes(qapp: QApplication, theme: str) -> None:
    from PySide6.QtGui import QPalette

    from workbench.ui.theme import apply_theme, current_theme, palette

    pal = palette(theme)
    base, text = pal.color(QPalette.ColorRole.Base), pal.color(QPalette.ColorRole.Text)
    assert abs(base.lightness() - text.lightness()) > 150
    assert (base.lightness() > 128) == (theme == "light")
    old = qapp.palette()
    try:
        assert apply_theme(qapp, theme) == theme and current_theme(qapp) == theme
    finally:
        qapp.setPalette(old)
        apply_theme(qapp, "light")
