"""The Gantt chart's graphics items: bands, bars, markers, lines and milestones.

Every item paints with the shared pens and brushes of :mod:`palette`; geometry comes
from the scene, which maps dates through the time axis.
"""

from __future__ import annotations

import html
from collections import Counter
from datetime import date
from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsSceneHoverEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from workbench.domain.findings import SEVERITY_RANK, Finding
from workbench.domain.planning.catalogue import RULES
from workbench.ui.gantt import palette

HANDLE_PX = 7.0  # width of the resize grips at either end of a wave bar
MARKER_SIZE = 16.0
RULE_TITLES = {r.id: r.title for r in RULES}
TOOLTIP_RULES = 6  # rules listed in a marker's tooltip; the rest are counted


@cache
def font_of(size: float, bold: bool = False) -> QFont:
    return palette.font(size, bold)


class BoxItem(QGraphicsItem):
    """An item occupying one rectangle (in scene coordinates, set by the scene)."""

    def __init__(self, rect: QRectF | None = None) -> None:
        super().__init__()
        self._rect = rect or QRectF()

    def rect(self) -> QRectF:
        return QRectF(self._rect)

    def set_rect(self, rect: QRectF) -> None:
        if rect != self._rect:
            self.prepareGeometryChange()
            self._rect = QRectF(rect)

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-2, -2, 2, 2)


class PhaseBand(BoxItem):
    """The phase's dates as a tinted band behind the phase's rows."""

    def __init__(self, phase_id: str, brush: QBrush) -> None:
        super().__init__()
        self.phase_id = phase_id
        self._brush = brush
        self.setZValue(-10)

    def paint(self, p: QPainter, o: QStyleOptionGraphicsItem, w: QWidget | None = None) -> None:
        p.setPen(palette.NO_PEN)
        p.setBrush(self._brush)
        p.drawRect(self._rect)


def _elided_label(p: QPainter, rect: QRectF, text: str, inside_pen: QPen, gap: float = 0.0) -> None:
    """Draw ``text`` inside the bar when it fits, else just right of it."""
    metrics = QFontMetricsF(p.font())
    width = metrics.horizontalAdvance(text)
    if width + 12 <= rect.width() or rect.width() >= 90:
        p.setPen(inside_pen)
        inside = rect.adjusted(6, 0, -4, 0)
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, inside.width())
        p.drawText(inside, Qt.AlignmentFlag.AlignVCenter, shown)
    else:
        p.setPen(palette.TEXT_PEN)
        right = QRectF(rect.right() + 6 + gap, rect.top(), width + 8, rect.height())
        p.drawText(right, Qt.AlignmentFlag.AlignVCenter, text)


class PhaseBar(BoxItem):
    """A summary bar in the phase row, with end caps and the phase name."""

    def __init__(self, phase_id: str, name: str) -> None:
        super().__init__()
        self.phase_id = phase_id
        self.name = name

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-6, -2, 400, 6)

    def paint(self, p: QPainter, o: QStyleOptionGraphicsItem, w: QWidget | None = None) -> None:
        r = self._rect
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(palette.NO_PEN)
        p.setBrush(palette.PHASE_BAR_BRUSH)
        bar = QRectF(r.left(), r.bottom() - 9, r.width(), 5)
        p.drawRect(bar)
        for x in (r.left(), r.right()):
            p.drawPolygon(
                QPolygonF([QPointF(x - 4, bar.bottom()), QPointF(x + 4, bar.bottom()),
                           QPointF(x, bar.bottom() + 5)])
            )  # fmt: skip
        p.setFont(font_of(8.5, True))
        p.setPen(palette.TEXT_PEN)
        label = QRectF(r.left() + 2, r.top(), 400, bar.top() - r.top() - 1)
        p.drawText(label, Qt.AlignmentFlag.AlignBottom, self.name)


class ActivityBar(BoxItem):
    def __init__(self, activity_id: str, name: str) -> None:
        super().__init__()
        self.activity_id = activity_id
        self.name = name

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-2, -2, 300, 2)

    def paint(self, p: QPainter, o: QStyleOptionGraphicsItem, w: QWidget | None = None) -> None:
        p.setPen(palette.NO_PEN)
        p.setBrush(palette.ACTIVITY_BRUSH)
        p.drawRoundedRect(self._rect, 3, 3)
        p.setFont(font_of(8.0))
        _elided_label(p, self._rect, self.name, palette.TEXT_PEN)


