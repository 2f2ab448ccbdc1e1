"""The dashboard's charts: matplotlib figures from :mod:`workbench.charts` on Qt canvases.

Each chart sits in a :class:`ChartSlot` that remembers how to build its figure; the
figure is rebuilt at the slot's size when the data changes, when the slot is resized
(so the builders lay out labels for the room they really have) and when the theme
changes (charts draw in the theme's palette). A plan without costs and benefits, or
without workloads in waves, shows what is missing instead of axes of zeros. Importing
PySide6 before matplotlib's Qt backend makes the backend use PySide6.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QSizePolicy, QVBoxLayout, QWidget

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg  # isort: skip
from matplotlib.figure import Figure

from workbench.charts.cashflow import cashflow_figure
from workbench.charts.cost_breakdown import cost_breakdown_figure
from workbench.charts.montecarlo import montecarlo_figure
from workbench.charts.overhead import overhead_by_wave_figure, sidecar_vs_ambient_figure
from workbench.charts.style import empty_note, new_figure, set_title, style_axes
from workbench.charts.tornado import tornado_figure
from workbench.domain.economics.montecarlo import MonteCarloResult
from workbench.ops.economics import EconomicsReport
from workbench.ui.theme import chart_palette

DPI = 100.0
# A chart is laid out for at least this many inches; a smaller slot draws it at a lower
# dpi (smaller text) rather than crowding labels into each other.
MIN_INCHES = (4.6, 2.7)
RESIZE_DELAY_MS = 150
Builder = Callable[[tuple[float, float], float], Figure]

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
NO_CASE = "No costs or benefits yet.\nAdd cost and benefit lines under Costs and Benefits below."
NO_OVERHEAD = "No workloads in waves yet.\nImport an estate and assign its workloads to waves."
CASE_CHARTS = ("cashflow", "cost_breakdown", "tornado", "montecarlo")
OVERHEAD_CHARTS = ("overhead", "sidecar_vs_ambient")


def placeholder(title: str, note: str, size: tuple[float, float], dpi: float) -> Figure:
    """A titled, empty chart with a note (before data arrives, or when it cannot)."""
    p = chart_palette()
    fig = new_figure(p, size, dpi)
    ax = fig.add_axes((0.08, 0.1, 0.86, 0.76))
    style_axes(ax, p, grid_axis=None)
    set_title(ax, p, title)
    empty_note(ax, p, note)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    return fig


class ChartSlot(QWidget):
    """One chart: a canvas replaced whenever the figure is rebuilt."""

    def __init__(self, key: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.title = title
        self.setObjectName(f"chart:{key}")
        self.setMinimumSize(240, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._builder: Builder = lambda size, dpi: placeholder(title, "Computing…", size, dpi)
        self.canvas: FigureCanvasQTAgg | None = None
        self.builds = 0
        self._resize_timer = QTimer(self)
        self._resize_timer.setSingleShot(True)
        self._resize_timer.setInterval(RESIZE_DELAY_MS)
        self._resize_timer.timeout.connect(self.rebuild)
        self.rebuild()

    @property
    def figure(self) -> Figure:
        assert self.canvas is not None
        fig: Figure = self.canvas.figure
        return fig

    def layout_size(self) -> tuple[tuple[float, float], float]:
        """(size in inches, dpi) for a figure filling the slot."""
        w, h = max(self.width(), 240), max(self.height(), 180)
        dpi = min(DPI, w / MIN_INCHES[0], h / MIN_INCHES[1])
        return (w / dpi, h / dpi), dpi

    def set_builder(self, builder: Builder) -> None:
        self._builder = builder
        self.rebuild()

    def rebuild(self) -> None:
        self._resize_timer.stop()
        size, dpi = self.layout_size()
        try:
            fig = self._builder(size, dpi)
        except (ValueError, ArithmeticError) as exc:  # a chart must never take the view down
            fig = placeholder(self.title, f"Cannot draw this chart: {exc}", size, dpi)
        canvas = FigureCanvasQTAgg(fig)  # type: ignore[no-untyped-call]
        canvas.setParent(self)
        if self.canvas is not None:
            self._layout.replaceWidget(self.canvas, canvas)
            self.canvas.setParent(None)
            self.canvas.deleteLater()
        else:
            self._layout.addWidget(canvas)
        canvas.show()  # a canvas swapped in while the view is hidden would stay hidden
        self.canvas = canvas
        self.builds += 1
        canvas.draw_idle()  # type: ignore[no-untyped-call]

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize() != event.size():
            self._resize_timer.start()


class ChartsPanel(QWidget):
    """The six charts in a grid; fed with economics reports and Monte Carlo results."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.slots = {key: ChartSlot(key, title, self) for key, title in CHARTS}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(8)
        for i, slot in enumerate(self.slots.values()):
            grid.addWidget(slot, i // COLUMNS, i % COLUMNS)
        for c in range(COLUMNS):
            grid.setColumnStretch(c, 1)
        self.report: EconomicsReport | None = None
        self.empty: dict[str, str] = {}  # chart key -> the note shown instead of a chart

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # the theme changed
            for slot in self.slots.values():
                slot.rebuild()

    def figure(self, key: str) -> Figure:
        return self.slots[key].figure

    def show_report(self, report: EconomicsReport) -> None:
        self.report = report
        flow = report.evaluation.cash_flow
        cur = report.currency
        m = report.metrics
        names = list(report.evaluation.inputs.cost_names)
        by_mode = {
            "As planned": report.overhead,
            "All sidecar": report.overhead_by_mode["sidecar"],
            "All ambient": report.overhead_by_mode["ambient"],
        }
        step = report.assumptions.sensitivity_step
        self.empty = empty_charts(report)
        builders: dict[str, Builder] = {
            "cashflow": lambda size, dpi: cashflow_figure(
                report.month_labels,
                flow.cost_total,
                flow.benefit_total,
                m.payback_months,
                currency=cur,
                palette=chart_palette(),
                size=size,
                dpi=dpi,
            ),
            "cost_breakdown": lambda size, dpi: cost_breakdown_figure(
                names, flow.costs, currency=cur, palette=chart_palette(), size=size, dpi=dpi
            ),
            "tornado": lambda size, dpi: tornado_figure(
                report.tornado,
                m.npv,
                step=step,
                top=8,
                currency=cur,
                palette=chart_palette(),
                size=size,
                dpi=dpi,
            ),
            "overhead": lambda size, dpi: overhead_by_wave_figure(
                report.basis,
                unit="cost",
                currency=cur,
                title="Overhead per wave, a month",
                palette=chart_palette(),
                size=size,
                dpi=dpi,
            ),
            "sidecar_vs_ambient": lambda size, dpi: sidecar_vs_ambient_figure(
                by_mode,
                currency=cur,
                title="Sidecar vs ambient",
                palette=chart_palette(),
                size=size,
                dpi=dpi,
            ),
        }
        for key, builder in builders.items():
            self.slots[key].set_builder(self._or_note(key, builder))
        if "montecarlo" in self.empty:
            self.slots["montecarlo"].set_builder(self._note("montecarlo"))

    def _or_note(self, key: str, builder: Builder) -> Builder:
        return self._note(key) if key in self.empty else builder

    def _note(self, key: str) -> Builder:
        title, note = self.slots[key].title, self.empty[key]
        return lambda size, dpi: placeholder(title, note, size, dpi)

    def show_monte_carlo(self, result: MonteCarloResult, currency: str) -> None:
        if "montecarlo" in self.empty:
            return  # nothing uncertain to draw: the note stays
        self.slots["montecarlo"].set_builder(
            lambda size, dpi: montecarlo_figure(
                result,
                result.npv_draws,
                currency=currency,
                title="Monte Carlo: NPV of the draws",
                palette=chart_palette(),
                size=size,
                dpi=dpi,
            )
        )


def empty_charts(report: EconomicsReport) -> dict[str, str]:
    """The charts that would only show zeros for this report, with the note that says
    what is missing instead."""
    m = report.metrics
    empty = dict.fromkeys(CASE_CHARTS, NO_CASE) if not (m.total_cost or m.total_benefit) else {}
    overhead = report.overhead
    if not (overhead.monthly_cost or overhead.sidecar_cpu_m or overhead.ambient_cpu_m):
        empty.update(dict.fromkeys(OVERHEAD_CHARTS, NO_OVERHEAD))
    return empty
