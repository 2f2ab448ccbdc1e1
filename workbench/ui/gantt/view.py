"""The Gantt wave planner: toolbar, chart, coverage strip and business-case strip.

``GanttView(document)`` works on its own: it projects the document's plan, applies
every edit through ``document.execute`` (so undo and redo work everywhere) and
follows every change the document announces, whoever made it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QComboBox, QLabel, QMenu, QToolBar, QVBoxLayout, QWidget

from workbench.domain.commands import Change
from workbench.domain.commands_baselines import SaveBaseline, baseline_name
from workbench.domain.findings import count_by_severity
from workbench.ui.document import PlanDocument
from workbench.ui.economics_basis import EconomicsBasis
from workbench.ui.gantt.canvas import GanttCanvas
from workbench.ui.gantt.kpi_strip import KpiStrip
from workbench.ui.gantt.live import LiveSchedule
from workbench.ui.gantt.rollout_markers import RolloutMarkers
from workbench.ui.gantt.scene import GanttScene
from workbench.ui.gantt.time_axis import Zoom
from workbench.ui.lazy_refresh import ReloadWhenShown
from workbench.ui.wave_editing import WaveEditor
from workbench.ui.workers import JobRunner

NO_BASELINE = "No baseline"


class GanttView(ReloadWhenShown, QWidget):
    current_changed = Signal(str)  # "wave:<id>" or a workload key, for the details dock
    waves_selected = Signal(list)  # wave ids, for the wave editor

    def __init__(
        self,
        document: PlanDocument,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
        runner: JobRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.scene = GanttScene(today or date.today(), self)
        self.canvas = GanttCanvas(document, self.scene, self)
        self.kpis = KpiStrip(self, EconomicsBasis.of(document))
        self.live = LiveSchedule(document, runner, self)
        self.live.output_listeners += [self.canvas.coverage.refresh, self.kpis.refresh]
        self.status = QLabel(self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.toolbar = self._toolbar()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.kpis)

        document.changed.connect(self.apply_change)
        document.replaced.connect(self._on_replaced)
        self.live.findings_changed.connect(self._on_findings)
        self.live.outputs_changed.connect(self._on_outputs)
        self.live.ready_changed.connect(lambda _ready: self._update_status())
        self.canvas.drag_started.connect(self.live.begin_drag)
        self.canvas.edit_finished.connect(self.live.end_drag)
        self.canvas.message.connect(self.status.setText)
        self.canvas.row_header.toggled.connect(self.toggle_expanded)
        self.scene.selectionChanged.connect(self._on_scene_selection)
        self.canvas.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.canvas.customContextMenuRequested.connect(self._show_context_menu)
        self.wave_editor: WaveEditor | None = None  # set by the window
        self._selection: tuple[list[str], str] = ([], "")
        self.rollout_markers = RolloutMarkers(self.scene, document)
        self.reload()

    # -- toolbar --------------------------------------------------------------------------------
    def _toolbar(self) -> QToolBar:
        bar = QToolBar("Gantt", self)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        group = QActionGroup(self)
        self.zoom_actions: dict[Zoom, QAction] = {}
        for zoom in Zoom:
            action = QAction(zoom.title, self, checkable=True)
            action.setChecked(zoom is Zoom.MONTHS)
            action.setToolTip(f"Show the time axis in {zoom.value}")
            action.triggered.connect(lambda _c=False, z=zoom: self.set_zoom(z))
            group.addAction(action)
            bar.addAction(action)
            self.zoom_actions[zoom] = action
        bar.addSeparator()
        self.today_action = bar.addAction("Today", self.scroll_to_today)
        self.expand_action = bar.addAction("Collapse all", self.collapse_all)
        bar.addSeparator()
        self.autoplan_action = bar.addAction("Auto-plan…", self.open_autoplan)
        bar.addSeparator()
        self.save_baseline_action = bar.addAction("Save baseline", self.save_baseline)
        self.baseline_combo = QComboBox(self)
        self.baseline_combo.setToolTip("Show a saved baseline as ghost bars")
        self.baseline_combo.currentIndexChanged.connect(self._on_baseline_picked)
        bar.addWidget(self.baseline_combo)
        bar.addSeparator()
        bar.addWidget(self.status)
        return bar

    # -- selection ------------------------------------------------------------------------------
    def _on_scene_selection(self) -> None:
        if self.scene.rebuilding:
            return
        waves = self.canvas.selected_waves()
        members = [k for k, m in self.scene.members.items() if m.isSelected()]
        key = members[-1] if members else (f"wave:{waves[-1]}" if waves else "")
        if (waves, key) == self._selection:
            return  # a rebuild re-selected the same items
        self._selection = (waves, key)
        if key:
            self.current_changed.emit(key)
        self.waves_selected.emit(waves)

    def follow_key(self, key: str) -> None:
        """Select the wave bar (or expanded member row) another view selected."""
        item = (
            self.scene.bars.get(key.removeprefix("wave:"))
            if key.startswith("wave:")
            else self.scene.members.get(key)
        )
        if item is None:
            return
        self.scene.blockSignals(True)
        self.scene.clearSelection()
        item.setSelected(True)
        self.scene.blockSignals(False)
        self.canvas.ensureVisible(item)
        self.scene.update()

    def _show_context_menu(self, pos: QPoint) -> None:
        if self.wave_editor is None:
            return
        bar = self.canvas.wave_bar_at(pos)
        if bar is not None and not bar.isSelected():
            self.scene.clearSelection()
            bar.setSelected(True)
        menu = QMenu(self)
        self.wave_editor.fill_menu(menu)
        menu.exec(self.canvas.viewport().mapToGlobal(pos))
        menu.deleteLater()

    # -- plan and changes -----------------------------------------------------------------------
    def _on_replaced(self) -> None:
        self.live.blockSignals(not self.isVisible())  # nothing to show until reloaded
        self.reload_when_shown()

    def reload(self) -> None:
        """Show the document's (new) plan from scratch."""
        self.live.blockSignals(False)
        self.scene.set_plan(self.document.plan)
        self._fill_baselines()
        self.live.reset()
        self.canvas.scroll_to(self._first_day())
        self._update_status()

    def _first_day(self) -> date:
        sched = self.document.plan.schedule
        days = [p.start for p in sched.phases] + [w.start for w in sched.waves]
        return min(days) if days else self.scene.today

    def apply_change(self, change: Change) -> None:
        if self.plan_stale:
            return  # rebuilt from the plan when next shown
        if "meta" in change.areas:
            self._fill_baselines()
        if "schedule" in change.areas:
            if self.scene.needs_rebuild():
                self.scene.rebuild()
            else:
                bars = set(self.scene.bars)
                only_waves = change.keys and change.keys <= bars
                self.scene.refresh_waves(change.keys if only_waves else bars)
        self.live.apply(change)

    def _on_findings(self, waves: set[str]) -> None:
        self.scene.set_backlog(self.live.backlog)
        self.scene.set_findings(self.live.by_wave, waves)
        self._update_status()

    def _on_outputs(self) -> None:
        self.scene.set_strict(self.live.strict_dates, self.live.milestone)

    def flush(self) -> None:
        """Bring every output up to date now (tests and the end of an edit)."""
        self.live.flush()

    def _update_status(self) -> None:
        if not self.live.ready:
            self.status.setText("Checking readiness…")
            return
        counts = count_by_severity(f for fs in self.live.by_wave.values() for f in fs)
        shown = [f"{n} {sev}" for sev, n in counts.items() if n and sev != "info"]
        waves = sum(1 for fs in self.live.by_wave.values() if fs)
        text = f"Violations on {waves} wave(s): " + ", ".join(shown) if shown else "No violations"
        unplaced = len(self.live.unplaced)
        if unplaced:
            text += f"  ·  {unplaced} finding(s) outside waves"
        self.status.setText(text)

    # -- commands ---------------------------------------------------------------------------------
    def set_zoom(self, zoom: Zoom) -> None:
        self.zoom_actions[zoom].setChecked(True)
        middle = self.canvas.mapToScene(self.canvas.viewport().rect().center()).x()
        day = self.scene.axis.date_at(middle)
        self.scene.set_zoom(zoom)
        x = self.scene.axis.x_of(day) - self.canvas.viewport().width() / 2
        self.canvas.horizontalScrollBar().setValue(max(0, int(x)))

    def scroll_to_today(self) -> None:
        if self.scene.first <= self.scene.today <= self.scene.last:
            self.canvas.scroll_to(self.scene.today)
        else:
            self.status.setText(f"Today ({self.scene.today:%d %b %Y}) is far from this schedule")

    def toggle_expanded(self, wave_id: str) -> None:
        self.set_expanded(wave_id, wave_id not in self.scene.expanded)

    def set_expanded(self, wave_id: str, expanded: bool) -> None:
        if expanded:
            self.scene.expanded.add(wave_id)
        else:
            self.scene.expanded.discard(wave_id)
        self.scene.rebuild()

    def collapse_all(self) -> None:
        self.scene.expanded.clear()
        self.scene.rebuild()

    def save_baseline(self) -> None:
        plan = self.document.plan
        created = datetime.now(UTC).replace(microsecond=0).isoformat()
        name = baseline_name(plan)
        self.document.execute(SaveBaseline(name, created))
        self.baseline_combo.setCurrentIndex(self.baseline_combo.findText(name))

    def _fill_baselines(self) -> None:
        combo = self.baseline_combo
        current = combo.currentText()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(NO_BASELINE)
        for b in self.document.plan.meta.baselines:
            combo.addItem(b.name)
        index = combo.findText(current)
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)
        self._on_baseline_picked(combo.currentIndex())

    def _on_baseline_picked(self, index: int) -> None:
        baselines = self.document.plan.meta.baselines
        self.scene.show_baseline(baselines[index - 1] if 0 < index <= len(baselines) else None)

    def show_baseline(self, name: str | None) -> None:
        index = self.baseline_combo.findText(name or NO_BASELINE)
        self.baseline_combo.setCurrentIndex(max(index, 0))

    def open_autoplan(self) -> None:
        from workbench.ui.gantt.autoplan_dialog import AutoPlanDialog

        dialog = AutoPlanDialog(self.document, self.live.runner, self)
        dialog.exec()
        dialog.deleteLater()
