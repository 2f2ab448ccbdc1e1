"""What the executive report shows: the figures computed once, the cover's KPIs and
tables, and every chart as a builder over the shared :mod:`workbench.charts`.

The PDF and PNG exports (:mod:`workbench.ops.export_report`) lay these out; a viewer
can call the same builders with its own palette, size or subfigure.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from matplotlib.figure import Figure

from workbench.charts.cashflow import cashflow_figure
from workbench.charts.cost_breakdown import cost_breakdown_figure
from workbench.charts.coverage import coverage_figure
from workbench.charts.findings import findings_figure
from workbench.charts.gantt import gantt_figure
from workbench.charts.kpis import Kpi, kpi_figure, table_figure
from workbench.charts.montecarlo import montecarlo_figure
from workbench.charts.overhead import overhead_by_wave_figure, sidecar_vs_ambient_figure
from workbench.charts.style import Palette, Target, money, percent
from workbench.charts.tornado import tornado_figure
from workbench.domain.economics.metrics import irr_caveat, payback_text
from workbench.domain.findings import Finding
from workbench.domain.plan import Plan
from workbench.ops.check import check_plan
from workbench.ops.economics import EconomicsReport, case_notes, compute
from workbench.ops.planning import ScheduleOutputs, schedule_outputs

NOTE_WIDTH = 150  # characters a line of the cover's notes


@dataclass(frozen=True, slots=True)
class ReportData:
    """Everything the report shows, computed once."""

    plan: Plan
    economics: EconomicsReport
    schedule: ScheduleOutputs
    findings: list[Finding]
    today: date


def report_data(plan: Plan, scenario: str | None = None, today: date | None = None) -> ReportData:
    return ReportData(
        plan=plan,
        economics=compute(plan, scenario, with_monte_carlo=True),
        schedule=schedule_outputs(plan),
        findings=check_plan(plan).findings,
        today=today or date.today(),
    )


def _months(value: float | None) -> str:
    return payback_text(value)


def kpis(data: ReportData) -> list[Kpi]:
    """The cover's tiles: the business case, the overhead and the findings."""
    e = data.economics
    m, r, cur = e.metrics, e.risk_adjusted, e.currency
    years = e.assumptions.horizon_months / 12
    span = f"{years:g}-year" if years == int(years) else f"{e.assumptions.horizon_months}-month"
    o = e.overhead
    counts = {s: 0 for s in ("blocker", "high")}
    for f in data.findings:
        if f.severity in counts:
            counts[f.severity] += 1
    milestone = data.schedule.strict_milestone
    return [
        Kpi(f"{span} cost", money(m.total_cost, cur)),
        Kpi(f"{span} benefit", money(m.total_benefit, cur)),
        Kpi("Net benefit", money(m.net_benefit, cur), tone="good" if m.net_benefit >= 0 else "bad"),
        Kpi(
            "ROI",
            percent(m.roi),
            f"risk-adjusted {percent(r.roi)}",
            tone="good" if (m.roi or 0) >= 0 else "bad",
        ),
        Kpi(
            "NPV",
            money(m.npv, cur),
            f"at {e.assumptions.discount_rate:.0%} a year · risk-adjusted {money(r.npv, cur)}",
            tone="good" if m.npv >= 0 else "bad",
        ),
        Kpi(
            "Payback",
            "none" if m.payback_months is None else f"{m.payback_months:.1f} mo",
            f"risk-adjusted: {_months(r.payback_months)}",
            tone="bad" if m.payback_months is None else "neutral",
        ),
        Kpi(
            "IRR",
            percent(m.irr),
            ("a year (!)" if irr_caveat(m.irr) else "a year")
            + ("" if m.mirr is None else f" · MIRR {percent(m.mirr)}"),
        ),
        Kpi(
            "Mesh overhead",
            f"{o.cpu_m / 1000:,.1f} vCPU",
            f"{o.memory_bytes / 2**30:,.1f} GiB · {money(o.monthly_cost, cur)} a month"
            f" · {o.nodes.whole_nodes} node(s)",
        ),
        Kpi(
            "Blockers / high findings",
            f"{counts['blocker']} / {counts['high']}",
            f"{len(data.findings)} active findings in all",
            tone="bad" if counts["blocker"] else "neutral",
        ),
        Kpi(
            "Mesh-wide STRICT",
            milestone.isoformat() if milestone else "not yet",
            "STRICT mTLS safe everywhere",
        ),
    ]


def _subtitle(data: ReportData) -> str:
    plan, e = data.plan, data.economics
    inv, sched = plan.inventory, plan.schedule
    live = sum(1 for w in inv.workloads.values() if not w.vanished)
    lines = [
        f"{live:,} workloads in {len(inv.namespaces):,} namespaces on "
        f"{len(inv.clusters)} cluster(s) · {len(sched.waves)} wave(s) in "
        f"{len(sched.phases)} phase(s) · {len(plan.unassigned()):,} workload(s) in no wave",
        f"Scenario: {e.scenario or 'the plan assumptions'} · currency {e.currency} · "
        f"report of {data.today.isoformat()}",
    ]
    if e.month_labels:
        lines.append(f"Business case from {e.month_labels[0]} to {e.month_labels[-1]}")
    mc = e.monte_carlo
    if mc is not None:
        lines.append(
            f"NPV {money(e.metrics.npv, e.currency)} deterministic; Monte Carlo expectation "
            f"{money(mc.npv_mean, e.currency)} (P10 {money(mc.npv_p10, e.currency)}, P90 "
            f"{money(mc.npv_p90, e.currency)}), NPV below zero in "
            f"{mc.probability_npv_negative:.0%} of draws"
        )
    caveat = irr_caveat(e.metrics.irr)
    if caveat:
        lines.append(caveat[0].upper() + caveat[1:])
    for heading, text in case_notes(plan, e):
        lines += textwrap.wrap(f"{heading}: {text}", NOTE_WIDTH)
    return "\n".join(lines)


