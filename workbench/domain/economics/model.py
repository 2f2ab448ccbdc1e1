"""The economics of a plan: the schedule-dependent basis, cached, and its evaluation.

The basis is built in three layers, each cached by :class:`BasisCache` on what it
depends on, so an edit redoes only the layers below it:

1. :class:`Estate` - the workload table (pods, proxy requests, traffic), node counts and,
   on first use, the calls' monitoring weights: depends on the inventory, the
   dependencies and the overhead profile.
2. :class:`~workbench.domain.economics.membership.Membership` - the waves' members and
   what they add per wave: depends on which workloads each wave holds (and their modes).
3. :class:`PlanBasis` - month grid, coverage and overhead timeline: depends on the
   waves' dates too. The monitoring load is computed on first use only, as the cash
   flow needs it only when infrastructure is ``computed`` with observability enabled.

A wave drag therefore redoes only layer 3, which is small matrices (waves x months).
An edit to any other assumption (a cost line, a price, the ramp, the discount rate)
reuses the basis and only redoes the cash flow.

The inventory and the dependencies are recognised by identity and by their
``revision`` counter, which every in-place edit bumps (the domain commands do; code
that edits them in place by other means bumps it too, or calls :meth:`BasisCache.clear`).
The schedule and the assumptions are compared by value.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import astuple, dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from workbench.domain.assumptions import Assumptions, EstateCase, OverheadProfile
from workbench.domain.dependencies import Dependencies
from workbench.domain.economics.cashflow import (
    CashFlow,
    CashFlowInputs,
    cash_flow,
    compile_inputs,
)
from workbench.domain.economics.coverage import Coverage, MonthGrid, month_grid, shares_meshed
from workbench.domain.economics.estate_case import (
    ReadinessBasis,
    WaveEffort,
    estate_cost_series,
    readiness_basis,
    wave_effort,
)
from workbench.domain.economics.membership import Membership, WaveLoads, membership
from workbench.domain.economics.metrics import FloatArray, Metrics, metrics
from workbench.domain.economics.observability import (
    EdgeLoad,
    ObservabilityLoad,
    edge_load,
    observability_load,
)
from workbench.domain.economics.overhead import (
    OverheadTimeline,
    WorkloadTable,
    cluster_nodes,
    workload_table,
)
from workbench.domain.economics.pricing import monthly_cost
from workbench.domain.economics.timeline import overhead_timeline
from workbench.domain.findings import Finding
from workbench.domain.inventory import Inventory
from workbench.domain.plan import Plan
from workbench.domain.readiness import evaluate as evaluate_readiness


@dataclass(slots=True)
class Estate:
    """What the economics derive from the inventory and dependencies alone."""

    inventory: Inventory
    dependencies: Dependencies
    table: WorkloadTable
    nodes: dict[str, int]  # per cluster
    _edges: EdgeLoad | None = field(default=None, repr=False)

    def edges(self) -> EdgeLoad:
        """The calls' monitoring weights per workload (computed on first use)."""
        if self._edges is None:
            self._edges = edge_load(self.table, self.inventory, self.dependencies)
        return self._edges


def estate(plan: Plan, profile: OverheadProfile) -> Estate:
    table = workload_table(plan.inventory, plan.dependencies, profile)
    nodes = cluster_nodes(plan.inventory, table, profile)
    return Estate(plan.inventory, plan.dependencies, table, nodes)


def _modes(plan: Plan) -> tuple[str, ...]:
    return tuple(w.mode for w in plan.schedule.waves)


def plan_readiness(plan: Plan) -> ReadinessBasis:
    """Each workload's readiness class and the open blocker rules, from the rules."""
    return readiness_from_findings(evaluate_readiness(plan).findings)


def readiness_from_findings(findings: Sequence[Finding]) -> ReadinessBasis:
    """The classes and open blocker rules from active findings (readiness ones count)."""
    report_findings = findings
    severities: dict[str, list[str]] = {}
    for f in report_findings:
        if f.source == "readiness":
            severities.setdefault(f.subject, []).append(f.severity)
    blockers = frozenset(
        f.rule for f in report_findings if f.severity == "blocker" and f.source == "readiness"
    )
    return readiness_basis(severities, blockers)


class _Memo:
    """The readiness classes, made on first use: the rules run only if a figure needs them."""

    __slots__ = ("_make", "value")

    def __init__(
        self, make: Callable[[], ReadinessBasis], value: ReadinessBasis | None = None
    ) -> None:
        self._make = make
        self.value = value

    def __call__(self) -> ReadinessBasis:
        if self.value is None:
            self.value = self._make()
        return self.value


