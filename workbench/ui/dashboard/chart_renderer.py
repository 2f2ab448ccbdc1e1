"""Drawing the dashboard's charts in a worker process, one at a time, so the window's
interpreter never runs matplotlib: a chart's data goes out, its pixels come back and
arrive on the UI thread (:class:`ChartRenderer`).

One renderer serves the whole application, with a worker of its own kept ready between
charts (its text measures and canvases stay warm) and ended after a minute without a
chart, so the memory it holds goes when the charts are not being edited. A dashboard
starts it as it is built (:func:`warm_up`), while its first figures are computed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QImage
from shiboken6 import isValid

from workbench.charts.chart_data import ChartPixels, ChartRequest
from workbench.domain.jobs import CancelToken
from workbench.ops.background.jobs import JobFailed, JobSpec, Workers, run_job
from workbench.ops.dashboard_charts import RENDER_CHART, WARM_CHARTS
from workbench.ui.workers import JobRunner

CHART_IDLE_S = 60.0  # the chart worker ends after this long without a chart
CHART_WORKERS = Workers(keep=1, idle_s=CHART_IDLE_S)  # the chart worker


class ChartRenderer(QObject):
    """Draws one chart at a time in the chart worker; answers on the UI thread."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chart-renderer")
        self._runner = JobRunner(self, max_threads=1)  # one chart at a time, in order

    def draw(
        self,
        request: ChartRequest,
        receiver: QObject,
        on_drawn: Callable[[ChartPixels], None],
        on_failed: Callable[[BaseException], None],
    ) -> None:
        """Draw ``request`` in the worker; ``on_drawn`` gets its pixels (or ``on_failed``
        the error), on the UI thread, unless ``receiver`` is gone by then."""
        spec = JobSpec(RENDER_CHART, None, {"request": request}, title=f"Drawing {request.title}")

        def job(progress: Callable[[float, str], None], cancel: CancelToken) -> object:
            return run_job(spec, progress, cancel, CHART_WORKERS)

        handle = self._runner.start(spec.title, job)

        def drawn(pixels: object) -> None:
            if not isValid(receiver):
                return
            if isinstance(pixels, ChartPixels):
                on_drawn(pixels)
            else:  # an answer that is not a picture is a failure, never a chart left waiting
                on_failed(JobFailed(f"{spec.title} answered with no picture"))

        handle.finished.connect(drawn)
        handle.failed.connect(lambda error: on_failed(error) if isValid(receiver) else None)

    def warm_up(self) -> None:
        """Start the chart worker and load the plotting library in it, in the background."""
        spec = JobSpec(WARM_CHARTS, title="Starting the chart worker")
        self._runner.start(spec.title, lambda p, c: run_job(spec, p, c, CHART_WORKERS))


def renderer() -> ChartRenderer:
    """The application's chart renderer (made on first use, owned by the application)."""
    app = QCoreApplication.instance()
    found = app.findChild(ChartRenderer, "chart-renderer") if app is not None else None
    return found if isinstance(found, ChartRenderer) else ChartRenderer(app)


def warm_up() -> None:
    """Have the chart worker ready before the first chart is asked for."""
    renderer().warm_up()


def image(pixels: ChartPixels) -> QImage:
    """The pixels as an image of its own (not over the bytes it was made from)."""
    w, h = pixels.width, pixels.height
    shown = QImage(pixels.rgba, w, h, 4 * w, QImage.Format.Format_RGBA8888).copy()
    shown.setDevicePixelRatio(pixels.pixel_ratio)
    return shown
