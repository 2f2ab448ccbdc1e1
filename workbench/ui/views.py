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
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from PySide6.QtWidgets import QStyle, QWidget

from workbench.ui.document import PlanDocument

ViewFactory = Callable[[PlanDocument, QWidget], QWidget]


@dataclass(frozen=True, slots=True)
class ViewSpec:
    id: str
    title: str
    icon: QStyle.StandardPixmap
    factory: ViewFactory


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
