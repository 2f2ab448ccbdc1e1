"""The dashboard's charts: matplotlib figures from :mod:`workbench.charts`, shown as pictures.

Each chart sits in a :class:`ChartSlot` that remembers how to build its figure; the
figure is rebuilt at the slot's size when the data changes, when the slot has been
resized (so the builders lay out labels for the room they really have) and when the
theme changes (charts draw in the theme's palette). A plan without costs and benefits,
or without workloads in waves, shows what is missing instead of axes of zeros.

Drawing is spread over turns of the event loop, so an edit of an assumption or the
first look at the dashboard never holds the window for all six charts at once: the
plotting library loads a module a turn (:mod:`.chart_imports`), then a chart's figure
is built in one turn and rendered in the next. Only charts on screen are drawn (those
of a hidden page when it is shown again), and a chart whose data changes again before
its turn draws the newest data only. Until its first picture a slot shows its title and
a note, painted without matplotlib.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QGridLayout, QSizePolicy, QWidget

from workbench.domain.economics.montecarlo import MonteCarloResult
from workbench.ops.economics import EconomicsReport
from workbench.ui.dashboard.chart_imports import chart_imports
from workbench.ui.dashboard.chart_inputs import report_inputs, same
from workbench.ui.theme import chart_palette

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from workbench.ui.dashboard.chart_figures import Builder

DPI = 100.0
# A chart is laid out for at least this many inches; a smaller slot draws it at a lower
# dpi (smaller text) rather than crowding labels into each other.
MIN_INCHES = (4.6, 2.7)
RESIZE_DELAY_MS = 150

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
    """One chart: its figure, built from the slot's builder, and the picture of it."""

    wants_drawing = Signal()  # the chart has something new to draw

    def __init__(self, key: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.title = title
        self.setObjectName(f"chart:{key}")
        self.setMinimumSize(240, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._builder: Builder | None = None  # None: no data yet
        self._inputs: tuple[object, ...] | None = None  # what the builder draws from
        self._figure: Figure | None = None
        self._figure_stale = False  # the builder or the room changed since the figure
        self._built_for = QSize()  # the slot's size the figure was laid out for
        self.picture: QImage | None = None
        self._picture_stale = False  # the figure changed since the picture
        self.builds = 0  # figures built
        self.renders = 0  # pictures rendered
        self._resize_timer = QTimer(self)
        self._resize_timer.setSingleShot(True)
        self._resize_timer.setInterval(RESIZE_DELAY_MS)
        self._resize_timer.timeout.connect(self._resized)

    # -- what to draw -------------------------------------------------------------------
    def set_builder(self, builder: Builder, inputs: tuple[object, ...] | None = None) -> None:
        """Draw ``builder``'s figure from now on (in the panel's next turns). With the
        ``inputs`` it draws from, the same inputs as the chart shows keep its picture."""
        unchanged = inputs is not None and self._builder is not None and same(inputs, self._inputs)
        self._builder = builder
        self._inputs = inputs
        if not unchanged:
            self.restyle()

    def restyle(self) -> None:
        """The figure must be built again (new data or a new theme)."""
        self.update()  # the placeholder's colours, until the new picture
        if self._builder is not None:
            self._figure_stale = True
            self.wants_drawing.emit()

    @property
    def needs_drawing(self) -> bool:
        return self._builder is not None and (self._figure_stale or self._picture_stale)

    @property
    def ready_to_draw(self) -> bool:
        """Something new to draw, on screen, and not in the middle of being resized."""
        resizing = self._resize_timer.isActive() and self.picture is not None
        return self.needs_drawing and self.isVisible() and not resizing

    # -- drawing ------------------------------------------------------------------------
    def layout_size(self) -> tuple[tuple[float, float], float]:
        """(size in inches, dpi) for a figure filling the slot."""
        w, h = max(self.width(), 240), max(self.height(), 180)
        dpi = min(DPI, w / MIN_INCHES[0], h / MIN_INCHES[1])
        return (w / dpi, h / dpi), dpi

    def _build(self) -> Figure:
        from workbench.ui.dashboard import chart_figures

        size, dpi = self.layout_size()
        builder = self._builder
        if builder is None:
            builder = _note(self.title, COMPUTING)
        self._figure = chart_figures.build(builder, self.title, size, dpi, self._figure)
        self._built_for = self.size()
        self._figure_stale = False
        self._picture_stale = True
        self.builds += 1
        return self._figure

    def _render(self) -> None:
        from workbench.ui.dashboard import chart_figures

        figure = self._figure if self._figure is not None else self._build()
        self.picture = chart_figures.picture(figure, self.devicePixelRatioF() or 1.0)
        self._picture_stale = False
        self.renders += 1
        self.update()

    def draw_step(self) -> None:
        """One turn's share of drawing: build the figure, or else render its picture."""
        if self._figure_stale or self._figure is None:
            self._build()
        else:
            self._render()

    def rebuild(self) -> None:
        """Build and render the chart now, at the slot's size."""
        self._resize_timer.stop()
        self._build()
        self._render()

    @property
    def figure(self) -> Figure:
        """The chart's figure for its current data, built now if its turn has not come."""
        if self._figure is None or self._figure_stale:
            return self._build()
        return self._figure

    # -- events -------------------------------------------------------------------------
    def _resized(self) -> None:
        if self._builder is not None and self.size() != self._built_for:
            self._figure_stale = True
        if self.needs_drawing:
            self.wants_drawing.emit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize() != event.size():
            self._resize_timer.start()
            if self.picture is None and self._builder is not None:
                self._figure_stale = True  # nothing shown yet: no need to wait
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
        note = COMPUTING if self._builder is None else DRAWING
        box = QRectF(0.08 * w, 0.14 * h, 0.86 * w, 0.76 * h)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, note)


def _note(title: str, note: str) -> Builder:
    def build(size: tuple[float, float], dpi: float) -> Figure:
        from workbench.ui.dashboard import chart_figures

        return chart_figures.placeholder(title, note, size, dpi)

    return build


class ChartsPanel(QWidget):
    """The six charts in a grid; fed with economics reports and Monte Carlo results,
    drawn a step a turn of the event loop."""

    def __init__(self, parent: QWidget | None = None) -> None:
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
        self._imports = chart_imports()
        self._turn = QTimer(self)  # a timer, not a posted call: other events run between
        self._turn.setSingleShot(True)
        self._turn.setInterval(0)
        self._turn.timeout.connect(self._draw_step)

    @property
    def pending(self) -> bool:
        """A chart on screen still waits to be drawn."""
        return any(s.needs_drawing and s.isVisible() for s in self.slots.values())

    def _schedule(self) -> None:
        if not self._turn.isActive():
            self._turn.start()

    def draw_next(self) -> bool:
        """One turn's step, if any is due: load a module of the plotting library (from
        the first time the panel is shown, while the figures are still being computed),
        or else build or render one chart on screen."""
        if not self.isVisible():
            return False  # a slot asks again when it is shown
        if not self._imports.done:
            self._imports.step()
            return True
        waiting = [s for s in self.slots.values() if s.ready_to_draw]
        if not waiting:
            return False  # a slot still being resized asks again when it settles
        waiting[0].draw_step()
        return True

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
        inputs = report_inputs(report)
        for key, slot in self.slots.items():
            if key in self.empty:
                note = self.empty[key]
                slot.set_builder(_note(slot.title, note), ("note", note))
            elif key != "montecarlo":  # that one follows with its own result
                slot.set_builder(_report_chart(key, report), inputs[key])

    def show_monte_carlo(self, result: MonteCarloResult, currency: str) -> None:
        if "montecarlo" in self.empty:
            return  # nothing uncertain to draw: the note stays

        def build(size: tuple[float, float], dpi: float) -> Figure:
            from workbench.ui.dashboard import chart_figures

            return chart_figures.monte_carlo_figure(result, currency, size, dpi)

        self.slots["montecarlo"].set_builder(build)


def _report_chart(key: str, report: EconomicsReport) -> Builder:
    def build(size: tuple[float, float], dpi: float) -> Figure:
        from workbench.ui.dashboard import chart_figures

        return chart_figures.report_figure(key, report, size, dpi)

    return build


def empty_charts(report: EconomicsReport) -> dict[str, str]:
    """The charts that would only show zeros for this report, with the note that says
    what is missing instead."""
    m = report.metrics
    empty = dict.fromkeys(CASE_CHARTS, NO_CASE) if not (m.total_cost or m.total_benefit) else {}
    overhead = report.overhead
    if not (overhead.monthly_cost or overhead.sidecar_cpu_m or overhead.ambient_cpu_m):
        empty.update(dict.fromkeys(OVERHEAD_CHARTS, NO_OVERHEAD))
    return empty