class WaveBar(BoxItem):
    """A wave: drag the body to move it, an end grip to resize it."""

    def __init__(self, wave_id: str) -> None:
        super().__init__()
        self.wave_id = wave_id
        self.text = wave_id
        self.mode = "sidecar"
        self.strict = False
        self.drop_target = False
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        self.setZValue(5)
        self.marker = ViolationMarker(self)
        self.marker.setVisible(False)

    def set_state(self, text: str, mode: str, strict: bool) -> None:
        if (text, mode, strict) != (self.text, self.mode, self.strict):
            self.text, self.mode, self.strict = text, mode, strict
            self.update()

    def set_rect(self, rect: QRectF) -> None:
        super().set_rect(rect)
        self.marker.setPos(rect.right() + 4, rect.center().y() - MARKER_SIZE / 2)

    def set_drop_target(self, on: bool) -> None:
        if on != self.drop_target:
            self.drop_target = on
            self.update()

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-3, -3, 420, 3)  # room for a label beside the bar

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(self._rect)
        return path

    def hit_zone(self, scene_x: float) -> str:
        """Which part a press at ``scene_x`` grabs: "start", "end" or "body"."""
        r = self._rect
        grip = min(HANDLE_PX, r.width() / 3)
        if scene_x <= r.left() + grip:
            return "start"
        if scene_x >= r.right() - grip:
            return "end"
        return "body"

    def paint(self, p: QPainter, o: QStyleOptionGraphicsItem, w: QWidget | None = None) -> None:
        r = self._rect
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.drop_target:
            p.setPen(palette.DROP_PEN)
        elif self.isSelected():
            p.setPen(palette.SELECTED_PEN)
        elif self.strict:
            p.setPen(palette.STRICT_OUTLINE_PEN)
        else:
            p.setPen(palette.BAR_OUTLINE_PEN)
        p.setBrush(palette.AMBIENT_BRUSH if self.mode == "ambient" else palette.SIDECAR_BRUSH)
        p.drawRoundedRect(r, 4, 4)
        if self.isSelected() and r.width() > 3 * HANDLE_PX:
            p.setPen(palette.HANDLE_PEN)
            for x in (r.left() + 3.5, r.right() - 3.5):
                p.drawLine(QPointF(x, r.top() + 6), QPointF(x, r.bottom() - 6))
        p.setFont(font_of(8.5, True))
        gap = MARKER_SIZE + 4 if self.marker.isVisible() else 0.0
        _elided_label(p, r, self.text, palette.WHITE_TEXT_PEN, gap)


def describe_findings(findings: list[Finding]) -> str:
    """Rich-text tooltip: per rule, its title, a count, one example, why and the fix."""
    by_rule: dict[str, list[Finding]] = {}
    for f in sorted(findings, key=Finding.sort_key):
        by_rule.setdefault(f.rule, []).append(f)
    parts = []
    for rule, found in list(by_rule.items())[:TOOLTIP_RULES]:
        first = found[0]
        count = f" ×{len(found)}" if len(found) > 1 else ""
        title = RULE_TITLES.get(rule, rule)
        parts.append(
            f"<p><b>{rule} · {html.escape(title)}</b>{count} <i>({first.severity})</i><br>"
            f"{html.escape(first.message)}<br><b>Why:</b> {html.escape(first.why)}<br>"
            f"<b>Fix:</b> {html.escape(first.fix)}</p>"
        )
    rest = len(by_rule) - TOOLTIP_RULES
    if rest > 0:
        parts.append(f"<p>… and {rest} more rule(s)</p>")
    return "<qt>" + "".join(parts) + "</qt>"


