"""``mesh-workbench plan auto PLAN [options] -o OUT``: propose waves and save the plan."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from workbench.domain.errors import WorkbenchError


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _count(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser("plan", help="plan waves")
    actions = p.add_subparsers(dest="plan_action", metavar="ACTION", required=True)
    auto = actions.add_parser(
        "auto",
        help="propose waves for the unassigned workloads",
        description="Fill waves with the plan's unassigned workloads: pilot first (lowest "
        "risk and fan-in), callees before callers, non-production before production, call "
        "cycles together; workloads with a readiness blocker are left out.",
    )
    auto.add_argument("plan", help="a .meshplan file")
    auto.add_argument("-o", "--output", required=True, help="where to save the planned file")
    auto.add_argument(
        "--max-workloads",
        type=_count,
        default=50,
        metavar="N",
        help="workloads per wave (default 50; 0: no limit)",
    )
    auto.add_argument(
        "--max-pods",
        type=_count,
        default=0,
        metavar="N",
        help="pods per wave (default 0: no limit)",
    )
    auto.add_argument(
        "--wave-days",
        type=_count,
        default=14,
        metavar="DAYS",
        help="length of a wave in days (default 14)",
    )
    auto.add_argument(
        "--start",
        type=_day,
        help="no wave before this day (YYYY-MM-DD); "
        "default: the phases' dates, or today when the plan has no phases",
    )
    ns = auto.add_mutually_exclusive_group()
    ns.add_argument(
        "--keep-namespaces",
        dest="keep_ns",
        action="store_true",
        default=None,
        help="keep each namespace in one wave (default when injection is by namespace label)",
    )
    ns.add_argument(
        "--split-namespaces",
        dest="keep_ns",
        action="store_false",
        help="let a namespace span waves",
    )
    auto.add_argument(
        "--pilot-size",
        type=_count,
        default=10,
        metavar="N",
        help="workloads in the pilot wave (default 10; 0: no pilot)",
    )
    auto.add_argument(
        "--env-order",
        default="dev,test,staging,prod",
        metavar="LIST",
        help="environment order, comma-separated (default dev,test,staging,prod)",
    )
    auto.add_argument(
        "--mode",
        choices=("sidecar", "ambient"),
        default="sidecar",
        help="target data-plane mode of the new waves",
    )
    auto.add_argument(
        "--replan", action="store_true", help="drop every wave and plan all workloads again"
    )
    auto.set_defaults(func=run_auto)


def run_auto(args: argparse.Namespace) -> int:
    from workbench.domain.planning.autoplan import AutoPlanOptions
    from workbench.io.plan_file import load_plan, save_plan
    from workbench.ops.planning import propose_plan, validate

    for name in ("max_workloads", "max_pods", "wave_days", "pilot_size"):
        if getattr(args, name) < 0:
            raise WorkbenchError(f"--{name.replace('_', '-')} cannot be negative")
    plan = load_plan(args.plan)
    start = args.start
    if start is None and not plan.schedule.phases:
        start = date.today()
    options = AutoPlanOptions(
        max_workloads=args.max_workloads or None,
        max_pods=args.max_pods or None,
        wave_length_days=args.wave_days,
        start=start,
        keep_namespaces_whole=args.keep_ns,
        pilot_size=args.pilot_size,
        environment_order=tuple(e.strip() for e in args.env_order.split(",") if e.strip()),
        target_mode=args.mode,
        keep_assignments=not args.replan,
    )
    proposal = propose_plan(plan, options)
    proposal.command().do(plan)
    save_plan(plan, args.output)
    findings = validate(plan)
    serious = [f for f in findings if f.severity in ("blocker", "high")]
    print(
        f"planned {proposal.assigned_count()} workload(s) into {len(proposal.waves)} new "
        f"wave(s); saved {args.output}"
    )
    for note in proposal.notes:
        print(f"note: {note}")
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    summary = ", ".join(f"{n} {sev}" for sev, n in counts.items()) or "none"
    print(f"schedule findings: {summary}")
    for f in serious[:10]:
        print(f"  {f.severity} {f.rule}: {f.message}")
    return 0
