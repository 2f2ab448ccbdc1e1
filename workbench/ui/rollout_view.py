"""The Rollout check view: every step of the export replayed against the known calls.

One row per step (the foundation, each wave's mesh and lockdown steps, the mesh-wide
step and the entry cut-over) with the calls it would break and those at risk; the
selection's reason below. A double-click goes to the callee. The check re-runs by
itself after edits once the view has been shown.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.simulation import BROKEN, EXTERNAL, StepResult, Verdict
from workbench.ui.dialogs import Dialogs
from workbench.ui.document import PlanDocument
from workbench.ui.plan_pane import PlanPane
from workbench.ui.rollout_check import rollout_checker
from workbench.ui.theme import SEVERITY_COLORS

MAX_ROWS = 300  # calls listed per step before the rest is summarised
KEY_ROLE = Qt.ItemDataRole.UserRole
TEXT_ROLE = Qt.ItemDataRole.UserRole + 1


def _short(key: str) -> str:
    if key == EXTERNAL:
        return "clients outside the mesh"
    parts = key.split("/")
    return f"{parts[1]}/{parts[3]}" if len(parts) == 4 else key


class RolloutView(PlanPane):
    """The rollout replayed step by step: the calls that would break at each step, and why."""

    def __init__(
        self, document: PlanDocument, parent: QWidget | None = None, dialogs: Dialogs | None = None
    ) -> None:
        super().__init__(document, parent, dialogs)
        self.checker = rollout_checker(document)
        self.check_button = QPushButton("Check now", self)
        self.check_button.setToolTip("Replay the rollout against the known calls (F5)")
        self.check_button.clicked.connect(lambda: self.checker.request(now=True))
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, lambda: self.checker.request(now=True))
        self.blockers_box = QCheckBox("Include members with open blockers", self)
        self.blockers_box.toggled.connect(self._on_blockers)
        self.summary_label = QLabel("Not checked yet.", self)
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        self.summary_label.setWordWrap(True)  # notes are sentences: never widen the view
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["Step / call", "Outcome", "Meshed"])
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setUniformRowHeights(True)
        self.tree.currentItemChanged.connect(self._on_current)
        self.tree.itemDoubleClicked.connect(self._on_double_click)
        self.details = QTextBrowser(self)

        top = QHBoxLayout()
        top.addWidget(self.check_button)
        top.addWidget(self.blockers_box)
        top.addStretch(1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.tree)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary_label)
        layout.addWidget(splitter, 1)
        self.checker.updated.connect(self.refresh)
        self.checker.failed.connect(self._on_failed)
        self.refresh()

    # -- actions ----------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        if not self.checker.active:
            self.checker.request()
        super().showEvent(event)

    def _on_blockers(self, checked: bool) -> None:
        self.checker.allow_blockers = checked
        self.checker.request(now=True)

    def _on_failed(self, message: str) -> None:
        self.summary_label.setText(f"The check failed: {html.escape(message[:300])}")

    # -- content ----------------------------------------------------------------------------
    def refresh(self) -> None:
        check = self.checker.current
        self.tree.clear()
        self.details.clear()
        if check is None:
            busy = self.checker.busy or self.checker.active
            self.summary_label.setText("Checking the rollout…" if busy else "Not checked yet.")
            return
        report = check.report
        broken = report.broken_edges
        colour = SEVERITY_COLORS["blocker"] if broken else "#2b8a3e"
        verdict = f"{broken} call(s) break" if broken else "no known call breaks"
        self.summary_label.setText(
            f"<b style='color:{colour}'>{verdict}</b> · {report.calls} call(s) and entry "
            f"point(s) over {check.steps} step(s) · Istio {html.escape(check.istio_version)}"
            + "".join(f"<br>{html.escape(n)}" for n in report.notes)
        )
        first: QTreeWidgetItem | None = None
        for result in report.results:
            item = self._step_item(result)
            if result.broken and first is None:
                first = item
        if first is not None:
            first.setExpanded(True)
            self.tree.setCurrentItem(first)

    def _step_item(self, result: StepResult) -> QTreeWidgetItem:
        step = result.step
        title = f"{step.folder} · {step.cluster or 'all clusters'} · {step.title}"
        outcome = f"{len(result.broken)} broken, {len(result.at_risk)} at risk"
        item = QTreeWidgetItem(self.tree, [title, outcome, str(result.meshed)])
        item.setData(0, TEXT_ROLE, f"<b>{html.escape(title)}</b><br>{html.escape(outcome)}")
        if result.broken:
            item.setForeground(1, QBrush(QColor(SEVERITY_COLORS["blocker"])))
        verdicts = [*result.broken, *result.at_risk]
        for v in verdicts[:MAX_ROWS]:
            self._verdict_item(item, v)
        if len(verdicts) > MAX_ROWS:
            QTreeWidgetItem(item, [f"… and {len(verdicts) - MAX_ROWS} more", "", ""])
        return item

    def _verdict_item(self, parent: QTreeWidgetItem, v: Verdict) -> None:
        call = v.call
        port = f":{v.port}" if v.port is not None else ""
        what = {"peer": " (peers)", "init": " (init container)", "entry": " (entry)"}
        label = f"{_short(call.caller)} → {_short(call.callee)}{port}{what.get(call.what, '')}"
        status = "broken" if v.status == BROKEN else "at risk"
        child = QTreeWidgetItem(parent, [label, status, ""])
        colour = SEVERITY_COLORS["blocker"] if v.status == BROKEN else SEVERITY_COLORS["medium"]
        child.setForeground(1, QBrush(QColor(colour)))
        child.setToolTip(0, v.reason)
        child.setData(0, KEY_ROLE, call.callee)
        child.setData(
            0,
            TEXT_ROLE,
            f"<b>{html.escape(call.label())}{port}</b> — {status}<br>{html.escape(v.reason)}",
        )

    def _on_current(self, item: QTreeWidgetItem | None, _previous: object) -> None:
        if item is None:
            return
        self.details.setHtml(str(item.data(0, TEXT_ROLE) or ""))
        key = item.data(0, KEY_ROLE)
        if isinstance(key, str):
            self.current_changed.emit(key)

    def _on_double_click(self, item: QTreeWidgetItem, _column: int) -> None:
        key = item.data(0, KEY_ROLE)
        if isinstance(key, str):
            self.open_requested.emit(key)
