"""Keeping the dashboard's figures current while the plan is edited.

Edits arrive as ``document.changed``; a short debounce folds a burst of them (a wave
being dragged) into one recompute, in two stages:

1. the headline figures (:class:`KpiSnapshot`): the schedule-dependent basis, from the
   cache when only assumptions moved, and the cash flow with its metrics. This is what
   must keep up with a drag.
2. the full report from :func:`workbench.ops.economics.compute` (charts, tornado,
   scenarios side by side), a little later, reusing the basis stage 1 built.

Monte Carlo then runs in a worker process; a newer run cancels the one still going,
and a result that belongs to an older state of the plan is dropped.

While the dashboard sits on a hidden page of the window, edits only mark the figures
stale; they are computed when it is shown. The ``estate`` business case's readiness
classes come from the plan's findings (:class:`workbench.ui.economics_basis.
EconomicsBasis`, which also holds the basis cache the Gantt chart's strip shares)
instead of running the readiness rules here: for a large plan the figures wait for
them (``waiting`` says so) rather than hold the window for a second.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from workbench.domain.commands import Change
from workbench.domain.economics.estate_case import ReadinessBasis
from workbench.domain.economics.metrics import Metrics
from workbench.domain.economics.model import BasisCache, evaluate
from workbench.domain.economics.montecarlo import MonteCarloResult
from workbench.domain.economics.pricing import monthly_cost, node_equivalent
from workbench.domain.errors import WorkbenchError
from workbench.domain.jobs import JobCancelled
from workbench.domain.plan import Plan
from workbench.ops.background.usecases import MONTE_CARLO
from workbench.ops.economics import EconomicsReport, compute, scenario_assumptions
from workbench.ui.document import PlanDocument
from workbench.ui.economics_basis import WAITING_FOR_FINDINGS, EconomicsBasis
from workbench.ui.workers import JobHandle, JobRunner

KPI_DELAY_MS = 10  # folds the changes of one event-loop pass (a drag step)
REPORT_DELAY_MS = 120  # charts follow once the pointer rests
SHARED_TURN_S = 0.02  # a basis built in longer than this leaves the figures to the next turn


@dataclass(frozen=True, slots=True)
class KpiSnapshot:
    """The headline figures of the plan under its active scenario."""

    scenario: str | None
    currency: str
    horizon_months: int
    discount_rate: float
    metrics: Metrics
    risk_adjusted: Metrics
    risk_adjustment: float
    one_time_cost: float
    benefit_run_rate: float
    monthly_overhead_cost: float
    overhead_cpu_m: float
    overhead_memory_bytes: float
    extra_nodes: int
    node_vcpu: float
    node_memory_gib: float
    node_utilisation: float


def kpi_snapshot(
    plan: Plan, cache: BasisCache, readiness: ReadinessBasis | None = None
) -> KpiSnapshot:
    """Stage 1: the basis (cached) and the cash flow of the active scenario.
    ``readiness``: the plan's readiness classes, when known (else computed on demand)."""
    name, a = scenario_assumptions(plan, None)
    basis = cache.basis(plan, a, readiness=readiness)
    ev = evaluate(a, basis)
    cpu, mem = basis.timeline.steady_total()
    p = a.prices
    return KpiSnapshot(
        scenario=name,
        currency=a.currency,
        horizon_months=a.horizon_months,
        discount_rate=a.discount_rate,
        metrics=ev.metrics,
        risk_adjusted=ev.risk_adjusted,
        risk_adjustment=a.risk_adjustment,
        one_time_cost=float(ev.inputs.cost_one_time.sum()),
        benefit_run_rate=float(ev.inputs.benefit_annual.sum()),
        monthly_overhead_cost=float(monthly_cost(cpu, mem, p)),
        overhead_cpu_m=cpu,
        overhead_memory_bytes=mem,
        extra_nodes=node_equivalent(cpu, mem, p).whole_nodes,
        node_vcpu=p.node_vcpu,
        node_memory_gib=p.node_memory_gib,
        node_utilisation=p.node_target_utilisation,
    )


