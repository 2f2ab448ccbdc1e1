"""A label that, when its room is too narrow, shows its text cut with an ellipsis."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QLabel


class ElidedLabel(QLabel):
    """A one-line label whose text ends in "…" where the label cuts it, so a cut word
    never reads as another ("Scenario: ba" for "base"). ``text()`` stays the full text
    (give it as the tooltip too where the cut part matters)."""

    def shown_text(self) -> str:
        """The text as the label shows it in its room now."""
        width = max(0, self.contentsRect().width())
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, width)

    def paintEvent(self, event: QPaintEvent) -> None:
        rect = self.contentsRect()
        shown = self.shown_text()
        painter = QPainter(self)
        try:
            self.style().drawItemText(
                painter,
                rect,
                int(self.alignment() | Qt.AlignmentFlag.AlignVCenter),
                self.palette(),
                self.isEnabled(),
                shown,
                QPalette.ColorRole.WindowText,
            )
        finally:
            painter.end()