@dataclass(slots=True)
class PlanBasis:
    """What the economics derive from the estate and the schedule.

    The parts computed on first use (the other data-plane modes, the monitoring load)
    read the plan's schedule then: use a basis before editing the plan further.
    """

    plan: Plan
    assumptions: Assumptions
    grid: MonthGrid
    coverage: Coverage
    estate: Estate
    membership: Membership
    timeline: OverheadTimeline
    readiness: Callable[[], ReadinessBasis] = field(default=lambda: ReadinessBasis({}, frozenset()))
    _by_mode: dict[str, OverheadTimeline] = field(default_factory=dict, repr=False)
    _observability: ObservabilityLoad | None = field(default=None, repr=False)
    _effort: dict[tuple[Any, ...], WaveEffort] = field(default_factory=dict, repr=False)

    def wave_effort(self, settings: EstateCase) -> WaveEffort:
        """Each wave's migration effort and training under ``settings`` and the owner
        teams of the business metadata (cached)."""
        owners = {k: i.owner for k, i in self.plan.business.items() if i.owner}
        key = (astuple(settings), tuple(owners.items()))
        effort = self._effort.get(key)
        if effort is None:
            effort = self._effort[key] = wave_effort(
                settings,
                self.table,
                self.membership,
                self.plan.schedule,
                self.readiness(),
                owners,
            )
        return effort

    def estate_series(self, a: Assumptions) -> list[tuple[str, FloatArray]]:
        """The ``estate`` case's computed cost lines under ``a`` (see :mod:`.estate_case`)."""
        settings = a.estate_case
        effort = self.wave_effort(settings)
        return estate_cost_series(
            settings,
            self.grid,
            self.plan.schedule,
            len(self.table.pods),
            effort,
            len(self.readiness().blocker_rules),
        )

    @property
    def table(self) -> WorkloadTable:
        return self.estate.table

    @property
    def members(self) -> list[npt.NDArray[np.int64]]:
        """Each wave's members as positions in the workload table."""
        return self.membership.members

    def _loads(self, modes: tuple[str, ...]) -> WaveLoads:
        return self.membership.loads(self.estate.table, self.assumptions.overhead, modes)

    def timeline_as(self, mode: str) -> OverheadTimeline:
        """The overhead if every wave used ``mode`` ("sidecar" or "ambient")."""
        if mode not in self._by_mode:
            sched = self.plan.schedule
            self._by_mode[mode] = overhead_timeline(
                sched,
                self.grid,
                self.assumptions.overhead,
                self.membership,
                self._loads((mode,) * len(sched.waves)),
                self.estate.nodes,
            )
        return self._by_mode[mode]

    @property
    def observability(self) -> ObservabilityLoad:
        """The monitoring load month by month (computed on first use)."""
        if self._observability is None:
            self._observability = observability_load(
                self.estate.edges(),
                self.membership,
                self._loads(_modes(self.plan)).sidecar_pods,
                self.plan.schedule,
                self.grid,
                self.assumptions.observability,
            )
        return self._observability


def build_basis(
    plan: Plan,
    a: Assumptions,
    base: Estate | None = None,
    members: Membership | None = None,
    readiness: Callable[[], ReadinessBasis] | None = None,
) -> PlanBasis:
    """The basis; ``base``, ``members`` and ``readiness`` reuse layers built before."""
    sched = plan.schedule
    if base is None:
        base = estate(plan, a.overhead)
    if members is None:
        members = membership(base.table, sched)
    table = base.table
    grid = month_grid(sched, a.start, max(a.horizon_months, 0))
    loads = members.loads(table, a.overhead, _modes(plan))
    return PlanBasis(
        plan=plan,
        assumptions=a,
        grid=grid,
        coverage=shares_meshed(
            np.vstack([members.workloads, members.pods]),
            (members.already_workloads, members.already_pods),
            (len(table.pods), int(table.pods.sum())),
            sched,
            grid,
        ),
        estate=base,
        membership=members,
        timeline=overhead_timeline(sched, grid, a.overhead, members, loads, base.nodes),
        readiness=readiness if readiness is not None else _Memo(lambda: plan_readiness(plan)),
    )


def _dates_key(plan: Plan) -> tuple[Any, ...]:
    s = plan.schedule
    return (
        tuple((w.start, w.end, w.name) for w in s.waves),
        tuple(p.start for p in s.phases),
        tuple(a.start for a in s.activities),
    )


def _readiness_key(plan: Plan) -> tuple[Any, ...]:
    """What the readiness rules read from the schedule: which workloads head for ambient
    or STRICT, and the mesh settings. Moving workloads between sidecar PERMISSIVE waves,
    or dragging a wave, keeps it."""
    ambient: set[str] = set()
    strict: set[str] = set()
    for w in plan.schedule.waves:
        if w.mode != "sidecar":
            ambient.update(w.members)
        if w.mtls == "STRICT":
            strict.update(w.members)
    return (frozenset(ambient), frozenset(strict), astuple(plan.mesh))


