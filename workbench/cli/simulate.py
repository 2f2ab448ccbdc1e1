"""``mesh-workbench simulate PLAN [--manifests DIR] [--istio-version V] [--rollback] [--json]``.

Replays the rollout step by step and lists the calls that would break, with the reason.
Exit status: 0 when nothing breaks, 1 when a known call breaks at some step, 2 on a
user error (unreadable plan or folder).
"""

from __future__ import annotations

import argparse
from typing import Any

from workbench.cli.plan_report import plan_report_parser, print_report

EXIT_BROKEN = 1
MAX_LISTED = 20


def register(sub: Any) -> None:
    p = plan_report_parser(
        sub,
        "simulate",
        help="replay the rollout step by step and list calls that would break (exit 1)",
        description="Replay every step of the rollout (the plan's manifests, or an exported "
        "folder read back) against the known calls and entry points under Istio's rules.",
    )
    p.add_argument("--manifests", metavar="DIR", help="an exported folder to read back")
    p.add_argument(
        "--istio-version", metavar="V", help="Istio version to build for (without --manifests)"
    )
    p.add_argument(
        "--allow-blockers",
        action="store_true",
        help="as export --allow-blockers (without --manifests)",
    )
    p.add_argument(
        "--rollback",
        action="store_true",
        help="then roll every folder back, last first, and check those steps too",
    )
    p.set_defaults(func=run)


def _human(check: Any) -> str:
    report = check.report
    lines = [
        f"{report.calls} call(s) checked over {check.steps} step(s) of {check.source} "
        f"(Istio {check.istio_version}): {report.broken_edges} break"
    ]
    lines += [f"note: {n}" for n in report.notes]
    for r in report.results:
        flag = "BROKEN" if r.broken else "ok"
        lines.append(
            f"{flag:<6} {r.step.id}: {len(r.broken)} broken, {len(r.at_risk)} at risk, "
            f"{r.meshed} meshed"
        )
        for v in r.new_broken[:MAX_LISTED]:
            port = f":{v.port}" if v.port is not None else ""
            lines.append(f"         {v.call.label()}{port}: {v.reason}")
        if len(r.new_broken) > MAX_LISTED:
            lines.append(f"         ... and {len(r.new_broken) - MAX_LISTED} more")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from workbench.io.manifests.options import ManifestOptions, istio_minor
    from workbench.io.plan_file import load_plan
    from workbench.ops.simulate import check_json, check_rollout

    if args.istio_version is not None:
        istio_minor(args.istio_version)
    plan = load_plan(args.plan)
    options = ManifestOptions(istio_version=args.istio_version, allow_blockers=args.allow_blockers)
    check = check_rollout(plan, args.manifests, options=options, rollback=args.rollback)
    print_report(args, lambda: check_json(check), lambda: _human(check))
    return EXIT_BROKEN if check.report.broken_edges else 0
