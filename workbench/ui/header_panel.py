"""The strip above the views: the plan's title and its key counts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from workbench.domain.plan import Plan
from workbench.ops.summary import plan_counts

# summary key -> caption, in display order
COUNTS: tuple[tuple[str, str], ...] = (
    ("clusters", "Clusters"),
    ("namespaces", "Namespaces"),
    ("workloads", "Workloads"),
    ("pods", "Pods"),
    ("phases", "Phases"),
    ("waves", "Waves"),
    ("unassigned", "Unassigned"),
)


class CountTile(QFrame):
    """A big number over a small caption."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.setSpacing(0)
        self.value_label = QLabel("0")
        font = self.value_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.value_label.setFont(font)
        self.caption_label = QLabel(caption)
        self.caption_label.setStyleSheet("color: palette(mid);")
        for label in (self.value_label, self.caption_label):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(label)

    def set_value(self, value: int) -> None:
        self.value_label.setText(f"{value:,}")


class PlanHeaderPanel(QWidget):
    """Title and counts of the open plan; call :meth:`show_plan` after each change."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        self.title_label = QLabel()
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title_label.setFont(font)
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.path_label = QLabel()
        self.path_label.setStyleSheet("color: palette(mid);")
        titles = QVBoxLayout()
        titles.addWidget(self.title_label)
        titles.addWidget(self.path_label)
        layout.addLayout(titles, 1)
        self.tiles: dict[str, CountTile] = {}
        for key, caption in COUNTS:
            tile = CountTile(caption, self)
            self.tiles[key] = tile
            layout.addWidget(tile)

    def show_plan(self, plan: Plan, name: str, location: str) -> None:
        self.title_label.setText(name)
        self.path_label.setText(location)
        summary = plan_counts(plan)
        for key, tile in self.tiles.items():
            tile.set_value(summary[key])

    def counts(self) -> dict[str, int]:
        """The numbers on display, by summary key."""
        return {
            key: int(tile.value_label.text().replace(",", "")) for key, tile in self.tiles.items()
        }
