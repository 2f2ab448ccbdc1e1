"""The start page: what to do when no plan is open.

Open a plan (or a recent one), start a new plan from a live cluster or from files,
or open the sample plan built from the seed playbook.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.ui.recent_files import RecentFiles
from workbench.ui.resources import app_icon, sample_plan_path

PATH_ROLE = Qt.ItemDataRole.UserRole + 1


class StartPage(QWidget):
    """Big entry points on the left, recent plans on the right."""

    open_requested = Signal()
    open_path_requested = Signal(str)
    new_from_cluster_requested = Signal()
    new_from_files_requested = Signal()
    sample_requested = Signal()

    def __init__(self, recent: RecentFiles, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("StartPage")
        self.recent = recent
        logo = QLabel(self)
        logo.setPixmap(app_icon().pixmap(QSize(96, 96)))
        title = QLabel("Mesh Migration Workbench", self)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setBold(True)
        title.setFont(font)
        subtitle = QLabel(
            "Plan the move of a Kubernetes estate onto the Istio service mesh: inventory, "
            "readiness, dependencies, waves and the business case in one file.",
            self,
        )
        subtitle.setWordWrap(True)
        subtitle.setStyleSheet("color: palette(mid);")

        self.open_button = QCommandLinkButton("Open a plan…", "A .meshplan file", self)
        self.cluster_button = QCommandLinkButton(
            "New plan from a cluster…",
            "Read the inventory of one or more kubeconfig contexts",
            self,
        )
        self.files_button = QCommandLinkButton(
            "New plan from files…",
            "kubectl get -o yaml/json dumps, Helm output or manifest folders",
            self,
        )
        self.sample_button = QCommandLinkButton(
            "Open the sample plan",
            "150 workloads, 2 clusters, 4 phases, the seed playbook's business case",
            self,
        )
        self.sample_button.setEnabled(sample_plan_path().is_file())
        self.open_button.clicked.connect(self.open_requested)
        self.cluster_button.clicked.connect(self.new_from_cluster_requested)
        self.files_button.clicked.connect(self.new_from_files_requested)
        self.sample_button.clicked.connect(self.sample_requested)

        self.recent_list = QListWidget(self)
        self.recent_list.setObjectName("recentPlans")
        self.recent_list.itemActivated.connect(self._open_item)
        self.recent_list.itemDoubleClicked.connect(self._open_item)

        actions = QVBoxLayout()
        for button in (self.open_button, self.cluster_button, self.files_button):
            actions.addWidget(button)
        actions.addWidget(self.sample_button)
        actions.addStretch(1)
        recent_box = QVBoxLayout()
        recent_title = QLabel("Recent plans", self)
        bold = recent_title.font()
        bold.setBold(True)
        recent_title.setFont(bold)
        recent_box.addWidget(recent_title)
        recent_box.addWidget(self.recent_list)
        columns = QHBoxLayout()
        columns.addLayout(actions, 1)
        columns.addSpacing(32)
        columns.addLayout(recent_box, 1)
        heading = QHBoxLayout()
        heading.addWidget(logo)
        titles = QVBoxLayout()
        titles.addWidget(title)
        titles.addWidget(subtitle)
        heading.addLayout(titles, 1)
        inner = QVBoxLayout()
        inner.addLayout(heading)
        inner.addSpacing(24)
        inner.addLayout(columns, 1)
        container = QWidget(self)
        container.setLayout(inner)
        container.setMaximumWidth(1100)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(48, 40, 48, 40)
        outer.addStretch(1)
        outer.addWidget(container, 10)
        outer.addStretch(1)
        self.refresh()

    def refresh(self) -> None:
        self.recent_list.clear()
        paths = self.recent.paths()
        for path in paths:
            item = QListWidgetItem(f"{Path(path).name}\n{Path(path).parent}")
            item.setData(PATH_ROLE, path)
            item.setToolTip(path)
            self.recent_list.addItem(item)
        if not paths:
            item = QListWidgetItem("No recent plans yet")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.recent_list.addItem(item)

    def _open_item(self, item: QListWidgetItem) -> None:
        path = item.data(PATH_ROLE)
        if path:
            self.open_path_requested.emit(str(path))
