"""``mesh-workbench plan auto PLAN [options] -o OUT``: propose waves and save the plan."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from workbench.cli import json_output
from workbench.domain.errors import WorkbenchError


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _freeze(text: str) -> tuple[date, date]:
    first, sep, last = text.partition(":")
    if not sep:
        raise argparse.ArgumentTypeError(f"not a freeze window FROM:TO (YYYY-MM-DD): {text!r}")
    start, end = _day(first), _day(last)
    if end < start:
        raise argparse.ArgumentTypeError(f"freeze window {text!r} ends before it starts")
    return start, end


def _team_limit(text: str) -> tuple[str, int]:
    team, sep, number = text.rpartition("=")
    if not sep or not team.strip():
        raise argparse.ArgumentTypeError(f"not TEAM=N: {text!r}")
    return team.strip(), _count(number)


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
        description="Fill waves with the plan's unassigned workloads: a pilot of low-risk, "
        "non-critical, non-infrastructure workloads first, callees before callers, "
        "non-production before production, call cycles together, never more than the "
        "capacity per wave; workloads with a readiness blocker, and batch pods that would "
        "never complete under a sidecar, go to the remediation backlog; system namespaces "
        "are out of scope.",
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
        help="keep each namespace in one wave even when larger than the capacity (reported "
        "as a finding); by default, under namespace-label injection, a namespace stays "
        "whole when it fits a wave and is enrolled pod by pod otherwise",
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
        "--parallel",
        type=_count,
        default=2,
        metavar="N",
        help="waves the team runs at once (default 2); saved with the schedule",
    )
    auto.add_argument(
        "--freeze",
        type=_freeze,
        action="append",
        default=[],
        metavar="FROM:TO",
        help="no wave in this date range (YYYY-MM-DD:YYYY-MM-DD, inclusive); repeatable",
    )
    auto.add_argument(
        "--team-parallel",
        type=_team_limit,
        action="append",
        default=[],
        metavar="TEAM=N",
        help="waves holding this owner team's workloads (from import metadata) that may run "
        "at once; repeatable",
    )
    auto.add_argument(
        "--replan", action="store_true", help="drop every wave and plan all workloads again"
    )
    auto.set_defaults(func=run_auto)
    backlog = actions.add_parser(
        "backlog",
        help="the remediation backlog: workloads kept out of the waves, with rule and fix",
    )
    backlog.add_argument("plan", help="a .meshplan file")
    backlog.add_argument("--json", action="store_true", help="print JSON")
    backlog.set_defaults(func=run_backlog)


def run_auto(args: argparse.Namespace) -> int:
    from workbench.io.plan_lock import plan_lock

    for name in ("max_workloads", "max_pods", "wave_days", "pilot_size"):
        if getattr(args, name) < 0:
            raise WorkbenchError(f"--{name.replace('_', '-')} cannot be negative")
    if args.parallel < 1:
        raise WorkbenchError(f"--parallel must be at least 1, not {args.parallel}")
    with plan_lock(args.output):  # no other writer between reading and saving
        return _auto(args)


def _auto(args: argparse.Namespace) -> int:
    from workbench.domain.planning.autoplan import AutoPlanOptions
    from workbench.io.plan_file import load_plan, save_plan
    from workbench.ops.planning import plan_and_validate

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
        parallel=args.parallel,
        freezes=tuple(args.freeze),
        team_parallel=tuple(args.team_parallel),
    )
    proposal, findings = plan_and_validate(plan, options)
    save_plan(plan, args.output)
    serious = [f for f in findings if f.severity in ("blocker", "high")]
    print(
        f"planned {proposal.assigned_count()} workload(s) into {len(proposal.waves)} new "
        f"wave(s); saved {args.output}"
    )
    pilot = [w for w in proposal.waves if w.name.startswith("Pilot")]
    if pilot:
        print(f"pilot: {len(pilot[0].members)} workload(s) in {pilot[0].id}")
    if proposal.waves:
        first = min(w.start for w in proposal.waves)
        last = max(w.end for w in proposal.waves)
        print(f"schedule: {first.isoformat()}..{last.isoformat()}, {args.parallel} wave(s) at once")
    if proposal.left_out:
        print(
            f"remediation backlog: {len(proposal.left_out)} workload(s) "
            f"(mesh-workbench plan backlog {args.output})"
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


def run_backlog(args: argparse.Namespace) -> int:

    from workbench.io.plan_file import load_plan
    from workbench.ops.planning import remediation_backlog

    items = remediation_backlog(load_plan(args.plan))
    if args.json:
        rows = [
            {
                "workload": i.key,
                "namespace": i.namespace,
                "rule": i.cause.rule,
                "other_rules": list(i.cause.others),
                "severity": i.cause.severity,
                "why": i.cause.message,
                "fix": i.cause.fix,
            }
            for i in items
        ]
        print(json_output.dumps(rows, indent=2, sort_keys=True))
        return 0
    if not items:
        print("remediation backlog: empty")
        return 0
    print(f"remediation backlog: {len(items)} workload(s)")
    namespace = None
    for item in items:
        if item.namespace != namespace:
            namespace = item.namespace
            print(namespace)
        print(
            f"  {item.cause.label:<12} {item.key.rsplit('/', 2)[-2]}/{item.key.rsplit('/', 1)[-1]}"
        )
        print(f"                 fix: {item.cause.fix}")
    return 0
