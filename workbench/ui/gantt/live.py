"""Live validation and outputs while the schedule is edited.

:class:`LiveSchedule` holds a :class:`ScheduleValidator` and feeds it each edit's
:class:`Change`, so only the affected findings are re-checked (a wave drag re-checks
that wave's members and their callees, not the estate). The findings are grouped per
wave for the bars' markers within the same call.

The outputs that need the whole plan (coverage, economics, STRICT dates) are refreshed
after every edit: in the same frame while that is cheap, else in the next turn of the
event loop (so the chart's own update and theirs are two short stalls, not one long);
during a drag (``dragging``) for a large estate at most every ``THROTTLE_MS``, and at
once when the drag ends (:meth:`end_drag`).

For an estate large enough that the document's analysis runs in the worker process,
no validator runs here at all: the findings, grouped per wave, and the STRICT dates
come from that analysis each time it reports (a few frames after an edit), so the
chart opens at once and no check ever holds the window. A report that leaves the
readiness findings and the waves' members as they were (each step of a wave drag)
keeps the remediation backlog and the waves each finding marks, instead of rebuilding
them for the whole estate. Otherwise, for a mid-size estate the readiness evaluation
the validator needs runs in the background first.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QObject, QTimer, Signal

from workbench.domain.commands import Change, Command, RescheduleWave
from workbench.domain.commands_waves import RescheduleWaves
from workbench.domain.findings import Finding
from workbench.domain.jobs import CancelToken
from workbench.domain.plan import Plan
from workbench.domain.planning.backlog import backlog_causes
from workbench.domain.planning.backlog_lanes import (
    BacklogLane,
    backlog_lanes,
    current_backlog,
    plan_backlog,
)
from workbench.domain.planning.outputs import StrictDate, namespace_strict_dates, strict_milestone
from workbench.domain.planning.readiness_input import ReadinessInput, readiness_input
from workbench.domain.planning.validator import ScheduleValidator
from workbench.ui.analysis_index import Analysis
from workbench.ui.document import PlanDocument
from workbench.ui.workers import JobRunner

SYNC_WORKLOADS = 2_000  # up to this many workloads, readiness is evaluated in line
CHEAP_OUTPUTS_S = 0.008  # outputs cheaper than this are refreshed in the same frame
THROTTLE_MS = 120
NEXT_TURN_MS = 1  # a real timer: a zero delay would be a posted call, run in the same stall
# readiness must be re-evaluated (a mute can return a workload from the backlog)
RECHECK_AREAS = frozenset({"inventory", "dependencies", "mutes"})


def reschedule_command(dates: dict[str, tuple[date, date]]) -> Command:
    """One wave: a merging RescheduleWave; several: a merging RescheduleWaves."""
    if len(dates) == 1:
        ((wave_id, (start, end)),) = dates.items()
        return RescheduleWave(wave_id, start, end)
    return RescheduleWaves(dict(dates))


def _same(a: list[Finding], b: list[Finding]) -> bool:
    return len(a) == len(b) and all(x is y for x, y in zip(a, b, strict=True))


class LiveSchedule(QObject):
    findings_changed = Signal(object)  # set of wave ids whose findings changed
    outputs_changed = Signal()  # coverage, economics and STRICT dates are due a refresh
    ready_changed = Signal(bool)

    def __init__(
        self, document: PlanDocument, runner: JobRunner | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.runner = runner or JobRunner(self)
        self.validator: ScheduleValidator | None = None
        self.by_wave: dict[str, list[Finding]] = {}
        self._placed: dict[int, tuple[Finding, tuple[str, ...]]] = {}  # id -> waves it marks
        self.unplaced: list[Finding] = []  # findings on no wave (unassigned workloads...)
        self.backlog: tuple[BacklogLane, ...] = ()  # the remediation backlog, per namespace
        self.strict_dates: dict[str, StrictDate] = {}
        self.milestone: date | None = None
        self.last_outputs_s = 0.0
        self.dragging = False
        self._generation = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.flush)
        self.output_listeners: list[Callable[[Plan], None]] = []
        self._remote = False
        self._turns_due = 0  # steps of taking the findings waiting for their turn
        # what the last backlog and placements were computed from (the analysis's path)
        self._basis: tuple[Plan, tuple[object, ...], list[Finding]] | None = None
        document.analysis.updated.connect(self._from_analysis)

    @property
    def plan(self) -> Plan:
        return self.document.plan

    @property
    def ready(self) -> bool:
        if self._turns_due:
            return False  # the findings are still being taken, a turn at a time
        return self.validator is not None or (self.remote and self.document.analysis.current.ready)

    @property
    def remote(self) -> bool:
        """Findings and STRICT dates come from the document's worker-process analysis."""
        return self._remote

    # -- validator lifecycle ------------------------------------------------------------------
    def reset(self) -> None:
        """Start over for the document's current plan."""
        self._generation += 1
        self.validator = None
        self.by_wave, self.unplaced = {}, []
        self._basis = None
        self.ready_changed.emit(False)
        plan = self.plan
        self._remote = self.document.analysis.remote
        if self._remote:
            if len(plan.inventory.workloads) > SYNC_WORKLOADS:
                generation = self._generation  # the findings in a turn of their own
                self._next_turn(lambda: self._from_analysis(generation))
            else:
                self._from_analysis()
            self.flush()  # coverage and the business case need no findings of this chart
            return
        if len(plan.inventory.workloads) <= SYNC_WORKLOADS:
            self._start(plan, None)
            return
        generation = self._generation

        def job(progress: Callable[[float, str], None], cancel: CancelToken) -> ReadinessInput:
            progress(0.0, "evaluating readiness")
            return readiness_input(plan)

        handle = self.runner.start("Checking readiness for the Gantt chart", job)
        handle.finished.connect(lambda r: self._readiness_done(generation, plan, r))
        handle.failed.connect(lambda _e: self._readiness_done(generation, plan, None))

    def _readiness_done(self, generation: int, plan: Plan, readiness: object) -> None:
        if generation != self._generation or plan is not self.plan:
            return
        self._start(plan, readiness if isinstance(readiness, ReadinessInput) else None)

    def _start(self, plan: Plan, readiness: ReadinessInput | None) -> None:
        self.validator = ScheduleValidator(plan, readiness)
        self._refresh_backlog()
        self._regroup(self.validator.findings(), moved=True)
        self.ready_changed.emit(True)
        self.flush()

    def _from_analysis(self, generation: int | None = None) -> None:
        """Take the schedule findings, the backlog (from the readiness findings) and the
        STRICT dates the worker reported. On a large plan a new backlog takes a turn of
        the event loop and the placing of the findings on waves the next one."""
        if generation is not None and generation != self._generation:
            return  # a reset came since this was due
        if not self._remote or self.signalsBlocked():
            return  # not this chart's findings, or the chart waits to be shown
        analysis = self.document.analysis.current
        if not analysis.ready:
            return
        plan = self.plan
        readiness = analysis.of_source("readiness")
        sched = plan.schedule
        layout = (
            plan.inventory.revision,
            plan.mesh.root_namespace,
            tuple(w.id for w in sched.waves),
            sched.assigned(),
        )
        held = self._basis
        # a wave drag moves neither workloads between waves nor readiness findings
        kept = held is not None and held[0] is plan and held[1] == layout
        self._basis = (plan, layout, readiness)
        if held is not None and kept and _same(readiness, held[2]):
            self._place(self._generation, analysis, moved=False)
            return
        causes = backlog_causes(readiness, plan.inventory.workloads)
        self.backlog = tuple(backlog_lanes(plan_backlog(plan, ReadinessInput(causes=causes))))
        if len(plan.inventory.workloads) <= SYNC_WORKLOADS:
            self._place(self._generation, analysis, moved=not kept)
            return
        due = self._generation
        self._next_turn(lambda: self._place(due, analysis, moved=not kept))

    def _next_turn(self, step: Callable[[], None]) -> None:
        self._turns_due += 1

        def run() -> None:
            self._turns_due -= 1
            step()

        QTimer.singleShot(0, self, run)

    def _place(self, generation: int, analysis: Analysis, *, moved: bool) -> None:
        if generation != self._generation or analysis is not self.document.analysis.current:
            return  # a reset or a newer analysis came since
        self._regroup(analysis.of_source("schedule"), moved=moved)
        self.strict_dates = analysis.strict_dates
        self.milestone = strict_milestone(self.strict_dates)
        self.ready_changed.emit(True)
        self.outputs_changed.emit()

    # -- edits ----------------------------------------------------------------------------------
    def apply(self, change: Change) -> None:
        """Bring findings up to date after an edit, and the outputs when they are due."""
        if self.validator is not None:
            if change.areas & RECHECK_AREAS:
                self.reset()
                return
            waves = {w.id for w in self.plan.schedule.waves}
            moved = not change.keys or not change.keys <= waves  # membership may have changed
            if "schedule" in change.areas:
                self.validator.update(change)
                if moved:
                    self._refresh_backlog()
            if change.areas & {"schedule", "mutes"}:
                self._regroup(self.validator.findings(), moved=moved)
        if self.last_outputs_s <= CHEAP_OUTPUTS_S:
            self.flush()
        elif not self.dragging:
            self._timer.start(NEXT_TURN_MS)  # after the chart's own update, in a turn of its own
        elif not self._timer.isActive():
            self._timer.start(THROTTLE_MS)

    def _refresh_backlog(self) -> None:
        assert self.validator is not None
        self.backlog = tuple(backlog_lanes(current_backlog(self.validator.ctx)))

    def _regroup(self, findings: list[Finding], *, moved: bool) -> None:
        """Group the findings by the waves they concern (named in the finding, or the
        subject's wave). A finding left over from the last grouping keeps its waves
        unless workloads may have ``moved`` between waves."""
        sched = self.plan.schedule
        waves = {w.id for w in sched.waves}
        known = {} if moved else self._placed
        placed: dict[int, tuple[Finding, tuple[str, ...]]] = {}
        by_wave: dict[str, list[Finding]] = {}
        unplaced: list[Finding] = []
        for f in findings:
            entry = known.get(id(f))
            if entry is not None and entry[0] is f:
                hit = entry[1]
            else:
                hit = tuple(i for i in f.items if i in waves)
                if not hit:
                    owner = sched.wave_of(f.subject)
                    hit = () if owner is None else (owner,)
            placed[id(f)] = (f, hit)
            if not hit:
                unplaced.append(f)
            for wave_id in hit:
                by_wave.setdefault(wave_id, []).append(f)
        self._placed = placed
        changed = {
            w
            for w in waves | set(self.by_wave)
            if not _same(by_wave.get(w, []), self.by_wave.get(w, []))
        }
        self.by_wave, self.unplaced = by_wave, unplaced
        self.findings_changed.emit(changed)

    def flush(self) -> None:
        """Refresh the whole-plan outputs now."""
        self._timer.stop()
        started = time.perf_counter()
        if self.validator is not None and not self._remote:
            self.strict_dates = namespace_strict_dates(self.validator.ctx)
            self.milestone = strict_milestone(self.strict_dates)
        for listener in self.output_listeners:
            listener(self.plan)
        self.outputs_changed.emit()
        self.last_outputs_s = time.perf_counter() - started

    def begin_drag(self) -> None:
        self.dragging = True

    def end_drag(self) -> None:
        self.dragging = False
        self.flush()

    def pending(self) -> bool:
        return self._timer.isActive()
