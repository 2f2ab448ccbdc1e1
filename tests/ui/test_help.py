"""Help: the guide, the shortcut list read from the menus, the rule reference built from the
rule registries, and findings that link to their rule's entry."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from workbench.domain.planning.catalogue import RULES as SCHEDULE_RULES
from workbench.domain.readiness.report import RULES as READINESS_RULES
from workbench.ui.findings_view import FindingsView
from workbench.ui.help.help_window import HelpWindow
from workbench.ui.help.rule_reference import rule_entries
from workbench.ui.help.shortcuts import menu_shortcuts
from workbench.ui.main_window import MainWindow
from workbench.ui.window_actions import recent_label


def _help_menu_texts(window: MainWindow) -> list[str]:
    top = next(a for a in window.menuBar().actions() if a.text().replace("&", "") == "Help")
    menu = top.menu()
    assert isinstance(menu, QMenu)
    return [a.text().replace("&", "") for a in menu.actions() if a.text()]


def test_help_menu_offers_guide_shortcuts_and_rule_reference(window: MainWindow) -> None:
    assert _help_menu_texts(window) == [
        "User guide",
        "Keyboard shortcuts",
        "Rule reference",
        "About",
    ]
    window.actions_.guide.trigger()
    help_window = window.actions_.help_window
    assert isinstance(help_window, HelpWindow) and help_window.isVisible()
    text = help_window.browser.toPlainText()
    for heading in ("Getting started", "From import to export", "Editing waves", "Evidence"):
        assert heading in text
    assert "Economics and the schedule" in text
    window.actions_.shortcuts.trigger()
    assert window.actions_.help_window is help_window  # one help window, raised again
    assert help_window.topic == "shortcuts"
    shortcuts = help_window.browser.toPlainText()
    for keys in ("Ctrl+S", "Ctrl+W", "Ctrl+Shift+N", "F2", "Ctrl+/"):
        assert keys in shortcuts
    help_window.close()


def test_shortcut_list_is_read_from_the_menus(window: MainWindow) -> None:
    rows = menu_shortcuts(window)
    by_name = {name: (place, keys) for place, keys, name in rows}
    assert by_name["New wave…"] == ("Plan", "Ctrl+Shift+N")
    assert by_name["Close"] == ("File", "Ctrl+W")
    assert by_name["From a cluster…"] == ("File › Import", "Ctrl+Shift+K")
    window.wave_editor.rename.setShortcut("Ctrl+R")  # a changed shortcut shows up
    assert ("Plan", "Ctrl+R", "Rename wave…") in menu_shortcuts(window)


def test_rule_reference_has_every_rule_with_why_fix_and_source(window: MainWindow) -> None:
    entries = {e.id: e for e in rule_entries()}
    assert set(entries) == {r.id for r in READINESS_RULES} | {r.id for r in SCHEDULE_RULES}
    for rule in READINESS_RULES:
        assert rule.source in entries[rule.id].sources
    help_window = window.show_help("rules")
    assert isinstance(help_window, HelpWindow)
    text = help_window.browser.toPlainText()
    for rule in (*READINESS_RULES, *SCHEDULE_RULES):
        assert f"{rule.id} · {rule.title}" in text
        assert rule.fix in text
    assert text.count("Istio source:") == len(entries)
    help_window.close()


def test_a_finding_links_to_its_rule_entry(
    window: MainWindow, qtbot: QtBot, sample_plan_path: Path
) -> None:
    window.open_plan(sample_plan_path)
    window.document.analysis.refresh_now()
    qtbot.waitUntil(lambda: window.document.analysis.current.ready, timeout=20_000)
    view = window.show_view("findings")
    assert isinstance(view, FindingsView)
    view.refresh()
    severity = view.model.roots[0]
    rule = severity.children[0]
    leaf = rule.children[0]
    assert leaf.finding is not None
    index = view.model.index(
        leaf.row, 0, view.model.index(rule.row, 0, view.model.index(severity.row, 0))
    )
    view.tree.setCurrentIndex(index)
    assert f"help:rule/{leaf.finding.rule}" in view.details.toHtml()
    view.details.anchorClicked.emit(QUrl(f"help:rule/{leaf.finding.rule}"))
    help_window = window.actions_.help_window
    assert isinstance(help_window, HelpWindow)
    assert help_window.topic == "rules"
    top = help_window.browser.cursorForPosition(help_window.browser.rect().topLeft())
    visible = help_window.browser.toPlainText()[top.position() : top.position() + 400]
    assert f"{leaf.finding.rule} · " in visible
    help_window.close()


def test_recent_files_show_their_folder(tmp_path: Path) -> None:
    first = recent_label(str(tmp_path / "a" / "seed-playbook.meshplan"))
    second = recent_label(str(tmp_path / "b" / "seed-playbook.meshplan"))
    assert first != second and first.startswith("seed-playbook.meshplan")
    assert str(tmp_path / "a")[-20:] in first
    long = recent_label("/" + "x" * 200 + "/plan.meshplan")
    assert len(long) < 90 and long.startswith("plan.meshplan") and "…" in long
