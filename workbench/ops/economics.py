"""The economics use-case: one call gives everything the views, CLI and exports show.

``compute(plan)`` evaluates the plan under its active scenario (or the one named):
the monthly cash flow, the investment metrics (plain and risk-adjusted), the overhead
(per component, per wave, steady state, sidecar and ambient side by side), the
monitoring load, the tornado and all scenarios side by side; on request also the
Monte Carlo run and the longest call chains' added latency.

What the figures derive from the estate and the schedule is cached across calls in
layers (see :mod:`workbench.domain.economics.model`): an assumption edit only redoes
the cash flow, a wave drag only the per-month matrices. The cache recognises the
inventory and dependencies by identity and ``revision`` (bumped by the commands that
edit them in place) and compares the schedule and assumptions by value, so it is never
stale after an edit made through a command; code that edits the inventory or the edges
in place by other means bumps their ``revision`` (or passes a fresh ``BasisCache``).
"""

from __future__ import annotations

from workbench.domain.assumptions import Assumptions
from workbench.domain.defaults import untouched_defaults
from workbench.domain.economics.cashflow import COMPUTED_INFRASTRUCTURE, COMPUTED_OBSERVABILITY
from workbench.domain.economics.estate_case import ESTATE_BASES, ReadinessBasis
from workbench.domain.economics.latency import longest_chains
from workbench.domain.economics.metrics import Metrics, irr_caveat
from workbench.domain.economics.model import BasisCache, evaluate
from workbench.domain.economics.montecarlo import (
    headline_note,
    line_ranges,
    monte_carlo,
)
from workbench.domain.economics.pricing import GIB
from workbench.domain.economics.scenarios import (
    apply_scenario,
    compare_scenarios,
)
from workbench.domain.economics.sensitivity import tornado
from workbench.domain.errors import WorkbenchError
from workbench.domain.plan import Plan
from workbench.ops.economics_report import EconomicsReport as EconomicsReport  # re-exported
from workbench.ops.economics_report import OverheadSummary, overhead_summary

_CACHE = BasisCache()
COMPUTED_BASES = {
    **ESTATE_BASES,
    COMPUTED_INFRASTRUCTURE: "the priced mesh overhead of the schedule, control plane included",
    COMPUTED_OBSERVABILITY: "the monitoring load the meshed calls add, priced",
}


def scenario_assumptions(plan: Plan, scenario: str | None) -> tuple[str | None, Assumptions]:
    """The assumptions under ``scenario`` (default: the plan's active scenario)."""
    name = scenario if scenario is not None else plan.active_scenario
    if name is None:
        return None, plan.assumptions
    for s in plan.scenarios:
        if s.name == name:
            return name, apply_scenario(plan.assumptions, s)
    names = ", ".join(s.name for s in plan.scenarios) or "none"
    raise WorkbenchError(f"no scenario named {name!r} in the plan (it has: {names})")


def compute(
    plan: Plan,
    scenario: str | None = None,
    *,
    with_monte_carlo: bool = False,
    with_latency: bool = False,
    cache: BasisCache | None = None,
    readiness: ReadinessBasis | None = None,
) -> EconomicsReport:
    """``readiness``: the plan's current readiness classes, when the caller has them."""
    cache = _CACHE if cache is None else cache
    name, a = scenario_assumptions(plan, scenario)
    basis = cache.basis(plan, a, readiness=readiness)
    ev = evaluate(a, basis)

    def side(a_s: Assumptions) -> tuple[Metrics, Metrics]:
        e = evaluate(a_s, cache.basis(plan, a_s, store=False))
        return e.metrics, e.risk_adjusted

    computed = frozenset({COMPUTED_INFRASTRUCTURE, COMPUTED_OBSERVABILITY})
    return EconomicsReport(
        scenario=name,
        currency=a.currency,
        assumptions=a,
        month_labels=basis.grid.labels(),
        evaluation=ev,
        basis=basis,
        overhead=overhead_summary(basis.timeline, "plan", a),
        overhead_by_mode={
            m: overhead_summary(basis.timeline_as(m), m, a) for m in ("sidecar", "ambient")
        },
        waves=basis.timeline.waves,
        tornado=tornado(
            ev.inputs,
            a.sensitivity_step,
            a.ramp.kind,
            a.ramp.months,
            computed,
            line_ranges(ev.inputs, a),
        ),
        scenarios=compare_scenarios(plan.assumptions, plan.scenarios, side),
        monte_carlo=monte_carlo(ev.inputs, a) if with_monte_carlo else None,
        latency=(
            longest_chains(plan.inventory, plan.dependencies, plan.schedule, a.latency, a.overhead)
            if with_latency
            else None
        ),
    )