class ViolationMarker(QGraphicsItem):
    """A round badge right of a wave bar: the worst severity's colour and the count."""

    def __init__(self, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        self.findings: list[Finding] = []
        self.severity = "info"
        self._tip_stale = False
        self.setZValue(6)
        self.setAcceptHoverEvents(True)

    def set_findings(self, findings: list[Finding]) -> None:
        if findings == self.findings:
            return
        self.findings = list(findings)
        if findings:
            self.severity = min((f.severity for f in findings), key=SEVERITY_RANK.__getitem__)
            self._tip_stale = True  # written when the pointer comes near
        if self.isVisible() != bool(findings):
            self.setVisible(bool(findings))
            parent = self.parentItem()
            if parent is not None:
                parent.update()
        self.update()

    def tooltip_text(self) -> str:
        """The tooltip (rule, explanation and fix per rule), brought up to date."""
        if self._tip_stale:
            self.setToolTip(describe_findings(self.findings))
            self._tip_stale = False
        return self.toolTip()

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self.tooltip_text()
        super().hoverEnterEvent(event)

    def rules(self) -> Counter[str]:
        return Counter(f.rule for f in self.findings)

    def boundingRect(self) -> QRectF:
        return QRectF(-1, -1, MARKER_SIZE + 2, MARKER_SIZE + 2)

    def paint(self, p: QPainter, o: QStyleOptionGraphicsItem, w: QWidget | None = None) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(palette.NO_PEN)
        p.setBrush(palette.SEVERITY_BRUSHES[self.severity])
        p.drawEllipse(QRectF(0, 0, MARKER_SIZE, MARKER_SIZE))
        p.setPen(palette.WHITE_TEXT_PEN)
        p.setFont(font_of(7.5 if len(self.findings) > 9 else 8.5, True))
        text = "!" if len(self.findings) == 1 else str(min(len(self.findings), 99))
        p.drawText(QRectF(0, 0, MARKER_SIZE, MARKER_SIZE), Qt.AlignmentFlag.AlignCenter, text)


class GhostBar(BoxItem):
    """Where a wave was in the shown baseline."""

    def __init__(self, wave_id: str) -> None:
        super().__init__()
        self.wave_id = wave_id
        self.setZValue(2)

    def paint(self, p: QPainter, o: QStyleOptionGraphicsItem, w: QWidget | None = None) -> None:
        p.setPen(palette.GHOST_PEN)
        p.setBrush(palette.GHOST_BRUSH)
        p.drawRoundedRect(self._rect, 3, 3)


class MemberBar(BoxItem):
    """A member workload of an expanded wave: drag it onto another wave to move it."""

    def __init__(self, key: str, wave_id: str) -> None:
        super().__init__()
        self.key = key
        self.wave_id = wave_id
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setZValue(4)

    def paint(self, p: QPainter, o: QStyleOptionGraphicsItem, w: QWidget | None = None) -> None:
        p.setPen(palette.SELECTED_PEN if self.isSelected() else palette.NO_PEN)
        p.setBrush(palette.MEMBER_BRUSH)
        p.drawRoundedRect(self._rect, 2, 2)


class VerticalLine(BoxItem):
    """A full-height line: the today line or the mesh-wide STRICT milestone."""

    def __init__(self, kind: str, day: date, tooltip: str) -> None:
        super().__init__()
        self.kind = kind
        self.day = day
        self.setToolTip(tooltip)
        self.setZValue(8)

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-3, 0, 3, 0)

    def paint(self, p: QPainter, o: QStyleOptionGraphicsItem, w: QWidget | None = None) -> None:
        p.setPen(palette.TODAY_PEN if self.kind == "today" else palette.STRICT_PEN)
        x = self._rect.left()
        p.drawLine(QPointF(x, self._rect.top()), QPointF(x, self._rect.bottom()))


class Milestone(BoxItem):
    """A diamond on the milestone row: namespaces that may go STRICT from that day."""

    def __init__(self, day: date, namespaces: list[str], mesh_wide: bool = False) -> None:
        super().__init__()
        self.day = day
        self.namespaces = namespaces
        self.mesh_wide = mesh_wide
        self.setZValue(9)
        if mesh_wide:
            text = f"Mesh-wide STRICT mTLS safe from {day:%d %b %Y}"
        else:
            shown = "<br>".join(html.escape(n) for n in namespaces[:12])
            more = f"<br>… and {len(namespaces) - 12} more" if len(namespaces) > 12 else ""
            text = (
                f"<b>STRICT safe from {day:%d %b %Y}</b> for {len(namespaces)} "
                f"namespace(s):<br>{shown}{more}"
            )
        self.setToolTip(text)

    def paint(self, p: QPainter, o: QStyleOptionGraphicsItem, w: QWidget | None = None) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = self._rect
        c = r.center()
        h = r.height() / 2
        p.setPen(palette.NO_PEN)
        p.setBrush(palette.STRICT_BRUSH if self.mesh_wide else palette.SEVERITY_BRUSHES["low"])
        p.drawPolygon(
            QPolygonF([QPointF(c.x(), c.y() - h), QPointF(c.x() + h, c.y()),
                       QPointF(c.x(), c.y() + h), QPointF(c.x() - h, c.y())])
        )  # fmt: skip
