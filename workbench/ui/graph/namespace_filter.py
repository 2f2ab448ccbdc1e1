"""A checklist of namespaces (with a find box) that chooses which ones the graph shows."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

_KEY_ROLE = Qt.ItemDataRole.UserRole


class NamespaceChecklist(QWidget):
    """Namespaces with workload counts; emits ``selection_changed`` shortly after edits."""

    selection_changed = Signal(object)  # frozenset[str] of namespace keys, or None for all

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self._emit)
        self.find_box = QLineEdit(self)
        self.find_box.setPlaceholderText("Find namespace")
        self.find_box.setClearButtonEnabled(True)
        self.find_box.textChanged.connect(self._filter_rows)
        self.list = QListWidget(self)
        self.list.setMinimumSize(280, 320)
        self.list.itemChanged.connect(lambda _item: self._debounce.start())
        all_button = QPushButton("All", self)
        all_button.clicked.connect(lambda: self._check_shown(True))
        none_button = QPushButton("None", self)
        none_button.clicked.connect(lambda: self._check_shown(False))
        buttons = QHBoxLayout()
        buttons.addWidget(all_button)
        buttons.addWidget(none_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.find_box)
        layout.addWidget(self.list)
        layout.addLayout(buttons)

    def set_namespaces(self, counts: dict[str, int], shown: frozenset[str] | None) -> None:
        """Fill the list; ``shown`` None checks every namespace."""
        self.list.blockSignals(True)
        self.list.clear()
        for key, count in counts.items():
            item = QListWidgetItem(f"{key}  ({count})")
            item.setData(_KEY_ROLE, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = shown is None or key in shown
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self._filter_rows(self.find_box.text())

    def checked(self) -> frozenset[str] | None:
        """The checked namespaces; None when all are checked."""
        keys = []
        every = True
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                keys.append(str(item.data(_KEY_ROLE)))
            else:
                every = False
        return None if every else frozenset(keys)

    def flush(self) -> None:
        """Emit a pending change now."""
        if self._debounce.isActive():
            self._debounce.stop()
            self._emit()

    def _emit(self) -> None:
        self.selection_changed.emit(self.checked())

    def _check_shown(self, on: bool) -> None:
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        self.list.blockSignals(True)
        for row in range(self.list.count()):
            item = self.list.item(row)
            if not item.isHidden():
                item.setCheckState(state)
        self.list.blockSignals(False)
        self._debounce.start()

    def _filter_rows(self, text: str) -> None:
        needle = text.strip().lower()
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setHidden(bool(needle) and needle not in item.text().lower())
