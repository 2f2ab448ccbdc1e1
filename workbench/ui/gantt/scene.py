"""The Gantt scene: builds the items from the plan and keeps them in step with edits.

A structural edit (waves, phases or activities added or removed, a wave expanded,
membership of an expanded wave) rebuilds the items; a date edit only moves the bars
it names, so dragging a wave stays cheap however large the estate is.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from PySide6.QtCore import QObject, QRect, QRectF, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QGraphicsScene

from workbench.domain.findings import Finding
from workbench.domain.plan import Baseline, Plan
from workbench.domain.planning.backlog_lanes import BacklogLane
from workbench.domain.planning.outputs import StrictDate
from workbench.ui.gantt import palette
from workbench.ui.gantt.backlog_lane import BacklogBar, lane_rect
from workbench.ui.gantt.items import (
    ActivityBar,
    GhostBar,
    MemberBar,
    Milestone,
    PhaseBand,
    PhaseBar,
    VerticalLine,
    WaveBar,
)
from workbench.ui.gantt.layout import Layout, date_range, layout_rows
from workbench.ui.gantt.time_axis import TimeAxis, Zoom

BAR_TOP = 4.0  # space between a wave row's top and its bar
BAR_BOTTOM = 10.0  # and below the bar, where a baseline's ghost bar shows
LEAD_DAYS = 21  # empty days shown before the first date
TAIL_DAYS = 75  # and after the last (room to drag waves later)
TODAY_REACH = timedelta(days=400)  # today widens the range only when it is this close
DAY = timedelta(days=1)


class GanttScene(QGraphicsScene):
    layout_changed = Signal()  # rebuilt: items placed beside the bars must be placed again
    cleared = Signal()  # every item was deleted: drop the references to items you added

    def __init__(self, today: date, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.plan = Plan()
        self.today = today
        self.zoom = Zoom.MONTHS
        self.axis = TimeAxis(today)
        self.layout = Layout()
        self.expanded: set[str] = set()
        self.baseline: Baseline | None = None
        self.first = self.last = today
        self.rebuilding = False
        self.bars: dict[str, WaveBar] = {}
        self.ghosts: dict[str, GhostBar] = {}
        self.members: dict[str, MemberBar] = {}
        self.activity_bars: dict[str, ActivityBar] = {}
        self.milestones: list[Milestone] = []
        self.strict_line: VerticalLine | None = None
        self.today_line: VerticalLine | None = None
        self._findings: dict[str, list[Finding]] = {}
        self._strict: tuple[dict[str, StrictDate], date | None] = ({}, None)
        self.backlog: tuple[BacklogLane, ...] = ()
        self.backlog_bars: dict[str, BacklogBar] = {}

    # -- building -----------------------------------------------------------------------
    def clear(self) -> None:
        super().clear()
        self.cleared.emit()

    def set_plan(self, plan: Plan) -> None:
        self.plan = plan
        self.expanded &= {w.id for w in plan.schedule.waves}
        self.baseline = None
        self.rebuild()

    def set_zoom(self, zoom: Zoom) -> None:
        self.zoom = zoom
        self.rebuild()

    def _range(self) -> tuple[date, date]:
        span = date_range(self.plan)
        first, last = span if span else (self.today, self.today + timedelta(days=180))
        if first - TODAY_REACH <= self.today <= last + TODAY_REACH:
            first, last = min(first, self.today), max(last, self.today)
        first -= timedelta(days=LEAD_DAYS)
        return first.replace(day=1), last + timedelta(days=TAIL_DAYS)

    def rebuild(self) -> None:
        """Recreate every item from the plan (structure, range or zoom changed)."""
        selected = {i.wave_id for i in self.bars.values() if i.isSelected()}
        selected |= {i.key for i in self.members.values() if i.isSelected()}
        self.rebuilding = True  # selection signals during the rebuild name deleted items
        self.clear()
        self.bars, self.ghosts, self.members, self.activity_bars = {}, {}, {}, {}
        self.backlog_bars = {}
        self.milestones, self.strict_line, self.today_line = [], None, None
        self.first, self.last = self._range()
        self.axis = TimeAxis(self.first, self.zoom)
        self.layout = layout_rows(self.plan, self.expanded, self.backlog)
        height = self.layout.height + 8
        self.setSceneRect(QRectF(0, 0, self.axis.end_x(self.last), height))
        sched = self.plan.schedule
        phases = {p.id: p for p in sched.phases}
        for index, phase_id, y0, y1 in self.layout.groups:
            phase = phases.get(phase_id)
            if phase is None:
                continue
            band = PhaseBand(phase_id, palette.band_brush(index))
            band.set_rect(self._span(phase.start, phase.end, y0, y1 - y0))
            self.addItem(band)
        activities = {a.id: a for a in sched.activities}
        for row in self.layout.rows:
            if row.kind == "phase" and row.key in phases:
                p = phases[row.key]
                bar = PhaseBar(p.id, f"{p.name}  ·  {p.start:%d %b} – {p.end:%d %b %Y}")
                bar.set_rect(self._span(p.start, p.end, row.top + 1, row.height - 2))
                self.addItem(bar)
            elif row.kind == "backlog-lane":
                lane = next(b for b in self.backlog if b.namespace == row.key)
                x0, x1 = self.axis.x_of(self.first), self.axis.end_x(self.last)
                lane_bar = BacklogBar(lane)
                lane_bar.set_rect(lane_rect(x0, x1, row.top, row.height))
                self.backlog_bars[lane.namespace] = lane_bar
                self.addItem(lane_bar)
            elif row.kind == "activity":
                a = activities[row.key]
                act = ActivityBar(a.id, a.name)
                act.set_rect(self._span(a.start, a.end, row.top + 4, row.height - 8))
                self.activity_bars[a.id] = act
                self.addItem(act)
        for wave in sched.waves:
            wave_bar = WaveBar(wave.id)
            self.bars[wave.id] = wave_bar
            self.addItem(wave_bar)
            if wave.id in self.expanded:
                for key in wave.members:
                    member = MemberBar(key, wave.id)
                    self.members[key] = member
                    self.addItem(member)
        for wave_id, wave_bar in self.bars.items():
            wave_bar.setSelected(wave_id in selected)
        for key, member in self.members.items():
            member.setSelected(key in selected)
        self._place_today()
        self.refresh_waves(self.bars)
        self.show_baseline(self.baseline)
        self.set_findings(self._findings)
        self.set_strict(*self._strict)
        # The background draws the phase separators: repaint all of it, or lines of the
        # old layout stay on screen where no item changed.
        self.invalidate(self.sceneRect(), QGraphicsScene.SceneLayer.BackgroundLayer)
        self.update()
        self.rebuilding = False
        self.selectionChanged.emit()
        self.layout_changed.emit()

    def _span(self, start: date, end: date, top: float, height: float) -> QRectF:
        x0 = self.axis.x_of(start)
        return QRectF(x0, top, max(self.axis.end_x(end) - x0, 2.0), height)

    def _place_today(self) -> None:
        if not self.first <= self.today <= self.last:
            return
        line = VerticalLine("today", self.today, f"Today, {self.today:%d %b %Y}")
        x = self.axis.x_of(self.today)
        line.set_rect(QRectF(x, 0, 0.5, self.layout.height))
        self.today_line = line
        self.addItem(line)

    def set_backlog(self, lanes: tuple[BacklogLane, ...]) -> None:
        """Show the remediation backlog's lanes under the waves (rebuilds when they change)."""
        if lanes != self.backlog:
            self.backlog = lanes
            self.rebuild()

    # -- incremental ----------------------------------------------------------------------
    def needs_rebuild(self) -> bool:
        """Whether the rows no longer match the plan, or a wave left the shown range.
        The backlog's rows are left out: :meth:`set_backlog` rebuilds when they change."""
        if layout_rows(self.plan, self.expanded).signature() != self.layout.plan_signature():
            return True
        first, last = self.first, self.last
        return any(w.start < first or w.end > last for w in self.plan.schedule.waves)

    def refresh_waves(self, wave_ids: Iterable[str]) -> None:
        """Move and relabel the bars (and member rows) of these waves."""
        sched = self.plan.schedule
        for wave_id in wave_ids:
            bar = self.bars.get(wave_id)
            row = self.layout.waves.get(wave_id)
            if bar is None or row is None or not sched.has_wave(wave_id):
                continue
            wave = sched.wave(wave_id)
            n = len(wave.members)
            text = f"{wave.name}  ·  {n}" + ("  ·  STRICT" if wave.mtls == "STRICT" else "")
            bar.set_state(text, wave.mode, wave.mtls == "STRICT")
            bar.set_rect(
                self._span(
                    wave.start, wave.end, row.top + BAR_TOP, row.height - BAR_TOP - BAR_BOTTOM
                )
            )
            if wave_id in self.expanded:
                for key in wave.members:
                    member = self.members.get(key)
                    mrow = self.layout.members.get(key)
                    if member is not None and mrow is not None:
                        member.set_rect(
                            self._span(wave.start, wave.end, mrow.top + 3, mrow.height - 6)
                        )

    # -- overlays -------------------------------------------------------------------------
    def set_findings(
        self, by_wave: dict[str, list[Finding]], waves: Iterable[str] | None = None
    ) -> None:
        self._findings = by_wave
        for wave_id in self.bars if waves is None else waves:
            bar = self.bars.get(wave_id)
            if bar is not None:
                bar.marker.set_findings(by_wave.get(wave_id, []))

    def show_baseline(self, baseline: Baseline | None) -> None:
        for ghost in self.ghosts.values():
            self.removeItem(ghost)
        self.ghosts = {}
        self.baseline = baseline
        if baseline is None:
            return
        for wave_id, (start, end) in baseline.waves.items():
            row = self.layout.waves.get(wave_id)
            if row is None:
                continue
            ghost = GhostBar(wave_id)
            ghost.set_rect(self._span(start, end, row.bottom - BAR_BOTTOM + 1, BAR_BOTTOM - 3))
            ghost.setToolTip(f"{baseline.name}: {start:%d %b %Y} – {end:%d %b %Y}")
            self.ghosts[wave_id] = ghost
            self.addItem(ghost)

    def set_strict(self, dates: dict[str, StrictDate], mesh_wide: date | None) -> None:
        """Namespace STRICT dates as diamonds; the mesh-wide milestone as a line."""
        self._strict = (dates, mesh_wide)
        for item in self.milestones:
            self.removeItem(item)
        if self.strict_line is not None:
            self.removeItem(self.strict_line)
        self.milestones, self.strict_line = [], None
        if not self.layout.rows:
            return
        by_day: dict[date, list[str]] = {}
        for ns, d in dates.items():
            if d.date is not None and not d.already:
                by_day.setdefault(d.date, []).append(ns)
        row = self.layout.rows[0]
        size = row.height - 8
        for day, namespaces in sorted(by_day.items()):
            self._milestone(Milestone(day, namespaces), row.centre, size)
        if mesh_wide is not None:
            self._milestone(Milestone(mesh_wide, [], mesh_wide=True), row.centre, size + 4)
            tip = f"Mesh-wide STRICT mTLS from {mesh_wide:%d %b %Y}"
            line = VerticalLine("strict", mesh_wide, tip)
            x = self.axis.end_x(mesh_wide)
            line.set_rect(QRectF(x, row.bottom, 0.5, self.layout.height - row.bottom))
            self.strict_line = line
            self.addItem(line)

    def _milestone(self, item: Milestone, y: float, size: float) -> None:
        x = self.axis.end_x(item.day)
        item.set_rect(QRectF(x - size / 2, y - size / 2, size, size))
        self.milestones.append(item)
        self.addItem(item)

    # -- painting -------------------------------------------------------------------------
    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        rect = QRectF(rect)
        painter.fillRect(rect, palette.BACKGROUND)
        first = self.axis.date_at(rect.left())
        last = self.axis.date_at(rect.right()) + DAY
        top, bottom = rect.top(), rect.bottom()
        painter.setPen(palette.GRID_PEN)
        for tick in self.axis.minor_ticks(first, last):
            painter.drawLine(int(tick.x), int(top), int(tick.x), int(bottom))
        painter.setPen(palette.GRID_MAJOR_PEN)
        for tick in self.axis.major_ticks(first, last):
            painter.drawLine(int(tick.x), int(top), int(tick.x), int(bottom))
        for _, _, _, y1 in self.layout.groups:
            if top <= y1 <= bottom:
                painter.drawLine(int(rect.left()), int(y1), int(rect.right()), int(y1))
