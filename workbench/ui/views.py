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

from PySide6.QtWidgets import QStyle, QWidget

from workbench.ui.document import PlanDocument

ViewFactory = Callable[[PlanDocument, QWidget], QWidget]


@dataclass(frozen=True, slots=True)
class ViewSpec:
    id: str
    title: str
    icon: QStyle.StandardPixmap
    factory: ViewFactory


def _inventory(document: PlanDocument, parent: QWidget) -> QWidget:
    from workbench.ui.inventory_view import InventoryView

    return InventoryView(document, parent)


def _dependencies(document: PlanDocument, parent: QWidget) -> QWidget:
    from workbench.ui.graph.view import DependencyView

    return DependencyView(document, parent)


def _gantt(document: PlanDocument, parent: QWidget) -> QWidget:
    from workbench.ui.gantt.view import GanttView

    return GanttView(document, parent)


def _waves(document: PlanDocument, parent: QWidget) -> QWidget:
    from workbench.ui.waves_view import WavesView

    return WavesView(document, parent)


def _economics(document: PlanDocument, parent: QWidget) -> QWidget:
    from workbench.ui.dashboard.dashboard import EconomicsDashboard

    return EconomicsDashboard(document, parent)


def _findings(document: PlanDocument, parent: QWidget) -> QWidget:
    from workbench.ui.findings_view import FindingsView

    return FindingsView(document, parent)


def _gaps(document: PlanDocument, parent: QWidget) -> QWidget:
    from workbench.ui.gaps_view import GapsView

    return GapsView(document, parent)


def _rollout(document: PlanDocument, parent: QWidget) -> QWidget:
    from workbench.ui.rollout_view import RolloutView

    return RolloutView(document, parent)


def _comments(document: PlanDocument, parent: QWidget) -> QWidget:
    from workbench.ui.comments_view import CommentsView

    return CommentsView(document, parent)


_SP = QStyle.StandardPixmap
VIEWS: list[ViewSpec] = [
    ViewSpec("inventory", "Inventory", _SP.SP_FileDialogDetailedView, _inventory),
    ViewSpec("dependencies", "Dependencies", _SP.SP_FileDialogListView, _dependencies),
    ViewSpec("gantt", "Gantt", _SP.SP_FileDialogContentsView, _gantt),
    ViewSpec("waves", "Waves", _SP.SP_ArrowRight, _waves),
    ViewSpec("economics", "Economics", _SP.SP_DialogApplyButton, _economics),
    ViewSpec("findings", "Findings", _SP.SP_MessageBoxWarning, _findings),
    ViewSpec("gaps", "Discovery gaps", _SP.SP_MessageBoxQuestion, _gaps),
    ViewSpec("rollout", "Rollout check", _SP.SP_BrowserReload, _rollout),
    ViewSpec("comments", "Comments", _SP.SP_MessageBoxInformation, _comments),
]


def view_ids() -> list[str]:
    return [v.id for v in VIEWS]
