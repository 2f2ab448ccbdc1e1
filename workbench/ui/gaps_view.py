"""The Discovery gaps view: namespaces whose callers are not known completely, which
source would close each gap, and the workloads behind it.

Selecting a namespace lists its workloads with unknown or partial callers and the reasons;
a workload's callers can be confirmed by hand with a reason (undoable), and a
double-click goes to the workload.

The caller knowledge behind the gaps is estate-wide work: for a plan of more than
:data:`SYNC_WORKLOADS` workloads it is computed as a background job (the view says so
meanwhile, and an edit or a new plan discards a result it overtook), and kept for the
namespace lists.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from workbench.domain.commands import Change
from workbench.domain.dependencies import CallerConfirmation
from workbench.domain.errors import WorkbenchError
from workbench.domain.evidence import CallerEvidence, caller_evidence
from workbench.domain.evidence.commands import ConfirmCallers
from workbench.domain.evidence.gaps import DiscoveryGap, discovery_gaps
from workbench.domain.jobs import CancelToken, JobCancelled
from workbench.domain.plan import Plan
from workbench.ui.dialogs import Dialogs
from workbench.ui.document import PlanDocument
from workbench.ui.lazy_refresh import RefreshWhenShown
from workbench.ui.plan_pane import PlanPane

HEADERS = ("Namespace", "Workloads", "Unknown", "Partial", "Called from outside", "Would close it")
UNKNOWN_COLOUR = QColor("#e8590c")
SYNC_WORKLOADS = 1_500  # plans up to this size are read at once, larger ones as a job
Knowledge = dict[str, CallerEvidence]


def read_gaps(plan: Plan) -> tuple[list[DiscoveryGap], Knowledge]:
    """The plan's discovery gaps and the caller knowledge they rest on."""
    knowledge = caller_evidence(plan)
    return discovery_gaps(plan, knowledge), knowledge


