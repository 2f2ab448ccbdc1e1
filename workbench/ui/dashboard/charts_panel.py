"""The dashboard's charts: figures of :mod:`workbench.charts`, shown as pictures.

Each chart sits in a :class:`ChartSlot` that holds what it draws, as plain data
(:class:`~workbench.charts.chart_data.ChartData`); the chart is drawn again at the
slot's size when the data changes, when the slot has been resized (so the builders lay
out labels for the room they really have) and when the theme changes (charts draw in
the theme's palette). A plan without costs and benefits, or without workloads in waves,
shows what is missing instead of axes of zeros.

The charts are drawn in the chart worker, a process of their own
(:mod:`.chart_renderer`), one at a time: an edit of an assumption or the first look at
the dashboard never holds the window for matplotlib. Pixels drawn for data that has
changed since are dropped, and the newest data is drawn next. If the worker cannot
draw, the charts are drawn in the window's process instead, spread over turns of the
event loop: the plotting library loads a module a turn (:mod:`.chart_imports`), then a
chart's figure is built in one turn and rendered in the next. Either way only charts on
screen are drawn (those of a hidden page when it is shown again). Until its first
picture a slot shows its title and a note, painted without matplotlib.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QGridLayout, QSizePolicy, QWidget

from workbench.charts.chart_data import ChartData, ChartPixels, ChartRequest, note
from workbench.domain.economics.montecarlo import MonteCarloResult
from workbench.ops.dashboard_charts import chart_data, monte_carlo_data
from workbench.ops.economics import EconomicsReport
from workbench.ui.dashboard.chart_imports import chart_imports
from workbench.ui.dashboard.chart_renderer import image, renderer, warm_up
from workbench.ui.theme import chart_palette

if TYPE_CHECKING:
    from matplotlib.figure import Figure

log = logging.getLogger(__name__)

DPI = 100.0
# A chart is laid out for at least this many inches; a smaller slot draws it at a lower
# dpi (smaller text) rather than crowding labels into each other.
MIN_INCHES = (4.6, 2.7)
RESIZE_DELAY_MS = 150
DRAW_IN_WORKER = True  # charts are drawn in the chart worker (see ChartsPanel.in_worker)

# (key, title when there is nothing to show yet), in grid order: three columns.
CHARTS = (
    ("cashflow", "Cumulative cash flow"),
    ("cost_breakdown", "Costs by year"),
    ("tornado", "NPV sensitivity"),
    ("overhead", "Mesh overhead per wave"),
    ("sidecar_vs_ambient", "Sidecar vs ambient"),
    ("montecarlo", "NPV distribution (Monte Carlo)"),
)
COLUMNS = 3
COMPUTING = "Computing…"
DRAWING = "Drawing…"
NO_CASE = "No costs or benefits yet.\nAdd cost and benefit lines under Costs and Benefits below."
NO_OVERHEAD = "No workloads in waves yet.\nImport an estate and assign its workloads to waves."
CASE_CHARTS = ("cashflow", "cost_breakdown", "tornado", "montecarlo")
OVERHEAD_CHARTS = ("overhead", "sidecar_vs_ambient")


class ChartSlot(QWidget):
    """One chart: its data, the picture of it, and (drawn here) its figure."""

    wants_drawing = Signal()  # the chart has something new to draw

    def __init__(self, key: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.title = title
        self.setObjectName(f"chart:{key}")
        self.setMinimumSize(240, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.data: ChartData | None = None  # None: no data yet
        self.generation = 0  # counts changes of data and theme
        self._room = QSize()  # the size the chart is laid out for (settled after a resize)
        self._figure: Figure | None = None  # drawn here: in the window's process
        self._figure_for: tuple[int, QSize] | None = None  # (generation, room) of the figure
        self.picture: QImage | None = None
        self._drawn: tuple[int, QSize] | None = None  # (generation, room) of the picture
        self.builds = 0  # figures built in this process
        self.renders = 0  # pictures rendered in this process
        self.received = 0  # pictures drawn by the chart worker
        self._resize_timer = QTimer(self)
        self._resize_timer.setSingleShot(True)
        self._resize_timer.setInterval(RESIZE_DELAY_MS)
        self._resize_timer.timeout.connect(self._resized)

    # -- what to draw -------------------------------------------------------------------
    def set_data(self, data: ChartData) -> None:
        """Draw ``data`` from now on (in the panel's next turns); the same data as the
        chart shows keeps its picture."""
        if data.same_as(self.data):
            return
        self.data = data
        self.restyle()

    def restyle(self) -> None:
        """The chart must be drawn again (new data or a new theme)."""
        self.generation += 1
        self.update()  # the placeholder's colours, until the new picture
        if self.data is not None:
            self.wants_drawing.emit()

    @property
    def wanted(self) -> tuple[int, QSize]:
        """What the picture should show: this generation, laid out for this room."""
        return self.generation, QSize(self._room if self._room.isValid() else self.size())

    @property
    def needs_drawing(self) -> bool:
        return self.data is not None and self._drawn != self.wanted

    @property
    def pictures(self) -> int:
        """Pictures shown so far, drawn here or by the chart worker."""
        return self.renders + self.received

    @property
    def ready_to_draw(self) -> bool:
        """Something new to draw, on screen, and not in the middle of being resized."""
        resizing = self._resize_timer.isActive() and self.picture is not None
        return self.needs_drawing and self.isVisible() and not resizing

    # -- drawing ------------------------------------------------------------------------
    def layout_size(self) -> tuple[tuple[float, float], float]:
        """(size in inches, dpi) for a figure filling the slot's room."""
        room = self.wanted[1]
        w, h = max(room.width(), 240), max(room.height(), 180)
        dpi = min(DPI, w / MIN_INCHES[0], h / MIN_INCHES[1])
        return (w / dpi, h / dpi), dpi

    def request(self) -> ChartRequest:
        """The chart as it should be drawn now, for the chart worker."""
        size, dpi = self.layout_size()
        data = self.data if self.data is not None else note(self.title, COMPUTING)
        ratio = self.devicePixelRatioF() or 1.0
        return ChartRequest(self.key, data, self.title, size, dpi, ratio, chart_palette())

    def accept(self, wanted: tuple[int, QSize], pixels: ChartPixels) -> None:
        """Show pixels drawn for ``wanted``, unless the chart has changed since (older
        data or another theme: the newer one is drawn next)."""
        if wanted[0] == self.generation:
            self.picture = image(pixels)
            self._drawn = wanted
            self.received += 1
            self.update()

    def _build(self) -> Figure:
        from workbench.charts import dashboard

        wanted = self.wanted
        r = self.request()
        self._figure = dashboard.figure(r.data, r.title, r.palette, r.size, r.dpi, self._figure)
        self._figure_for = wanted
        self.builds += 1
        return self._figure

    def _render(self) -> None:
        from workbench.charts import dashboard

        wanted = self.wanted
        figure = self.figure  # built first if its turn has not come
        self.picture = image(dashboard.pixels(figure, self.devicePixelRatioF() or 1.0))
        self._drawn = wanted
        self.renders += 1
        self.update()

    def draw_step(self) -> None:
        """One turn's share of drawing here: build the figure, or else render its picture."""
        if self._figure_for != self.wanted:
            self._build()
        else:
            self._render()

    def rebuild(self) -> None:
        """Build and render the chart here, now, at the slot's size."""
        self._resize_timer.stop()
        self._room = QSize(self.size())
        self._build()
        self._render()

    @property
    def figure(self) -> Figure:
        """The chart's figure for its current data, built here now if need be."""
        if self._figure is None or self._figure_for != self.wanted:
            return self._build()
        return self._figure

    # -- events -------------------------------------------------------------------------
    def _resized(self) -> None:
        self._room = QSize(self.size())
        if self.needs_drawing:
            self.wants_drawing.emit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize() != event.size():
            self._resize_timer.start()
            if self.picture is None:
                self._room = QSize(event.size())  # nothing shown yet: no need to wait
                if self.data is not None:
                    self.wants_drawing.emit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.needs_drawing:
            self.wants_drawing.emit()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            self._paint(painter)
        finally:
            painter.end()

    def _paint(self, painter: QPainter) -> None:
        p = chart_palette()
        painter.fillRect(self.rect(), QColor(p.background))
        picture = self.picture
        if picture is not None:
            if picture.deviceIndependentSize().toSize() == self.size():
                painter.drawImage(0, 0, picture)
            else:  # resized: stretched until the chart is laid out for the new room
                painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
                painter.drawImage(QRectF(self.rect()), picture)
            return
        # Laid out like the placeholder figure: the title over the left of the axes.
        _, dpi = self.layout_size()
        w, h = self.width(), self.height()
        font = QFont(self.font())
        font.setBold(True)
        font.setPixelSize(max(8, round(11 / 72 * dpi)))
        painter.setFont(font)
        painter.setPen(QColor(p.foreground))
        title_box = QRectF(0.08 * w, 0.0, 0.86 * w, 0.13 * h)
        align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom
        painter.drawText(title_box, align, self.title)
        font.setBold(False)
        font.setPixelSize(max(8, round(9 / 72 * dpi)))
        painter.setFont(font)
        painter.setPen(QColor(p.muted))
        text = COMPUTING if self.data is None else DRAWING
        box = QRectF(0.08 * w, 0.14 * h, 0.86 * w, 0.76 * h)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)


