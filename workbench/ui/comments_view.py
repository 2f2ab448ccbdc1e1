"""The Comments view: every review comment of the plan, filterable, with its thread.

Select a comment to see its whole thread below and its target in the details dock;
double-click (or Enter) goes to the target. New comment, Reply, Resolve/Reopen and
Delete are undoable edits.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.commands import Change
from workbench.domain.commands_comments import DeleteComment, SetCommentResolved
from workbench.domain.comments import Comment, target_kind, target_subject
from workbench.ops.comments import describe_target, new_comment, new_reply
from workbench.ui.document import PlanDocument
from workbench.ui.plan_pane import PlanPane

COLUMNS = ("On", "Author", "When", "Status", "Comment", "Replies")
Index = QModelIndex | QPersistentModelIndex


def selection_key(target: str) -> str:
    """The details dock's key for a comment target ("" for the plan, a phase, a finding)."""
    kind = target_kind(target)
    if kind == "workload":
        return target_subject(target)
    if kind == "wave":
        return target
    return ""


class CommentTableModel(QAbstractTableModel):
    def __init__(self, document: PlanDocument) -> None:
        super().__init__()
        self.document = document
        self.rows: list[Comment] = []

    def refresh(self) -> None:
        self.beginResetModel()
        self.rows = list(self.document.plan.comments)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        c = self.rows[index.row()]
        if role == Qt.ItemDataRole.UserRole:
            return c.id
        if role == Qt.ItemDataRole.ToolTipRole:
            return c.text
        if role == Qt.ItemDataRole.ForegroundRole and c.resolved:
            return QBrush(QColor("gray"))
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        column = index.column()
        if column == 0:
            return describe_target(self.document.plan, c.target)
        if column == 1:
            return c.author
        if column == 2:
            return when(c.created)
        if column == 3:
            return "resolved" if c.resolved else "open"
        if column == 4:
            return " ".join(c.text.split())
        return len(c.replies) or ""


class _CommentFilter(QSortFilterProxyModel):
    def __init__(self) -> None:
        super().__init__()
        self.show_resolved = True
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, CommentTableModel)
        if not self.show_resolved and model.rows[row].resolved:
            return False
        return super().filterAcceptsRow(row, parent)


def when(timestamp: str) -> str:
    """``2027-01-02T09:30:00Z`` -> ``2027-01-02 09:30``."""
    return timestamp.replace("T", " ").removesuffix("Z")[:16]


def _thread_html(plan: Any, c: Comment) -> str:
    e = html.escape
    state = "resolved" if c.resolved else "open"
    parts = [
        f"<p><b>{e(describe_target(plan, c.target))}</b> · {e(c.author or '?')}, "
        f"{e(when(c.created))} · {state}</p>",
        "<p>" + e(c.text).replace("\n", "<br/>") + "</p>",
    ]
    for r in c.replies:
        parts.append(
            f"<p style='margin-left:16px'><b>{e(r.author or '?')}</b>, {e(when(r.created))}:<br/>"
            + e(r.text).replace("\n", "<br/>")
            + "</p>"
        )
    return "".join(parts)


class CommentsView(PlanPane):
    """All comments of the plan; the selection's target shows in the details dock."""

    def __init__(self, document: PlanDocument, parent: QWidget | None = None) -> None:
        super().__init__(document, parent)
        self.model = CommentTableModel(document)
        self.proxy = _CommentFilter()
        self.proxy.setSourceModel(self.model)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter comments (target, author, text)")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.show_resolved = QCheckBox("Show resolved", self)
        self.show_resolved.setChecked(True)
        self.show_resolved.toggled.connect(self._set_show_resolved)
        self.add_button = QPushButton("New comment on the plan…", self)
        self.reply_button = QPushButton("Reply…", self)
        self.resolve_button = QPushButton("Resolve", self)
        self.delete_button = QPushButton("Delete", self)
        self.add_button.clicked.connect(self.add_comment)
        self.reply_button.clicked.connect(self.reply)
        self.resolve_button.clicked.connect(self.toggle_resolved)
        self.delete_button.clicked.connect(self.delete)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self.table.doubleClicked.connect(lambda _i: self._open_current())
        self.thread_view = QTextBrowser(self)
        QShortcut(QKeySequence.StandardKey.Delete, self.table, self.delete)
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.table, self._open_current)

        bar = QHBoxLayout()
        bar.addWidget(self.filter, 1)
        bar.addWidget(self.show_resolved)
        for b in (self.add_button, self.reply_button, self.resolve_button, self.delete_button):
            bar.addWidget(b)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(self.thread_view)
        split.setSizes([400, 160])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        document.changed.connect(self._on_change)
        document.replaced.connect(self.refresh)
        self.refresh()

    # -- state ------------------------------------------------------------------------------
    def refresh(self) -> None:
        current = self.current_id()
        self.model.refresh()
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        if current is not None:
            self.select_comment(current)
        self._update_buttons()

    def _on_change(self, _change: Change) -> None:
        self.refresh()

    def _set_show_resolved(self, shown: bool) -> None:
        self.proxy.show_resolved = shown
        self.proxy.invalidate()

    def current_comment(self) -> Comment | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        row = self.proxy.mapToSource(index).row()
        return self.model.rows[row] if 0 <= row < len(self.model.rows) else None

    def current_id(self) -> str | None:
        c = self.current_comment()
        return None if c is None else c.id

    def select_comment(self, comment_id: str) -> bool:
        for row, c in enumerate(self.model.rows):
            if c.id == comment_id:
                index = self.proxy.mapFromSource(self.model.index(row, 0))
                if index.isValid():
                    self.table.setCurrentIndex(index)
                    return True
        return False

    def show_key(self, key: str) -> bool:
        """Select the first comment on a workload key or ``wave:<id>``."""
        target = key if key.startswith("wave:") else f"workload:{key}"
        c = next((c for c in self.model.rows if c.target == target), None)
        return c is not None and self.select_comment(c.id)

    def focus_filter(self) -> None:
        self.filter.setFocus()
        self.filter.selectAll()

    def _on_current(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        c = self.current_comment()
        self.thread_view.setHtml("" if c is None else _thread_html(self.document.plan, c))
        self._update_buttons()
        if c is not None:
            key = selection_key(c.target)
            if key:
                self.current_changed.emit(key)

    def _open_current(self) -> None:
        c = self.current_comment()
        if c is not None and selection_key(c.target):
            self.open_requested.emit(selection_key(c.target))

    def _update_buttons(self) -> None:
        c = self.current_comment()
        for b in (self.reply_button, self.resolve_button, self.delete_button):
            b.setEnabled(c is not None)
        self.resolve_button.setText("Reopen" if c is not None and c.resolved else "Resolve")

    # -- edits --------------------------------------------------------------------------------
    def add_comment(self) -> bool:
        text = self.dialogs.ask_text(self, "New comment", "Comment on the plan:")
        if not text:
            return False
        cmd = new_comment(self.document.plan, "plan", text)
        if not self.document.try_execute(cmd):
            return False
        return self.select_comment(cmd.comment.id)

    def reply(self) -> bool:
        c = self.current_comment()
        if c is None:
            return False
        text = self.dialogs.ask_text(self, "Reply", f"Reply to {c.author or 'the comment'}:")
        return bool(text) and self.document.try_execute(new_reply(c.id, text or ""))

    def toggle_resolved(self) -> bool:
        c = self.current_comment()
        return c is not None and self.document.try_execute(SetCommentResolved(c.id, not c.resolved))

    def delete(self) -> bool:
        c = self.current_comment()
        return c is not None and self.document.try_execute(DeleteComment(c.id))
