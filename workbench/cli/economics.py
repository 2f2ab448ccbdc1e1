"""``mesh-workbench economics PLAN [--scenario S] [--json]``: cash flow and sensitivity."""

from __future__ import annotations

import argparse
from typing import Any

from workbench.cli.plan_report import plan_report_parser, print_report


def register(sub: Any) -> None:
    p = plan_report_parser(
        sub,
        "economics",
        help="print a plan's monthly cash flow, metrics and sensitivity ranking",
        json_help="one JSON object instead of tables",
    )
    p.add_argument("--scenario", help="evaluate under this scenario (default: the plan's)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from workbench.io.plan_file import load_plan
    from workbench.ops.economics import compute, report_as_dict

    plan = load_plan(args.plan)
    report = compute(plan, args.scenario, with_monte_carlo=True, with_latency=True)
    print_report(args, lambda: report_as_dict(report), lambda: report_as_text(report))
    return 0


def _money(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def _months(value: float | None) -> str:
    from workbench.domain.economics.metrics import payback_text

    return payback_text(value)


def report_as_text(report: Any) -> str:
    """Plain-text tables: the metrics, the monthly cash flow, the sensitivity ranking."""
    from workbench.domain.economics.metrics import irr_caveat
    from workbench.domain.economics.montecarlo import headline_note

    m, r = report.metrics, report.risk_adjusted
    cur = report.currency
    roi = "-" if m.roi is None else f"{m.roi:.1%}"
    irr = "-" if m.irr is None else f"{m.irr:.1%}"
    lines = [
        f"Scenario: {report.scenario or '(plan assumptions)'}   currency: {cur}",
        f"Total cost {_money(m.total_cost)}  benefit {_money(m.total_benefit)}  "
        f"net {_money(m.net_benefit)}  ROI {roi}  NPV {_money(m.npv)}  IRR {irr}  "
        f"payback {_months(m.payback_months)}",
        f"MIRR {'-' if m.mirr is None else f'{m.mirr:.1%}'}"
        + (f"  ({caveat})" if (caveat := irr_caveat(m.irr)) else ""),
        f"Risk-adjusted: NPV {_money(r.npv)}  payback {_months(r.payback_months)}",
        "",
        f"{'month':>5}  {'label':<8}  {'cost':>14}  {'benefit':>14}  {'net':>14}  "
        f"{'cumulative':>14}  {'coverage':>8}",
    ]
    flow = report.evaluation.cash_flow
    cum = flow.cumulative_net
    cov = report.basis.coverage.workloads
    for i, label in enumerate(report.month_labels):
        lines.append(
            f"{i + 1:>5}  {label:<8}  {flow.cost_total[i]:>14,.0f}  {flow.benefit_total[i]:>14,.0f}"
            f"  {flow.net[i]:>14,.0f}  {cum[i]:>14,.0f}  {cov[i]:>8.1%}"
        )
    lines += ["", f"Sensitivity (NPV at -/+ {report.assumptions.sensitivity_step:.0%}):"]
    for rank, bar in enumerate(report.tornado, 1):
        lines.append(
            f"{rank:>3}. {bar.label:<40} {_money(bar.npv_low):>14} .. {_money(bar.npv_high):>14}"
            f"  swing {_money(bar.swing)}"
        )
    o = report.overhead
    lines += [
        "",
        f"Overhead (steady state): {o.cpu_m / 1000:.1f} vCPU, {o.memory_bytes / 2**30:.1f} GiB, "
        f"{_money(o.monthly_cost)} a month, {o.nodes.whole_nodes} node(s)",
    ]
    for mode, s in report.overhead_by_mode.items():
        lines.append(
            f"  all {mode:<8} {s.cpu_m / 1000:.1f} vCPU, {s.memory_bytes / 2**30:.1f} GiB, "
            f"{_money(s.monthly_cost)} a month"
        )
    mc = report.monte_carlo
    if mc is not None:
        lines.append(
            f"Monte Carlo ({mc.draws} draws): NPV P10 {_money(mc.npv_p10)} P50 "
            f"{_money(mc.npv_p50)} P90 {_money(mc.npv_p90)}; payback P50 "
            f"{_months(mc.payback_p50)}; mean NPV {_money(mc.npv_mean)}, "
            f"P(NPV < 0) {mc.probability_npv_negative:.0%}"
        )
        lines.append(headline_note(m.npv, mc))
    return "\n".join(lines)