def case_notes(plan: Plan, report: EconomicsReport) -> list[tuple[str, str]]:
    """The notes the exports carry: the plan's, the scenario's, and untouched defaults."""
    notes: list[tuple[str, str]] = []
    if plan.meta.notes:
        notes.append(("Plan notes", plan.meta.notes))
    if report.scenario is not None:
        described = next((s.description for s in plan.scenarios if s.name == report.scenario), "")
        notes.append((f"Scenario: {report.scenario}", described or "no description"))
    untouched = untouched_defaults(report.assumptions)
    if untouched:
        notes.append(
            (
                "Defaults",
                "This business case still uses the shipped defaults for: "
                + ", ".join(untouched)
                + ". Review them (docs/economics.md gives their sources) before relying on it.",
            )
        )
    return notes


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _metrics_dict(m: Metrics) -> dict[str, object]:
    return {
        "total_cost": round(m.total_cost, 2),
        "total_benefit": round(m.total_benefit, 2),
        "net_benefit": round(m.net_benefit, 2),
        "roi": _round(m.roi, 6),
        "npv": round(m.npv, 2),
        "irr": _round(m.irr, 6),
        "payback_months": _round(m.payback_months, 3),
        "mirr": _round(m.mirr, 6),
    }


def _overhead_dict(o: OverheadSummary) -> dict[str, object]:
    return {
        "sidecar_cpu_cores": round(o.sidecar_cpu_m / 1000.0, 3),
        "sidecar_memory_gib": round(o.sidecar_memory_bytes / GIB, 3),
        "ambient_cpu_cores": round(o.ambient_cpu_m / 1000.0, 3),
        "ambient_memory_gib": round(o.ambient_memory_bytes / GIB, 3),
        "control_plane_cpu_cores": round(o.control_plane_cpu_m / 1000.0, 3),
        "control_plane_memory_gib": round(o.control_plane_memory_bytes / GIB, 3),
        "monthly_cost": round(o.monthly_cost, 2),
        "extra_nodes": o.nodes.whole_nodes,
        "sidecar_pods": o.sidecar_pods,
        "ztunnel_nodes": o.ztunnel_nodes,
        "waypoints": o.waypoints,
        "ztunnel_cpu_cores": round(o.ztunnel_cpu_m / 1000.0, 3),
        "ztunnel_memory_gib": round(o.ztunnel_memory_bytes / GIB, 3),
        "waypoint_cpu_cores": round(o.waypoint_cpu_m / 1000.0, 3),
        "waypoint_memory_gib": round(o.waypoint_memory_bytes / GIB, 3),
    }


def line_bases(report: EconomicsReport) -> list[dict[str, object]]:
    """Every cost and benefit line with its total over the horizon and what it rests on."""
    a, ev = report.assumptions, report.evaluation
    own = {c.name: c.basis for c in a.cost_lines}
    out: list[dict[str, object]] = []
    for i, name in enumerate(ev.inputs.cost_names):
        basis = own.get(name) or COMPUTED_BASES.get(name, "")
        total = float(ev.cash_flow.costs[i].sum())
        out.append({"kind": "cost", "name": name, "total": round(total, 2), "basis": basis})
    for i, b in enumerate(a.benefit_lines[: len(ev.inputs.benefit_names)]):
        total = float(ev.cash_flow.benefits[i].sum())
        out.append({"kind": "benefit", "name": b.name, "total": round(total, 2), "basis": b.basis})
    return out


