"""The views the main window offers, registered in one place.

Each entry names a view, picks its icon and gives a ``factory(document, parent)``
returning the widget. A view may offer, and the window then uses:

- a ``current_changed(str)`` signal: the key of the selection, for the details dock
  (a workload key, ``wave:<id>``, or "" for nothing);
- an ``open_requested(str)`` signal: go to that object (the window picks the view);
- ``show_key(key) -> bool``: select that object if the view shows it;
- ``focus_filter()``: put the cursor in the view's search box (Edit > Find);
- ``clear_filter()``: empty that box (a newly imported plan shows in full);
- ``follow_key(key)``: select that object quietly when another view selected it;
- a ``waves_selected(list)`` signal: the wave ids picked, for the wave editor;
- a ``help_requested(topic, anchor)`` signal: open the help there (a rule's entry);
- a ``wave_editor`` attribute, set to the window's :class:`WaveEditor`;
- a ``dialogs`` attribute, replaced by the window's own (tests script them).

A ``lazy`` view is built the first time it is asked for or shown (:class:`WindowViews`):
the economics dashboard so imports matplotlib only when the user goes to it. Its own
modules (``preload``) load a module a turn of the event loop once the window has been
idle a moment, so that the turn that first shows it builds the view only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from importlib import import_module

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QStackedWidget, QStyle, QWidget

from workbench.ui.document import PlanDocument
from workbench.ui.stepwise_import import StepwiseImport

PRELOAD_DELAY_MS = 3_000  # after the window is shown: start-up and opening a plan first
PRELOAD_STEP_MS = 40  # between two modules
# The economics dashboard's modules, each after those it imports.
DASHBOARD_MODULES = (
    "decimal",
    "workbench.domain.quantities",
    "workbench.domain.economics.overhead",
    "workbench.domain.economics.membership",
    "workbench.domain.economics.estate_case",
    "workbench.domain.economics.latency",
    "workbench.domain.economics.pricing",
    "workbench.domain.economics.observability",
    "workbench.domain.economics.timeline",
    "workbench.domain.economics.model",
    "workbench.domain.economics.sensitivity",
    "workbench.ops.economics_report",
    "workbench.ops.economics",
    "workbench.ui.dashboard.fields",
    "workbench.domain.commands_lines",
    "workbench.ui.dashboard.line_tables",
    "workbench.ui.dashboard.assumptions_editor",
    "workbench.ui.dashboard.chart_imports",
    "workbench.charts.chart_data",
    "workbench.ops.dashboard_charts",
    "workbench.ui.dashboard.chart_renderer",
    "workbench.ui.dashboard.charts_panel",
    "workbench.ui.dashboard.fitted_value",
    "workbench.ui.economics_basis",
    "workbench.ui.dashboard.recompute",
    "workbench.ui.dashboard.kpi_tiles",
    "workbench.ui.dashboard.scenarios",
    "workbench.ui.dashboard.dashboard",
)

ViewFactory = Callable[[PlanDocument, QWidget], QWidget]


@dataclass(frozen=True, slots=True)
class ViewSpec:
    id: str
    title: str
    icon: QStyle.StandardPixmap
    factory: ViewFactory
    lazy: bool = False  # built when first asked for or shown, not with the window
    preload: tuple[str, ...] = ()  # a lazy view's modules, loaded a turn each beforehand


def lazy_view(path: str) -> ViewFactory:
    """A factory for the view class at ``path`` (``module.Class`` under workbench.ui)
    that imports its module only when the view is first built, so start-up stays quick."""
    module, class_name = path.rsplit(".", 1)

    def factory(document: PlanDocument, parent: QWidget) -> QWidget:
        view: QWidget = getattr(import_module(f"workbench.ui.{module}"), class_name)(
            document, parent
        )
        return view

    return factory


_SP = QStyle.StandardPixmap
VIEWS: list[ViewSpec] = [
    ViewSpec(
        "inventory",
        "Inventory",
        _SP.SP_FileDialogDetailedView,
        lazy_view("inventory_view.InventoryView"),
    ),
    ViewSpec(
        "dependencies",
        "Dependencies",
        _SP.SP_FileDialogListView,
        lazy_view("graph.view.DependencyView"),
    ),
    ViewSpec("gantt", "Gantt", _SP.SP_FileDialogContentsView, lazy_view("gantt.view.GanttView")),
    ViewSpec("waves", "Waves", _SP.SP_ArrowRight, lazy_view("waves_view.WavesView")),
    ViewSpec(
        "economics",
        "Economics",
        _SP.SP_DialogApplyButton,
        lazy_view("dashboard.dashboard.EconomicsDashboard"),
        lazy=True,
        preload=DASHBOARD_MODULES,
    ),
    ViewSpec(
        "findings", "Findings", _SP.SP_MessageBoxWarning, lazy_view("findings_view.FindingsView")
    ),
    ViewSpec("gaps", "Discovery gaps", _SP.SP_MessageBoxQuestion, lazy_view("gaps_view.GapsView")),
    ViewSpec(
        "rollout", "Rollout check", _SP.SP_BrowserReload, lazy_view("rollout_view.RolloutView")
    ),
    ViewSpec(
        "comments",
        "Comments",
        _SP.SP_MessageBoxInformation,
        lazy_view("comments_view.CommentsView"),
    ),
]


def view_ids() -> list[str]:
    return [v.id for v in VIEWS]


class WindowViews(Mapping[str, QWidget]):
    """The window's views by id, each a page of ``stack`` in the order added. A lazy
    view's page is empty until the view is first asked for (``views[id]``); ``wire``
    connects each view to the window as it is built."""

    def __init__(
        self, document: PlanDocument, stack: QStackedWidget, wire: Callable[[QWidget], None]
    ) -> None:
        self._document = document
        self._stack = stack
        self._wire = wire
        self._specs: dict[str, ViewSpec] = {}
        self._built: dict[str, QWidget] = {}
        self._preloading: StepwiseImport | None = None
        self._preload_timer = QTimer(stack)
        self._preload_timer.setInterval(PRELOAD_STEP_MS)
        self._preload_timer.timeout.connect(self._preload_step)

    def preload_later(self) -> None:
        """Load the modules of the lazy views not built yet, a module a turn, starting a
        moment from now."""
        modules = tuple(
            name
            for spec in self._specs.values()
            if spec.lazy and spec.id not in self._built
            for name in spec.preload
        )
        self._preloading = StepwiseImport(modules)
        QTimer.singleShot(PRELOAD_DELAY_MS, self._preload_timer, self._preload_timer.start)

    @property
    def preloaded(self) -> bool:
        return self._preloading is not None and self._preloading.done

    def _preload_step(self) -> None:
        if self._preloading is None or self._preloading.done:
            self._preload_timer.stop()
            return
        self._preloading.step()

    def add(self, spec: ViewSpec) -> None:
        self._specs[spec.id] = spec
        if spec.lazy:
            self._stack.addWidget(QWidget(self._stack))  # holds the page's place
        else:
            self._stack.addWidget(self._build(spec))

    def _build(self, spec: ViewSpec) -> QWidget:
        widget = spec.factory(self._document, self._stack)
        self._wire(widget)
        self._built[spec.id] = widget
        return widget

    def __getitem__(self, view_id: str) -> QWidget:
        built = self._built.get(view_id)
        if built is not None:
            return built
        spec = self._specs[view_id]
        index = list(self._specs).index(view_id)
        placeholder = self._stack.widget(index)
        was_current = self._stack.currentIndex() == index
        widget = self._build(spec)
        self._stack.insertWidget(index, widget)
        if placeholder is not None:
            self._stack.removeWidget(placeholder)
            placeholder.deleteLater()
        if was_current:
            self._stack.setCurrentIndex(index)
        return widget

    def __iter__(self) -> Iterator[str]:
        return iter(self._specs)

    def __len__(self) -> int:
        return len(self._specs)

    def is_built(self, view_id: str) -> bool:
        return view_id in self._built

    def built(self) -> list[QWidget]:
        """The views built so far (a lazy view not yet shown has nothing to update)."""
        return list(self._built.values())
