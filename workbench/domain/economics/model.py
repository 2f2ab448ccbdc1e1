"""The economics of a plan: the schedule-dependent basis, cached, and its evaluation.

The basis (month grid, coverage, per-workload overhead, overhead timeline, monitoring
load) depends on the inventory, dependencies, schedule and the overhead and
observability settings. An edit to any other assumption (a cost line, a price, the
ramp, the discount rate) reuses the cached basis and only redoes the cash flow.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from workbench.domain.assumptions import Assumptions
from workbench.domain.economics.cashflow import (
    CashFlow,
    CashFlowInputs,
    cash_flow,
    compile_inputs,
)
from workbench.domain.economics.coverage import Coverage, MonthGrid, coverage, month_grid
from workbench.domain.economics.metrics import FloatArray, Metrics, metrics
from workbench.domain.economics.observability import ObservabilityLoad, observability_load
from workbench.domain.economics.overhead import OverheadTimeline, WorkloadTable, workload_table
from workbench.domain.economics.pricing import monthly_cost
from workbench.domain.economics.timeline import member_indices, overhead_timeline
from workbench.domain.plan import Plan


@dataclass(slots=True)
class PlanBasis:
    """What the economics derive from the estate and the schedule."""

    plan: Plan
    assumptions: Assumptions
    grid: MonthGrid
    coverage: Coverage
    table: WorkloadTable
    timeline: OverheadTimeline
    observability: ObservabilityLoad
    members: list[npt.NDArray[np.int64]]
    _by_mode: dict[str, OverheadTimeline] = field(default_factory=dict)

    def timeline_as(self, mode: str) -> OverheadTimeline:
        """The overhead if every wave used ``mode`` ("sidecar" or "ambient")."""
        if mode not in self._by_mode:
            p = self.plan
            self._by_mode[mode] = overhead_timeline(
                self.table,
                p.inventory,
                p.schedule,
                self.assumptions.overhead,
                self.grid,
                mode,
                self.members,
            )
        return self._by_mode[mode]


def build_basis(plan: Plan, a: Assumptions, table: WorkloadTable | None = None) -> PlanBasis:
    grid = month_grid(plan.schedule, a.start, max(a.horizon_months, 0))
    if table is None:
        table = workload_table(plan.inventory, plan.dependencies, a.overhead)
    inv, sched = plan.inventory, plan.schedule
    members = member_indices(table, sched)
    return PlanBasis(
        plan=plan,
        assumptions=a,
        grid=grid,
        coverage=coverage(inv, sched, grid),
        table=table,
        timeline=overhead_timeline(table, inv, sched, a.overhead, grid, None, members),
        observability=observability_load(
            table, inv, plan.dependencies, sched, grid, a.observability, members
        ),
        members=members,
    )


def _schedule_key(plan: Plan) -> tuple[Any, ...]:
    s = plan.schedule
    return (
        tuple((w.id, w.start, w.end, w.mode, tuple(w.members)) for w in s.waves),
        tuple(p.start for p in s.phases),
        tuple(a.start for a in s.activities),
    )


def _table_key(plan: Plan, a: Assumptions) -> tuple[Any, ...]:
    inv, deps = plan.inventory, plan.dependencies
    return (
        id(plan),
        id(inv.workloads),
        len(inv.workloads),
        id(deps.edges),
        len(deps.edges),
        astuple(a.overhead),
    )


class BasisCache:
    """Keeps the last basis per plan and reuses it while its inputs are unchanged.

    The key covers the schedule (waves, dates, modes, members), the inventory and
    dependency collections (by identity and size) and the settings the basis uses.
    After editing workloads or edges in place, call :meth:`clear`.
    """

    def __init__(self) -> None:
        self._table: tuple[tuple[Any, ...], WorkloadTable] | None = None
        self._basis: tuple[tuple[Any, ...], PlanBasis] | None = None

    def clear(self) -> None:
        self._table = None
        self._basis = None

    def basis(self, plan: Plan, a: Assumptions, store: bool = True) -> PlanBasis:
        """The basis for these assumptions; with ``store`` False a miss is not kept."""
        tkey = _table_key(plan, a)
        key = (tkey, _schedule_key(plan), a.start, a.horizon_months, astuple(a.observability))
        if not store and (self._basis is None or self._basis[0] != key):
            table = self._table[1] if self._table is not None and self._table[0] == tkey else None
            return build_basis(plan, a, table)
        if self._table is None or self._table[0] != tkey:
            self._table = (tkey, workload_table(plan.inventory, plan.dependencies, a.overhead))
            self._basis = None
        if self._basis is None or self._basis[0] != key:
            self._basis = (key, build_basis(plan, a, self._table[1]))
        basis = self._basis[1]
        basis.assumptions = a
        return basis


@dataclass(frozen=True, slots=True)
class Evaluation:
    inputs: CashFlowInputs
    cash_flow: CashFlow
    metrics: Metrics
    risk_adjusted: Metrics
    infrastructure_monthly: FloatArray  # the priced overhead, whether used or not
    observability_monthly: FloatArray


def evaluate(a: Assumptions, basis: PlanBasis) -> Evaluation:
    total = basis.timeline.monthly_total()
    infra = monthly_cost(total[0], total[1], a.prices)
    obs = basis.observability.monthly_cost(a.observability, a.prices)
    inputs = compile_inputs(
        a,
        coverage=basis.coverage.workloads,
        infrastructure_monthly=infra,
        observability_monthly=obs if a.observability.enabled else None,
    )
    flow = cash_flow(inputs)
    risky = cash_flow(inputs, risk_adjusted=True)
    return Evaluation(
        inputs=inputs,
        cash_flow=flow,
        metrics=metrics(flow.cost_total, flow.benefit_total, a.discount_rate),
        risk_adjusted=metrics(risky.cost_total, risky.benefit_total, a.discount_rate),
        infrastructure_monthly=np.asarray(infra),
        observability_monthly=np.asarray(obs),
    )