def report_as_dict(report: EconomicsReport) -> dict[str, object]:
    """The whole report as plain JSON-ready data (``economics --json``)."""
    ev = report.evaluation
    flow = ev.cash_flow
    months = []
    cumulative = flow.cumulative_net
    for i, label in enumerate(report.month_labels):
        months.append(
            {
                "month": i + 1,
                "label": label,
                "cost": round(float(flow.cost_total[i]), 2),
                "benefit": round(float(flow.benefit_total[i]), 2),
                "net": round(float(flow.net[i]), 2),
                "cumulative_net": round(float(cumulative[i]), 2),
                "coverage": round(float(report.basis.coverage.workloads[i]), 6),
                "overhead_cost": round(float(ev.infrastructure_monthly[i]), 2),
            }
        )
    mc = report.monte_carlo
    edges = report.basis.plan.dependencies.edges.values()
    obs = report.assumptions.observability
    return {
        "scenario": report.scenario,
        "currency": report.currency,
        "infrastructure": report.assumptions.infrastructure,
        "ramp": {"kind": report.assumptions.ramp.kind, "months": report.assumptions.ramp.months},
        "metrics": _metrics_dict(report.metrics),
        "risk_adjusted": _metrics_dict(report.risk_adjusted),
        "mirr": _round(report.metrics.mirr, 6),
        "irr_note": irr_caveat(report.metrics.irr),
        "case": report.assumptions.case,
        "defaults_untouched": untouched_defaults(report.assumptions),
        "lines": line_bases(report),
        "months": months,
        "overhead": _overhead_dict(report.overhead),
        "overhead_by_mode": {k: _overhead_dict(v) for k, v in report.overhead_by_mode.items()},
        "waves": [
            {
                "wave": w.wave,
                "name": w.name,
                "mode": w.mode,
                "workloads": w.workloads,
                "pods": w.pods,
                "cpu_cores": round(w.cpu_m / 1000.0, 3),
                "memory_gib": round(w.memory_bytes / GIB, 3),
            }
            for w in report.waves
        ],
        "observability": {
            "series": round(report.basis.observability.steady_series),
            "trace_storage_gib": round(report.basis.observability.steady_trace_bytes / GIB, 3),
            # the trace figure's basis: calls without a measured rate count at this rate
            "edges_without_rate": sum(1 for e in edges if not e.requests_per_second),
            "default_requests_per_second": obs.default_requests_per_second,
        },
        "sensitivity": [
            {
                "input": b.label,
                "path": b.path,
                "npv_low": round(b.npv_low, 2),
                "npv_high": round(b.npv_high, 2),
                "factor_low": round(b.factor_low, 6),
                "factor_high": round(b.factor_high, 6),
                "swing": round(b.swing, 2),
            }
            for b in report.tornado
        ],
        "scenarios": [
            {"name": s.name or None, **_metrics_dict(s.metrics)} for s in report.scenarios
        ],
        "monte_carlo": None
        if mc is None
        else {
            "draws": mc.draws,
            "seed": mc.seed,
            "npv": {
                "p10": round(mc.npv_p10, 2),
                "p50": round(mc.npv_p50, 2),
                "p90": round(mc.npv_p90, 2),
            },
            "payback_months": {
                "p10": _round(mc.payback_p10, 3),
                "p50": _round(mc.payback_p50, 3),
                "p90": _round(mc.payback_p90, 3),
            },
            "probability_npv_positive": mc.probability_npv_positive,
            "probability_payback": mc.probability_payback,
            "npv_mean": round(mc.npv_mean, 2),
            "probability_npv_negative": mc.probability_npv_negative,
            "note": headline_note(report.metrics.npv, mc),
        },
        "latency": None
        if report.latency is None
        else [
            {
                "chain": list(c.workloads),
                "hops": c.hops,
                "added_p90_ms": round(c.added_p90_ms, 3),
                "added_p99_ms": round(c.added_p99_ms, 3),
            }
            for c in report.latency
        ],
    }


def summary_keys(
    plan: Plan,
    scenario: str | None = None,
    *,
    readiness: ReadinessBasis | None = None,
    cache: BasisCache | None = None,
) -> dict[str, object]:
    """The ``economics`` and ``overhead`` keys of ``summary --json``, without the extras.

    ``readiness``: the plan's current readiness classes, when the caller has them (from
    the plan's findings); without them, and unless ``cache`` holds them, the readiness
    rules run here for the whole estate when the business case needs them."""
    cache = _CACHE if cache is None else cache
    _, a = scenario_assumptions(plan, scenario)
    basis = cache.basis(plan, a, readiness=readiness)
    ev = evaluate(a, basis)
    m = ev.metrics
    o = overhead_summary(basis.timeline, "plan", a)
    return {
        "economics": {
            "horizon_months": a.horizon_months,
            **_metrics_dict(m),
            "currency": a.currency,
        },
        "overhead": {
            k: v
            for k, v in _overhead_dict(o).items()
            if k
            in (
                "sidecar_cpu_cores",
                "sidecar_memory_gib",
                "control_plane_cpu_cores",
                "control_plane_memory_gib",
                "monthly_cost",
                "extra_nodes",
                "ambient_cpu_cores",
                "ambient_memory_gib",
                "ztunnel_cpu_cores",
                "ztunnel_memory_gib",
                "waypoint_cpu_cores",
                "waypoint_memory_gib",
            )
        },
    }
