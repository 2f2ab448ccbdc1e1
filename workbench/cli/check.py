"""``mesh-workbench check PLAN [--json]``: readiness (and schedule) findings.

Exit status: 0 without blockers, 1 when any active finding is a blocker, 2 on a user
error (unreadable plan).
"""

from __future__ import annotations

import argparse
from typing import Any

from workbench.cli.plan_report import plan_report_parser, print_report

EXIT_BLOCKER = 1


def register(sub: Any) -> None:
    p = plan_report_parser(
        sub,
        "check",
        help="list a plan's findings by severity (exit 1 on any blocker)",
        description="Evaluate the readiness rules over a plan. Exit status 1 when any "
        "blocker is found (muted findings excepted), 2 on an unreadable plan.",
    )
    p.set_defaults(func=run)


def _human(result: Any) -> str:
    from workbench.domain.findings import SEVERITIES

    counts = result.counts()
    total = sum(counts.values())
    summary = ", ".join(f"{n} {s}" for s, n in counts.items())
    lines = [f"{total} finding{'s' if total != 1 else ''}: {summary}"]
    if result.muted:
        lines[0] += f" ({len(result.muted)} muted)"
    for severity in SEVERITIES:
        group = [f for f in result.findings if f.severity == severity]
        if not group:
            continue
        lines += ["", f"{severity.upper()} ({len(group)})"]
        for f in group:
            lines.append(f"  {f.rule:<4} {f.subject}")
            lines.append(f"       {f.message}")
            lines.append(f"       fix: {f.fix}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from workbench.io.plan_file import load_plan
    from workbench.ops.check import check_json, check_plan

    result = check_plan(load_plan(args.plan))
    print_report(args, lambda: check_json(result), lambda: _human(result))
    return EXIT_BLOCKER if result.has_blocker else 0
