"""The chart's view: mouse and keyboard editing of waves, dropping workloads on waves.

* Drag a wave bar to move it, drag an end grip to resize it; the dates snap to the
  axis' unit (days, or weeks when zoomed out) and every step is applied as a merging
  reschedule command, so the drag is one undo step and everything follows it live.
* Ctrl-click adds or removes a bar from the selection; dragging a selected bar moves
  every selected wave; dragging on empty space draws a selection rectangle.
* Left/Right move the selected waves by one snap unit; with Shift they change the end.
* Workloads dropped on a wave's row (from the inventory, or a member row of another
  wave) are assigned to that wave.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, Signal
from PySide6.QtGui import (
    QDrag,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QMouseEvent,
    QResizeEvent,
)
from PySide6.QtWidgets import QApplication, QGraphicsItem, QGraphicsView, QWidget

from workbench.domain.commands import AssignWorkloads
from workbench.domain.errors import WorkbenchError
from workbench.ui.document import PlanDocument
from workbench.ui.gantt import palette
from workbench.ui.gantt.coverage import COVERAGE_HEIGHT, CoverageStrip
from workbench.ui.gantt.items import MemberBar, WaveBar
from workbench.ui.gantt.live import reschedule_command
from workbench.ui.gantt.rulers import HEADER_HEIGHT, LABEL_WIDTH, RowHeader, TimeHeader
from workbench.ui.gantt.scene import GanttScene
from workbench.ui.mime import has_workloads, workload_keys, workloads_mime


@dataclass(slots=True)
class _Drag:
    zone: str  # "body", "start" or "end"
    press_x: float
    originals: dict[str, tuple[date, date]]
    applied: int = 0


def shifted(zone: str, original: tuple[date, date], days: int) -> tuple[date, date]:
    """New dates of a wave moved (``body``) or resized (``start``/``end``) by ``days``."""
    start, end = original
    delta = timedelta(days=days)
    if zone == "start":
        return min(start + delta, end), end
    if zone == "end":
        return start, max(end + delta, start)
    return start + delta, end + delta


class GanttCanvas(QGraphicsView):
    message = Signal(str)  # a short note for the status line (an edit that was refused)
    drag_started = Signal()
    edit_finished = Signal()  # a drag ended, a nudge or a drop was applied

    def __init__(
        self, document: PlanDocument, scene: GanttScene, parent: QWidget | None = None
    ) -> None:
        super().__init__(scene, parent)
        self.document = document
        self.gantt = scene
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setViewportMargins(LABEL_WIDTH, HEADER_HEIGHT, 0, COVERAGE_HEIGHT)
        self.time_header = TimeHeader(self)
        self.row_header = RowHeader(self)
        self.coverage = CoverageStrip(self)
        self._drag: _Drag | None = None
        self._member_press: tuple[QPointF, MemberBar] | None = None
        self._drop_bar: WaveBar | None = None
        scene.selectionChanged.connect(self.row_header.update)
        scene.layout_changed.connect(self._refresh_margins)
        palette.follow_theme()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # the theme changed
            palette.follow_theme()
            self.gantt.invalidate()
            self.viewport().update()
            self._refresh_margins()

    # -- margins ------------------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        vp = self.viewport().geometry()
        self.time_header.setGeometry(vp.left(), vp.top() - HEADER_HEIGHT, vp.width(), HEADER_HEIGHT)
        self.row_header.setGeometry(vp.left() - LABEL_WIDTH, vp.top(), LABEL_WIDTH, vp.height())
        self.coverage.setGeometry(
            vp.left() - LABEL_WIDTH, vp.bottom() + 1, vp.width() + LABEL_WIDTH, COVERAGE_HEIGHT
        )

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        if dx:
            self.time_header.update()
            self.coverage.update()
        if dy:
            self.row_header.update()

    def _refresh_margins(self) -> None:
        self.time_header.update()
        self.row_header.update()
        self.coverage.update()

    def scroll_to(self, day: date) -> None:
        """Bring ``day`` to the left third of the chart."""
        x = self.gantt.axis.x_of(day) - self.viewport().width() / 3
        self.horizontalScrollBar().setValue(max(0, int(x)))

    # -- hit testing ----------------------------------------------------------------------------
    def _item_at(self, pos: QPoint) -> QGraphicsItem | None:
        for item in self.items(pos):
            if isinstance(item, (WaveBar, MemberBar)):
                return item
            parent = item.parentItem()
            if isinstance(parent, WaveBar):
                return parent
        return None

    def wave_bar_at(self, pos: QPoint) -> WaveBar | None:
        """The wave whose row is under ``pos`` (anywhere along the row)."""
        item = self._item_at(pos)
        if isinstance(item, WaveBar):
            return item
        row = self.gantt.layout.row_at(self.mapToScene(pos).y())
        if row is None:
            return None
        if row.kind == "wave":
            return self.gantt.bars.get(row.key)
        if row.kind == "member":
            wave_id = self.document.plan.schedule.wave_of(row.key)
            return self.gantt.bars.get(wave_id) if wave_id else None
        return None

    def selected_waves(self) -> list[str]:
        return [w for w, bar in self.gantt.bars.items() if bar.isSelected()]

    # -- mouse ----------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        item = self._item_at(event.position().toPoint())
        if event.button() != Qt.MouseButton.LeftButton or item is None:
            super().mousePressEvent(event)
            return
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if ctrl:
            item.setSelected(not item.isSelected())
            return
        if not item.isSelected():
            self.gantt.clearSelection()
            item.setSelected(True)
        self.setFocus()
        if isinstance(item, MemberBar):
            self._member_press = (event.position(), item)
            return
        assert isinstance(item, WaveBar)
        zone = item.hit_zone(self.mapToScene(event.position().toPoint()).x())
        ids = [item.wave_id] if zone != "body" else self.selected_waves()
        sched = self.document.plan.schedule
        originals = {w: (sched.wave(w).start, sched.wave(w).end) for w in ids}
        self._drag = _Drag(zone, event.position().x(), originals)
        self.drag_started.emit()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag is not None:
            self._drag_to(event.position().x())
            return
        if self._member_press is not None:
            start, member = self._member_press
            if (event.position() - start).manhattanLength() >= QApplication.startDragDistance():
                self._member_press = None
                self._drag_members_out(member)
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag is not None:
            self._drag_to(event.position().x())
            self._drag = None
            self.edit_finished.emit()
            return
        self._member_press = None
        super().mouseReleaseEvent(event)

    def _drag_to(self, x: float) -> None:
        drag = self._drag
        assert drag is not None
        days = self.gantt.axis.days_for(x - drag.press_x)
        if days == drag.applied:
            return
        dates = {w: shifted(drag.zone, d, days) for w, d in drag.originals.items()}
        if self._execute_dates(dates):
            drag.applied = days

    def _execute_dates(self, dates: dict[str, tuple[date, date]]) -> bool:
        try:
            self.document.execute(reschedule_command(dates))
        except WorkbenchError as exc:
            self.message.emit(str(exc))
            return False
        return True

    def _drag_members_out(self, member: MemberBar) -> None:
        keys = [m.key for m in self.gantt.members.values() if m.isSelected()] or [member.key]
        drag = QDrag(self)
        drag.setMimeData(workloads_mime(keys))
        drag.exec(Qt.DropAction.MoveAction)

    # -- keyboard -------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        waves = self.selected_waves()
        if key not in (Qt.Key.Key_Left, Qt.Key.Key_Right) or not waves:
            super().keyPressEvent(event)
            return
        unit = self.gantt.axis.snap_days * (-1 if key == Qt.Key.Key_Left else 1)
        zone = "end" if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else "body"
        sched = self.document.plan.schedule
        dates = {w: shifted(zone, (sched.wave(w).start, sched.wave(w).end), unit) for w in waves}
        self._execute_dates(dates)
        self.edit_finished.emit()

    # -- dropping workloads ---------------------------------------------------------------------
    def _set_drop_bar(self, bar: WaveBar | None) -> None:
        if self._drop_bar is not None and self._drop_bar is not bar:
            self._drop_bar.set_drop_target(False)
        self._drop_bar = bar
        if bar is not None:
            bar.set_drop_target(True)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if has_workloads(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if not has_workloads(event.mimeData()):
            event.ignore()
            return
        bar = self.wave_bar_at(event.position().toPoint())
        self._set_drop_bar(bar)
        if bar is None:
            event.ignore()
        else:
            event.acceptProposedAction()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._set_drop_bar(None)

    def dropEvent(self, event: QDropEvent) -> None:
        bar = self.wave_bar_at(event.position().toPoint())
        self._set_drop_bar(None)
        plan = self.document.plan
        keys = [
            k
            for k in workload_keys(event.mimeData())
            if k in plan.inventory.workloads
            and bar is not None
            and plan.schedule.wave_of(k) != bar.wave_id
        ]
        if bar is None or not keys:
            event.ignore()
            return
        try:
            self.document.execute(AssignWorkloads(keys, bar.wave_id))
        except WorkbenchError as exc:
            self.message.emit(str(exc))
            event.ignore()
            return
        event.acceptProposedAction()
        self.edit_finished.emit()