class Recompute(QObject):
    """Debounced recomputation of the economics of one document."""

    kpis_ready = Signal(object)  # KpiSnapshot
    report_ready = Signal(object)  # EconomicsReport
    monte_carlo_started = Signal()
    monte_carlo_ready = Signal(object)  # MonteCarloResult
    failed = Signal(str)  # the reason the figures cannot be computed; "" once they can
    waiting = Signal(str)  # what the first figures wait for; "" once they are shown
    _monte_carlo_done = Signal(int, object)  # generation, result or exception

    def __init__(
        self,
        document: PlanDocument,
        parent: QObject | None = None,
        *,
        kpi_delay_ms: int = KPI_DELAY_MS,
        report_delay_ms: int = REPORT_DELAY_MS,
        with_monte_carlo: bool = True,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.basis = EconomicsBasis.of(document)
        self.cache = self.basis.cache
        self.snapshot: KpiSnapshot | None = None
        self.report: EconomicsReport | None = None
        self.monte_carlo: MonteCarloResult | None = None
        self.error = ""
        self.with_monte_carlo = with_monte_carlo
        self._generation = 0
        self.runner = JobRunner(self)
        self._pending: JobHandle | None = None
        self._kpi_timer = self._timer(kpi_delay_ms, lambda: self._due(self._kpis_in_turns))
        self._report_timer = self._timer(report_delay_ms, lambda: self._due(self.refresh_report))
        self._kpis_next_turn = self._timer(0, self._kpis_after_basis)
        self._kpis_due_for = -1
        self._monte_carlo_done.connect(self._monte_carlo_finished)
        self._stale = False  # edits arrived while the dashboard was hidden
        self._waiting = False  # the figures wait for the plan's findings
        self._view = parent if isinstance(parent, QWidget) else None
        if self._view is not None:
            self._view.installEventFilter(self)
        document.changed.connect(self._on_changed)
        document.replaced.connect(self._on_replaced)
        document.analysis.updated.connect(self._on_findings)
        runner = self.runner
        self.destroyed.connect(lambda *_: runner.cancel_all())

    def _timer(self, delay_ms: int, slot: object) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(delay_ms)
        timer.timeout.connect(slot)
        return timer

    # -- triggers -----------------------------------------------------------------------
    def _on_changed(self, change: Change) -> None:
        if change.areas & {"inventory", "dependencies"}:
            self.cache.clear()  # edited in place: the cache cannot see it
        self.schedule()

    def _on_replaced(self) -> None:
        self.cache.clear()
        self.snapshot = self.report = self.monte_carlo = None
        self.schedule()

    def _on_findings(self) -> None:
        if self._waiting:
            self.schedule()

    def schedule(self) -> None:
        """Recompute soon: the headline figures at once, the report when edits pause;
        on a hidden page of the window, when the dashboard is next shown."""
        self._generation += 1
        if self.hidden:
            self._stale = True
            return
        self._kpi_timer.start()
        self._report_timer.start()

    def _due(self, stage: Callable[[], object]) -> None:
        """A timer's stage, unless the dashboard went to a hidden page meanwhile."""
        if self.hidden:
            self._stale = True
            return
        stage()

    @property
    def hidden(self) -> bool:
        """On a page of the window that is not shown (a dashboard on its own computes)."""
        view = self._view
        return view is not None and not view.isWindow() and not view.isVisibleTo(view.window())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._view and event.type() == QEvent.Type.Show and self._stale:
            self._stale = False
            self._kpi_timer.start()
            self._report_timer.start()
        return False

    def _ready_to_compute(self) -> tuple[bool, ReadinessBasis | None]:
        go, readiness = self.basis.state(self.document.plan)
        if go != (not self._waiting):
            self._waiting = not go
            self.waiting.emit("" if go else WAITING_FOR_FINDINGS)
        return go, readiness

    def refresh_now(self) -> None:
        """Both stages right away (and Monte Carlo in the background)."""
        self.refresh_kpis()
        self.refresh_report()

    @property
    def pending(self) -> bool:
        timers = (self._kpi_timer, self._kpis_next_turn, self._report_timer)
        return any(t.isActive() for t in timers)

    # -- stages -------------------------------------------------------------------------
    def _fail(self, exc: WorkbenchError) -> None:
        self.error = str(exc)
        self.failed.emit(self.error)

    def _clear_error(self) -> None:
        if self.error:
            self.error = ""
            self.failed.emit("")

    def refresh_kpis(self) -> KpiSnapshot | None:
        self._kpi_timer.stop()
        go, readiness = self._ready_to_compute()
        if not go:
            return None
        try:
            snapshot = kpi_snapshot(self.document.plan, self.cache, readiness)
        except WorkbenchError as exc:
            self._fail(exc)
            return None
        self._clear_error()
        self.snapshot = snapshot
        self.kpis_ready.emit(snapshot)
        return snapshot

    def _kpis_in_turns(self) -> None:
        """The timer's stage: a basis that had to be built (a large plan's estate and
        schedule) takes this turn of the event loop, the figures from it the next."""
        go, readiness = self._ready_to_compute()
        if not go:
            return
        started = time.perf_counter()
        try:
            _name, a = scenario_assumptions(self.document.plan, None)
            self.cache.basis(self.document.plan, a, readiness=readiness)
        except WorkbenchError:
            pass  # the figures stage reports it
        if time.perf_counter() - started > SHARED_TURN_S:
            self._kpis_due_for = self._generation
            self._kpis_next_turn.start()
            return
        self.refresh_kpis()

    def _kpis_after_basis(self) -> None:
        if self._kpis_due_for == self._generation:  # no edit since: its basis is at hand
            self._due(self.refresh_kpis)

    def refresh_report(self) -> EconomicsReport | None:
        self._report_timer.stop()
        go, readiness = self._ready_to_compute()
        if not go:
            return None
        try:
            report = compute(self.document.plan, cache=self.cache, readiness=readiness)
        except WorkbenchError as exc:
            self._fail(exc)
            return None
        self._clear_error()
        self.report = report
        self.report_ready.emit(report)
        if self.with_monte_carlo:
            self._start_monte_carlo(report)
        return report

    # -- Monte Carlo ----------------------------------------------------------------------
    def _start_monte_carlo(self, report: EconomicsReport) -> None:
        if self._pending is not None and self._pending.running:
            self._pending.cancel()  # its result would be stale: stop the worker
        generation = self._generation
        options = {
            "inputs": report.evaluation.inputs,
            "assumptions": copy.deepcopy(report.assumptions),
        }
        self.monte_carlo_started.emit()
        job = self.runner.run_in_worker("Monte Carlo", MONTE_CARLO, options)
        job.finished.connect(lambda result: self._monte_carlo_done.emit(generation, result))
        job.failed.connect(lambda error: self._monte_carlo_done.emit(generation, error))
        self._pending = job

    def _monte_carlo_finished(self, generation: int, outcome: object) -> None:
        if generation != self._generation or isinstance(outcome, JobCancelled):
            return  # the plan moved on; a newer run follows
        if isinstance(outcome, WorkbenchError):
            self._fail(outcome)
            return
        if not isinstance(outcome, MonteCarloResult):
            self._fail(WorkbenchError(f"Monte Carlo failed: {type(outcome).__name__}: {outcome}"))
            return
        self.monte_carlo = outcome
        self.monte_carlo_ready.emit(outcome)

    def wait_for_monte_carlo(self, timeout_s: float = 10.0) -> None:
        """Block until the running Monte Carlo job (if any) is done (for tests and scripts)."""
        self.runner.pool.waitForDone(round(timeout_s * 1000))

    def shutdown(self) -> None:
        self._kpi_timer.stop()
        self._report_timer.stop()
        self.runner.shutdown()
