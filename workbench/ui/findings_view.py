"""The Findings view: readiness and schedule findings by severity and rule, with the
explanation and fix of the selection, and the plan's mutes.

A rule can be muted for the selected finding's namespace or workload, with a reason
kept in the plan (undoable); a double-click goes to the finding's subject.

A plan with more than :data:`SYNC_FINDINGS` findings is grouped a slice at a time
(:class:`~workbench.ui.sliced_job.SlicedJob`), so showing the view, typing in its
filter or a new check result never holds the window: the tree keeps what it showed
(or says it is grouping) until the new grouping is complete, and a newer result or
filter drops a grouping in progress.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.commands import Change
from workbench.domain.commands_mutes import MuteRule, UnmuteRule
from workbench.domain.findings import SEVERITIES
from workbench.domain.plan import Mute
from workbench.ui.dialogs import Dialogs
from workbench.ui.document import PlanDocument
from workbench.ui.findings_model import FindingsTreeModel, Node, tree_steps
from workbench.ui.lazy_refresh import RefreshWhenShown
from workbench.ui.plan_pane import PlanPane
from workbench.ui.sliced_job import SlicedJob
from workbench.ui.theme import SEVERITY_COLORS

SYNC_FINDINGS = 2_000  # up to this many findings are grouped at once, more a slice at a time


def namespace_of(key: str) -> str | None:
    """The namespace key ``cluster/namespace`` of a workload or service key."""
    parts = key.split("/")
    return "/".join(parts[:2]) if len(parts) >= 3 else None


def is_workload_key(key: str) -> bool:
    return len(key.split("/")) == 4


class FindingsView(RefreshWhenShown, PlanPane):
    """Grouped findings, their explanation, and the mutes that hide some of them."""

    help_requested = Signal(str, str)  # help topic and anchor: a rule's reference entry

    def __init__(
        self, document: PlanDocument, parent: QWidget | None = None, dialogs: Dialogs | None = None
    ) -> None:
        super().__init__(document, parent, dialogs)
        self.model = FindingsTreeModel(self)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filter findings by rule, workload or text")
        self.filter_edit.setClearButtonEnabled(True)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(150)
        self._filter_timer.timeout.connect(self.refresh)
        self.filter_edit.textChanged.connect(lambda _t: self._filter_timer.start())
        self.summary_label = QLabel(self)

        self.tree = QTreeView(self)
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.selectionModel().currentChanged.connect(self._on_current)
        self.tree.doubleClicked.connect(self._on_double_click)
        self.loading_label = QLabel("Grouping findings…", self.tree.viewport())
        self.loading_label.move(8, 6)
        self.loading_label.hide()
        self.sync_findings = SYNC_FINDINGS
        self.grouping: SlicedJob[list[Node]] = SlicedJob(self._grouped, self)

        self.details = QTextBrowser(self)
        self.details.setOpenLinks(False)
        self.details.anchorClicked.connect(self._on_link)
        self.mute_namespace_button = QPushButton("Mute rule for namespace…", self)
        self.mute_workload_button = QPushButton("Mute rule for workload…", self)
        self.mute_namespace_button.clicked.connect(lambda: self.mute_selected("namespace"))
        self.mute_workload_button.clicked.connect(lambda: self.mute_selected("workload"))

        self.mutes_table = QTableWidget(0, 3, self)
        self.mutes_table.setHorizontalHeaderLabels(["Muted rule", "Scope", "Reason"])
        self.mutes_table.horizontalHeader().setStretchLastSection(True)
        self.mutes_table.verticalHeader().setVisible(False)
        self.mutes_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.mutes_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.unmute_button = QPushButton("Unmute", self)
        self.unmute_button.clicked.connect(self.unmute_selected)
        self.mutes_table.itemSelectionChanged.connect(self._update_buttons)

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.details, 3)
        buttons = QHBoxLayout()
        buttons.addWidget(self.mute_namespace_button)
        buttons.addWidget(self.mute_workload_button)
        buttons.addStretch(1)
        right_layout.addLayout(buttons)
        right_layout.addWidget(QLabel("Mutes kept in the plan", right))
        right_layout.addWidget(self.mutes_table, 2)
        unmute_row = QHBoxLayout()
        unmute_row.addStretch(1)
        unmute_row.addWidget(self.unmute_button)
        right_layout.addLayout(unmute_row)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.tree)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.summary_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 8)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        self._stale = True
        document.analysis.updated.connect(self.refresh_when_shown)
        document.replaced.connect(self.refresh_when_shown)
        document.changed.connect(self._on_change)
        self.refresh()

    # -- content ----
    def _on_change(self, change: Change) -> None:
        if "mutes" in change.areas:
            self._refresh_mutes()

    def clear_filter(self) -> None:
        self.filter_edit.clear()

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def refresh(self) -> None:
        """Group the current findings that hold every filter word; at once for a small
        plan, else a slice per turn of the event loop (:attr:`grouping`)."""
        self._stale = False
        analysis = self.document.analysis.current
        findings = [*analysis.of_source("readiness"), *analysis.of_source("schedule")]
        self.grouping.start(tree_steps(findings, self.filter_edit.text().lower().split()))
        self._refresh_mutes()
        if len(findings) <= self.sync_findings:
            self.grouping.finish()
        else:
            self.summary_label.setText(f"Grouping {len(findings):,} findings…")
            self.loading_label.setVisible(not self.model.roots)
            self.loading_label.adjustSize()

    def _grouped(self, roots: list[Node]) -> None:
        expanded = self._expanded_keys()
        self.model.set_roots(roots)
        for row, node in enumerate(roots):
            index = self.model.index(row, 0)
            self.tree.setExpanded(index, node.severity in expanded or not expanded)
        self.tree.resizeColumnToContents(1)
        self.loading_label.hide()
        analysis = self.document.analysis.current
        self.summary_label.setText(self._summary(analysis.ready, self.model.finding_count()))
        self._show(None)

    def _summary(self, ready: bool, shown: int) -> str:
        if not ready:
            return "Checking…"
        analysis = self.document.analysis.current
        counts = analysis.counts()
        parts = [
            f"<span style='color:{SEVERITY_COLORS[s]}'>{counts[s]:,} {s}</span>"
            for s in SEVERITIES
            if counts[s]
        ]
        muted = len(analysis.muted)
        tail = f" · {muted:,} muted" if muted else ""
        total = len(analysis)
        shown_text = f"{shown:,} of {total:,} shown · " if shown != total else ""
        return shown_text + (" · ".join(parts) or "no findings") + tail

    def _expanded_keys(self) -> set[str]:
        return {
            node.severity
            for row, node in enumerate(self.model.roots)
            if self.tree.isExpanded(self.model.index(row, 0))
        }

    def _refresh_mutes(self) -> None:
        mutes = self.document.plan.mutes
        self.mutes_table.setRowCount(len(mutes))
        for row, m in enumerate(mutes):
            for col, value in enumerate((m.rule, m.scope, m.reason)):
                self.mutes_table.setItem(row, col, QTableWidgetItem(value))
        self.mutes_table.resizeColumnsToContents()
        self._update_buttons()

    # -- selection ---------------------------------------------------------------------
    def selected_node(self) -> Node | None:
        return self.model.node(self.tree.currentIndex())

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        node = self.model.node(current)
        self._show(node)
        if node is not None and node.finding is not None:
            self.current_changed.emit(node.finding.subject)

    def _on_double_click(self, index: QModelIndex) -> None:
        node = self.model.node(index)
        if node is not None and node.finding is not None:
            self.open_requested.emit(node.finding.subject)

    def select_rule(self, rule: str) -> bool:
        """Select the group of ``rule`` (tests and links), grouping the findings first if
        that is under way."""
        self.grouping.finish()
        for srow, top in enumerate(self.model.roots):
            for node in top.children:
                if node.rule == rule:
                    parent = self.model.index(srow, 0)
                    self.tree.setExpanded(parent, True)
                    self.tree.setCurrentIndex(self.model.index(node.row, 0, parent))
                    return True
        return False

    def _show(self, node: Node | None) -> None:
        self._update_buttons()
        if node is None:
            self.details.setHtml(
                "<p>Select a rule or a finding to see why it matters and how to fix it.</p>"
            )
            return
        findings = node.findings()
        first = findings[0] if findings else None
        colour = SEVERITY_COLORS.get(node.severity, "#888")
        parts = [f"<h3 style='color:{colour}'>{html.escape(node.label)}</h3>"]
        if node.kind != "finding":
            parts.append(f"<p>{len(findings):,} finding(s)</p>")
        if first is not None and node.kind != "severity":
            if node.finding is not None:
                parts.append(f"<p><b>Seen:</b> {html.escape(first.message)}</p>")
                items = ", ".join(html.escape(i) for i in first.items)
                parts.append(f"<p><b>Concerns:</b> {items}</p>")
            parts.append(f"<p><b>Why it matters:</b> {_linkify(first.why)}</p>")
            parts.append(f"<p><b>How to fix:</b> {html.escape(first.fix)}</p>")
            parts.append(
                f"<p><a href='help:rule/{html.escape(first.rule)}'>Rule reference: "
                f"{html.escape(first.rule)} (why, fix and Istio source)</a></p>"
            )
        self.details.setHtml("".join(parts))

    def _on_link(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("help:rule/"):
            rule = text.removeprefix("help:rule/")
            self.help_requested.emit("rules", f"rule-{rule}")
        else:
            QDesktopServices.openUrl(url)

    def _update_buttons(self) -> None:
        node = self.selected_node()
        subject = node.finding.subject if node is not None and node.finding else ""
        self.mute_namespace_button.setEnabled(namespace_of(subject) is not None)
        self.mute_workload_button.setEnabled(is_workload_key(subject))
        self.unmute_button.setEnabled(bool(self.mutes_table.selectionModel().selectedRows()))

    # -- mutes -------------------------------------------------------------------------------
    def mute_selected(self, scope_kind: str) -> bool:
        """Ask for a reason and mute the selected finding's rule for its namespace or workload."""
        node = self.selected_node()
        if node is None or node.finding is None:
            return False
        subject = node.finding.subject
        scope = namespace_of(subject) if scope_kind == "namespace" else subject
        if scope is None:
            return False
        reason = self.dialogs.ask_text(
            self, f"Mute {node.rule}", f"Why is {node.rule} acceptable for {scope}?"
        )
        if not reason or not reason.strip():
            return False
        return self.document.try_execute(MuteRule(Mute(node.rule, scope, reason.strip())))

    def unmute_selected(self) -> bool:
        rows = self.mutes_table.selectionModel().selectedRows()
        if not rows:
            return False
        mute = self.document.plan.mutes[rows[0].row()]
        return self.document.try_execute(UnmuteRule(mute.rule, mute.scope))


def _linkify(text: str) -> str:
    words = []
    for word in html.escape(text).split(" "):
        if word.startswith(("http://", "https://")):
            words.append(f"<a href='{word}'>{word}</a>")
        else:
            words.append(word)
    return " ".join(words)