Builder = Callable[[Palette, tuple[float, float], Target | None], Figure]


def charts(data: ReportData) -> dict[str, Builder]:
    """Each report chart by file name (without extension): palette, size, target -> Figure."""
    e = data.economics
    flow = e.evaluation.cash_flow
    cur = e.currency
    out = data.schedule
    strict = {k: v.date for k, v in out.strict_dates.items()}
    violations: dict[str, int] = {}
    wave_ids = {w.id for w in data.plan.schedule.waves}
    for f in data.findings:
        if f.source == "schedule":
            for item in f.items:
                if item in wave_ids:
                    violations[item] = violations.get(item, 0) + 1
    by_mode = {"As planned": e.overhead}
    by_mode.update({f"All {m}": s for m, s in e.overhead_by_mode.items()})
    cov = e.basis.coverage
    shown = _schedule_months(data)
    title = data.plan.meta.title
    return {
        "cover-kpis": lambda p, s, t: kpi_figure(
            kpis(data),
            title=title,
            subtitle=_subtitle(data),
            columns=5,
            palette=p,
            size=s,
            target=t,
        ),
        "scenarios": lambda p, s, t: table_figure(
            ["Scenario", "Cost", "Benefit", "ROI", "NPV", "Payback", "Risk-adjusted NPV"],
            scenario_rows(data),
            title="Scenarios side by side",
            highlight=_active_row(data),
            palette=p,
            size=s,
            target=t,
        ),
        "gantt": lambda p, s, t: gantt_figure(
            data.plan.schedule,
            today=data.today,
            namespace_strict=strict,
            mesh_strict=out.strict_milestone,
            violations=violations,
            palette=p,
            size=s,
            target=t,
        ),
        "coverage": lambda p, s, t: coverage_figure(
            e.month_labels[:shown],
            cov.workloads[:shown],
            cov.pods[:shown],
            palette=p,
            size=s,
            target=t,
        ),
        "cashflow": lambda p, s, t: cashflow_figure(
            e.month_labels,
            flow.cost_total,
            flow.benefit_total,
            e.metrics.payback_months,
            currency=cur,
            palette=p,
            size=s,
            target=t,
        ),
        "cost-breakdown": lambda p, s, t: cost_breakdown_figure(
            e.evaluation.inputs.cost_names, flow.costs, currency=cur, palette=p, size=s, target=t
        ),
        "overhead-per-wave": lambda p, s, t: overhead_by_wave_figure(
            e.basis, unit="cost", currency=cur, palette=p, size=s, target=t
        ),
        "sidecar-vs-ambient": lambda p, s, t: sidecar_vs_ambient_figure(
            by_mode, currency=cur, palette=p, size=s, target=t
        ),
        "tornado": lambda p, s, t: tornado_figure(
            e.tornado,
            e.metrics.npv,
            step=e.assumptions.sensitivity_step,
            currency=cur,
            palette=p,
            size=s,
            target=t,
        ),
        "montecarlo": lambda p, s, t: _montecarlo(data, p, s, t),
        "findings": lambda p, s, t: findings_figure(data.findings, palette=p, size=s, target=t),
    }


def scenario_rows(data: ReportData) -> list[list[str]]:
    """The base case and every scenario: the cover's comparison table."""
    cur = data.economics.currency
    rows = []
    for sc in data.economics.scenarios:
        m, r = sc.metrics, sc.risk_adjusted
        rows.append(
            [
                sc.name or "Plan assumptions",
                money(m.total_cost, cur),
                money(m.total_benefit, cur),
                percent(m.roi),
                money(m.npv, cur),
                "-" if m.payback_months is None else f"{m.payback_months:.1f} mo",
                money(r.npv, cur),
            ]
        )
    return rows


def _active_row(data: ReportData) -> int | None:
    names = [sc.name for sc in data.economics.scenarios]
    active = data.economics.scenario or ""
    return names.index(active) if active in names else None


def _schedule_months(data: ReportData) -> int:
    """Months of the business case until the schedule's last date (12 at least): the span
    the coverage curve is worth showing over, under the Gantt."""
    grid = data.economics.basis.grid
    sched = data.plan.schedule
    ends = [p.end for p in sched.phases] + [a.end for a in sched.activities]
    ends += [w.end for w in sched.waves]
    if not ends or grid.start is None:
        return grid.months
    last = max(ends).toordinal()
    count = 0
    for month in range(1, grid.months + 1):
        first = grid.month_start(month)
        if first is None or first.toordinal() > last:
            break
        count = month
    return min(grid.months, max(count, 12))


def _montecarlo(
    data: ReportData, p: Palette, size: tuple[float, float], t: Target | None
) -> Figure:
    mc = data.economics.monte_carlo
    assert mc is not None  # report_data asks for it
    cur = data.economics.currency
    return montecarlo_figure(mc, mc.npv_draws, currency=cur, palette=p, size=size, target=t)
