"""Findings as a tree: severity, then rule (with a count), then each finding.

A large estate raises thousands of the same finding; grouping by rule turns them
into one line with a count, and the individual findings stay one click away.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QFont

from workbench.domain.findings import SEVERITIES, Finding
from workbench.ui.sliced_job import Work
from workbench.ui.theme import severity_color

_Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Finding", "Count", "Source")
NODE_ROLE = Qt.ItemDataRole.UserRole + 1


@cache
def rule_titles() -> dict[str, str]:
    """Rule id -> title, for readiness and schedule rules."""
    from workbench.domain.planning.catalogue import RULES as SCHEDULE_RULES
    from workbench.domain.readiness.report import RULES as READINESS_RULES

    titles = {r.id: r.title for r in READINESS_RULES}
    titles.update({r.id: r.title for r in SCHEDULE_RULES})
    return titles


@dataclass(eq=False, slots=True)
class Node:
    """A severity group, a rule group or one finding."""

    kind: str  # "severity", "rule" or "finding"
    label: str
    parent: Node | None = None
    row: int = 0
    children: list[Node] = field(default_factory=list)
    severity: str = ""
    rule: str = ""
    finding: Finding | None = None
    count: int = 0

    def findings(self) -> list[Finding]:
        """Every finding at or under this node."""
        if self.finding is not None:
            return [self.finding]
        return [f for c in self.children for f in c.findings()]


CHUNK = 250  # findings filtered, grouped or made into rows between two checks of the clock


def matches(f: Finding, terms: list[str]) -> bool:
    """Whether every (lower-case) term is in the finding's rule, title, severity, items or
    message."""
    text = " ".join(
        (f.rule, rule_titles().get(f.rule, ""), f.severity, " ".join(f.items), f.message)
    ).lower()
    return all(t in text for t in terms)


def tree_steps(findings: Sequence[Finding], terms: Sequence[str] = ()) -> Work[list[Node]]:
    """Build :func:`build_tree` of the findings holding every term, yielding every
    :data:`CHUNK` findings so a caller can spread the work over turns of the event loop.
    The findings may come in any order."""
    titles = rule_titles()
    wanted = [t.lower() for t in terms]
    by_severity: dict[str, dict[str, list[Finding]]] = {}
    for start in range(0, len(findings), CHUNK):
        for f in findings[start : start + CHUNK]:
            if not wanted or matches(f, wanted):
                by_severity.setdefault(f.severity, {}).setdefault(f.rule, []).append(f)
        yield
    roots: list[Node] = []
    for severity in SEVERITIES:
        rules = by_severity.get(severity)
        if not rules:
            continue
        total = sum(len(v) for v in rules.values())
        top = Node("severity", severity.capitalize(), row=len(roots), severity=severity)
        top.count = total
        ordered = sorted(rules.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        for rule, items in ordered:
            title = titles.get(rule, "")
            node = Node(
                "rule",
                f"{rule} — {title}" if title else rule,
                parent=top,
                row=len(top.children),
                severity=severity,
                rule=rule,
                count=len(items),
            )
            items.sort(key=Finding.sort_key)
            yield
            for start in range(0, len(items), CHUNK):
                node.children += [
                    Node(
                        "finding",
                        f"{f.subject}: {f.message}",
                        parent=node,
                        row=i,
                        severity=severity,
                        rule=rule,
                        finding=f,
                        count=1,
                    )
                    for i, f in enumerate(items[start : start + CHUNK], start)
                ]
                yield
            top.children.append(node)
        roots.append(top)
    return roots


def build_tree(findings: Sequence[Finding], terms: Sequence[str] = ()) -> list[Node]:
    """Severity groups (most severe first) of rule groups (largest first) of findings
    (most severe first, then by rule and items), keeping those that hold every term."""
    steps = tree_steps(findings, terms)
    while True:
        try:
            next(steps)
        except StopIteration as end:
            roots: list[Node] = end.value
            return roots


class FindingsTreeModel(QAbstractItemModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.roots: list[Node] = []
        self._bold = QFont()
        self._bold.setBold(True)
        self._brushes = {s: QBrush(severity_color(s)) for s in SEVERITIES}

    def set_findings(self, findings: Sequence[Finding]) -> None:
        self.set_roots(build_tree(findings))

    def set_roots(self, roots: list[Node]) -> None:
        """Show a tree built by :func:`build_tree` or :func:`tree_steps`."""
        self.beginResetModel()
        self.roots = roots
        self.endResetModel()

    def finding_count(self) -> int:
        return sum(r.count for r in self.roots)

    def node(self, index: _Index) -> Node | None:
        if not index.isValid():
            return None
        node = index.internalPointer()
        return node if isinstance(node, Node) else None

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        siblings = self._children(parent)
        if not 0 <= row < len(siblings) or not 0 <= column < len(HEADERS):
            return QModelIndex()
        return self.createIndex(row, column, siblings[row])

    def _children(self, parent: _Index) -> list[Node]:
        node = self.node(parent)
        return self.roots if node is None else node.children

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        node = self.node(index)
        if node is None or node.parent is None:
            return QModelIndex()
        return self.createIndex(node.parent.row, 0, node.parent)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._children(parent))

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        node = self.node(index)
        if node is None:
            return None
        col = index.column()
        if role == NODE_ROLE:
            return node
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return node.label
            if col == 1:
                return f"{node.count:,}" if node.kind != "finding" else ""
            if node.kind == "finding" and node.finding is not None:
                return node.finding.source
            return ""
        if role == Qt.ItemDataRole.FontRole and node.kind != "finding" and col == 0:
            return self._bold
        if role == Qt.ItemDataRole.ForegroundRole and node.kind == "severity" and col == 0:
            return self._brushes[node.severity]
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 1:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.ToolTipRole and node.finding is not None:
            return node.finding.message
        return None