def _readiness_layer_key(plan: Plan, a: Assumptions) -> tuple[Any, ...]:
    ekey = (plan.inventory.revision, plan.dependencies.revision, astuple(a.overhead))
    return (ekey, _readiness_key(plan), tuple(astuple(m) for m in plan.mutes))


def _membership_key(plan: Plan) -> tuple[Any, ...]:
    return tuple((w.id, tuple(w.members)) for w in plan.schedule.waves)


@dataclass(slots=True)
class _Layer:
    """One cached layer: the objects it was built from (by identity), its key, the value."""

    sources: tuple[object, ...]
    key: tuple[Any, ...]
    value: Any

    def matches(self, sources: tuple[object, ...], key: tuple[Any, ...]) -> bool:
        return (
            len(sources) == len(self.sources)
            and all(a is b for a, b in zip(sources, self.sources, strict=True))
            and key == self.key
        )


class BasisCache:
    """Keeps the last basis of a plan, and its layers, while their inputs are unchanged.

    Layers are keyed as the module describes: the inventory and dependencies by identity
    and ``revision``, the schedule and the settings each layer uses by value.
    """

    def __init__(self) -> None:
        self._estate: _Layer | None = None
        self._members: _Layer | None = None
        self._basis: _Layer | None = None
        self._readiness: _Layer | None = None

    def clear(self) -> None:
        self._estate = self._members = self._basis = self._readiness = None

    @staticmethod
    def _get(layer: _Layer | None, sources: tuple[object, ...], key: tuple[Any, ...]) -> Any:
        return layer.value if layer is not None and layer.matches(sources, key) else None

    def holds_readiness(self, plan: Plan, a: Assumptions) -> bool:
        """Whether the readiness classes of ``plan`` as it stands are at hand (given, or
        computed already), so that no basis of it runs the readiness rules."""
        sources = (plan, plan.inventory, plan.dependencies)
        ready = self._get(self._readiness, sources, _readiness_layer_key(plan, a))
        return isinstance(ready, _Memo) and ready.value is not None

    def basis(
        self,
        plan: Plan,
        a: Assumptions,
        store: bool = True,
        readiness: ReadinessBasis | None = None,
    ) -> PlanBasis:
        """The basis for these assumptions; with ``store`` False a miss is not kept.
        ``readiness``: the plan's current readiness, when the caller has it already."""
        inv, deps = plan.inventory, plan.dependencies
        sources = (inv, deps)
        ekey = (inv.revision, deps.revision, astuple(a.overhead))
        mkey = (ekey, _membership_key(plan))
        key: tuple[Any, ...] = (mkey, _dates_key(plan), _modes(plan), a.start)
        key += (a.horizon_months, astuple(a.observability))
        rkey = _readiness_layer_key(plan, a)
        ready = self._get(self._readiness, (plan, *sources), rkey)
        if ready is None:
            ready = _Memo(lambda: plan_readiness(plan), readiness)
            if store:
                self._readiness = _Layer((plan, *sources), rkey, ready)
        found = self._get(self._basis, (plan, *sources), key)
        if isinstance(found, PlanBasis):
            found.assumptions = a
            if found.readiness is not ready:
                found.readiness = ready
                found._effort.clear()
            return found
        base = self._get(self._estate, sources, ekey)
        if not isinstance(base, Estate):
            base = estate(plan, a.overhead)
            if store:
                self._estate, self._members = _Layer(sources, ekey, base), None
        members = self._get(self._members, sources, mkey)
        if not isinstance(members, Membership):
            members = membership(base.table, plan.schedule)
            if store:
                self._members = _Layer(sources, mkey, members)
        basis = build_basis(plan, a, base, members, ready)
        if store:
            self._basis = _Layer((plan, *sources), key, basis)
        return basis


@dataclass(frozen=True, slots=True)
class Evaluation:
    inputs: CashFlowInputs
    cash_flow: CashFlow
    metrics: Metrics
    risk_adjusted: Metrics
    infrastructure_monthly: FloatArray  # the priced overhead, whether used or not
    observability_monthly: FloatArray  # the priced monitoring load when used, else zeros


def evaluate(a: Assumptions, basis: PlanBasis) -> Evaluation:
    total = basis.timeline.monthly_total()
    infra = monthly_cost(total[0], total[1], a.prices)
    if a.infrastructure == "computed" and a.observability.enabled:
        obs = basis.observability.monthly_cost(a.observability, a.prices)
    else:  # not in the cash flow: not computed
        obs = np.zeros(basis.grid.months)
    inputs = compile_inputs(
        a,
        coverage=basis.coverage.workloads,
        infrastructure_monthly=infra,
        observability_monthly=obs if a.observability.enabled else None,
        derived=basis.estate_series(a) if a.case == "estate" else (),
        workloads=len(basis.table.pods),
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