class ChartsPanel(QWidget):
    """The six charts in a grid; fed with economics reports and Monte Carlo results,
    drawn in the chart worker a chart at a time (or here, a step a turn of the event
    loop, when :attr:`in_worker` is off or the worker cannot draw)."""

    def __init__(self, parent: QWidget | None = None, *, in_worker: bool | None = None) -> None:
        super().__init__(parent)
        self.slots = {key: ChartSlot(key, title, self) for key, title in CHARTS}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(8)
        for i, slot in enumerate(self.slots.values()):
            grid.addWidget(slot, i // COLUMNS, i % COLUMNS)
            slot.wants_drawing.connect(self._schedule)
        for c in range(COLUMNS):
            grid.setColumnStretch(c, 1)
        self.report: EconomicsReport | None = None
        self.empty: dict[str, str] = {}  # chart key -> the note shown instead of a chart
        self.in_worker = DRAW_IN_WORKER if in_worker is None else in_worker
        self.worker_error: str | None = None  # why the worker could not draw, if it failed
        self._in_flight: ChartSlot | None = None  # the chart the worker is drawing
        self._imports = chart_imports()
        self._turn = QTimer(self)  # a timer, not a posted call: other events run between
        self._turn.setSingleShot(True)
        self._turn.setInterval(0)
        self._turn.timeout.connect(self._draw_step)
        if self.in_worker:
            warm_up()  # the worker loads the plotting library while the figures compute

    @property
    def pending(self) -> bool:
        """A chart on screen still waits to be drawn."""
        return any(s.needs_drawing and s.isVisible() for s in self.slots.values())

    def _schedule(self) -> None:
        if not self._turn.isActive():
            self._turn.start()

    def draw_next(self) -> bool:
        """One turn's step, if any is due: in the worker, send the first chart on screen
        that waits (when none is being drawn there); here, load a module of the plotting
        library (from the first time the panel is shown), or else build or render one
        chart on screen. True when a step was taken here and another may follow."""
        if not self.isVisible():
            return False  # a slot asks again when it is shown
        if self.in_worker:
            if self._in_flight is None:
                self._send()
            return False  # the worker's answer asks for the next
        if not self._imports.done:
            self._imports.step()
            return True
        slot = self._first_waiting()
        if slot is None:
            return False  # a slot still being resized asks again when it settles
        slot.draw_step()
        return True

    def _first_waiting(self) -> ChartSlot | None:
        return next((s for s in self.slots.values() if s.ready_to_draw), None)

    def _send(self) -> None:
        slot = self._first_waiting()
        if slot is None:
            return
        self._in_flight = slot
        wanted = slot.wanted
        renderer().draw(
            slot.request(),
            self,
            lambda pixels: self._drawn(slot, wanted, pixels),
            self._failed,
        )

    def _drawn(self, slot: ChartSlot, wanted: tuple[int, QSize], pixels: ChartPixels) -> None:
        self._in_flight = None
        slot.accept(wanted, pixels)
        self._schedule()

    def _failed(self, error: BaseException) -> None:
        """The worker could not draw: the charts are drawn here from now on."""
        self._in_flight = None
        self.in_worker = False
        self.worker_error = str(error)
        log.warning("drawing charts in this process: the chart worker failed: %s", error)
        self._schedule()

    def _draw_step(self) -> None:
        if self.draw_next():
            self._turn.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._schedule()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # the theme changed
            for slot in self.slots.values():
                slot.restyle()

    def figure(self, key: str) -> Figure:
        return self.slots[key].figure

    def show_report(self, report: EconomicsReport) -> None:
        self.report = report
        self.empty = empty_charts(report)
        data = chart_data(report)
        for key, slot in self.slots.items():
            if key in self.empty:
                slot.set_data(note(slot.title, self.empty[key]))
            elif key != "montecarlo":  # that one follows with its own result
                slot.set_data(data[key])

    def show_monte_carlo(self, result: MonteCarloResult, currency: str) -> None:
        if "montecarlo" in self.empty:
            return  # nothing uncertain to draw: the note stays
        self.slots["montecarlo"].set_data(monte_carlo_data(result, currency))


def empty_charts(report: EconomicsReport) -> dict[str, str]:
    """The charts that would only show zeros for this report, with the note that says
    what is missing instead."""
    m = report.metrics
    empty = dict.fromkeys(CASE_CHARTS, NO_CASE) if not (m.total_cost or m.total_benefit) else {}
    overhead = report.overhead
    if not (overhead.monthly_cost or overhead.sidecar_cpu_m or overhead.ambient_cpu_m):
        empty.update(dict.fromkeys(OVERHEAD_CHARTS, NO_OVERHEAD))
    return empty