class GapsView(RefreshWhenShown, PlanPane):
    """Where the call graph is not known, by namespace, and what would close each gap."""

    def __init__(
        self, document: PlanDocument, parent: QWidget | None = None, dialogs: Dialogs | None = None
    ) -> None:
        super().__init__(document, parent, dialogs)
        self.gaps: list[DiscoveryGap] = []
        self.knowledge: Knowledge = {}
        self.sync_workloads = SYNC_WORKLOADS
        self._generation = 0  # bumped by every refresh: older job results are dropped
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)  # a sentence: never widen the view
        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._on_namespace)
        self.members = QListWidget(self)
        self.members.currentItemChanged.connect(self._on_member)
        self.members.itemDoubleClicked.connect(
            lambda item: self.open_requested.emit(item.data(Qt.ItemDataRole.UserRole))
        )
        self.confirm_button = QPushButton("&Confirm callers…", self)
        self.confirm_button.setToolTip(
            "State, with a reason, that the selected workload's callers are known completely"
        )
        self.confirm_button.setEnabled(False)
        self.confirm_button.clicked.connect(self.confirm_selected)
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel("Workloads whose callers are not known completely:", lower))
        buttons.addStretch(1)
        buttons.addWidget(self.confirm_button)
        lower_layout.addLayout(buttons)
        lower_layout.addWidget(self.members)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        splitter.setSizes([300, 200])
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(splitter)
        document.changed.connect(self._on_change)
        document.replaced.connect(self.refresh_when_shown)

    def _on_change(self, change: Change) -> None:
        if change.areas & {"dependencies", "inventory", "assumptions"}:
            self.refresh_when_shown()

    def refresh(self) -> None:
        self._stale = False
        self._generation += 1
        plan = self.document.plan
        if len(plan.inventory.workloads) <= self.sync_workloads:
            self._show_gaps(*read_gaps(plan))
            return
        generation = self._generation
        self.summary.setText("Reading which workloads' callers are known…")

        def job(_progress: Callable[[float, str], None], _cancel: CancelToken) -> object:
            return read_gaps(plan)

        def arrived(found: object) -> None:
            if isValid(self) and generation == self._generation:
                self._show_gaps(*found)  # type: ignore[misc]

        def failed(exc: object) -> None:  # the plan was edited under the job: read it here
            current = isValid(self) and generation == self._generation
            if current and not isinstance(exc, JobCancelled):
                self._show_gaps(*read_gaps(self.document.plan))

        handle = self.document.jobs.start("Reading discovery gaps", job)
        handle.finished.connect(arrived)
        handle.failed.connect(failed)

    def _show_gaps(self, gaps: list[DiscoveryGap], knowledge: Knowledge) -> None:
        selected = self._selected_namespace()
        self.gaps, self.knowledge = gaps, knowledge
        self.table.setRowCount(len(self.gaps))
        for row, gap in enumerate(self.gaps):
            values = (
                gap.namespace,
                gap.workloads,
                len(gap.unknown),
                len(gap.partial),
                gap.external,
                gap.source,
            )
            for col, value in enumerate(values):
                item = QTableWidgetItem(f"{value:,}" if isinstance(value, int) else str(value))
                if isinstance(value, int):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if col == 2 and gap.unknown:
                    item.setForeground(UNKNOWN_COLOUR)
                self.table.setItem(row, col, item)
        unknown = sum(len(g.unknown) for g in self.gaps)
        partial = sum(len(g.partial) for g in self.gaps)
        total = sum(1 for w in self.document.plan.inventory.workloads.values() if not w.vanished)
        self.summary.setText(
            f"{unknown:,} of {total:,} workload(s) have unknown callers and {partial:,} partial, "
            f"in {len(self.gaps):,} namespace(s). An unseen call graph is never read as "
            "'no callers': import runtime captures or confirm callers by hand."
            if self.gaps
            else "Every workload's callers are known completely."
        )
        names = [g.namespace for g in self.gaps]
        row = names.index(selected) if selected in names else 0 if names else -1
        if row >= 0:
            self.table.selectRow(row)
        else:
            self.members.clear()

    def _selected_namespace(self) -> str | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.gaps):
            return None
        return self.gaps[rows[0].row()].namespace

    def _on_namespace(self) -> None:
        namespace = self._selected_namespace()
        gap = next((g for g in self.gaps if g.namespace == namespace), None)
        self.members.clear()
        if gap is None:
            return
        for key in (*gap.unknown, *gap.partial):
            found = self.knowledge[key]
            text = f"{key.split('/', 2)[2]}   {found.callers}"
            item = QListWidgetItem(text + ("   + external" if found.external_callers else ""))
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setToolTip("\n".join(found.reasons))
            if found.callers == "unknown":
                item.setForeground(UNKNOWN_COLOUR)
            self.members.addItem(item)

    def _on_member(self, item: QListWidgetItem | None) -> None:
        key = item.data(Qt.ItemDataRole.UserRole) if item is not None else ""
        self.confirm_button.setEnabled(bool(key))
        self.current_changed.emit(key or "")

    def show_key(self, key: str) -> bool:
        for row, gap in enumerate(self.gaps):
            if key == gap.namespace or key in gap.unknown or key in gap.partial:
                self.table.selectRow(row)
                for i in range(self.members.count()):
                    if self.members.item(i).data(Qt.ItemDataRole.UserRole) == key:
                        self.members.setCurrentRow(i)
                return True
        return False

    def confirm_selected(self) -> None:
        item = self.members.currentItem()
        if item is None:
            return
        key = item.data(Qt.ItemDataRole.UserRole)
        reason = self.dialogs.ask_text(
            self, "Confirm callers", f"Why are the callers of {key} known completely?"
        )
        if reason is None:
            return
        try:
            self.document.execute(ConfirmCallers(CallerConfirmation(key, reason.strip())))
        except WorkbenchError as exc:
            self.dialogs.error(self, "Confirm callers", str(exc))
