"""``mesh-workbench deps PLAN [--format json|csv]`` and ``deps add PLAN FILE``.

``deps PLAN`` prints the plan's dependency edges (caller, callee, the Service called
through, evidence, confidence) and the addresses that named nothing. ``deps add PLAN
FILE`` merges edges from a CSV edge list, a Kiali graph JSON or a Prometheus
``istio_requests_total`` query result (FILE may also be a Prometheus URL to query live).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from workbench.cli import json_output
from workbench.domain.errors import WorkbenchError

USAGE = "mesh-workbench deps PLAN [--format json|csv] | deps add PLAN FILE [-o OUT]"


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "deps",
        help="show a plan's dependencies, or add edges from CSV, Kiali or Prometheus",
        usage=USAGE,
        description=__doc__.split("\n\n", 1)[1].replace("``", "") if __doc__ else None,
    )
    p.add_argument("words", nargs="+", metavar="PLAN | add PLAN FILE")
    p.add_argument("--format", choices=("json", "csv"), default="json", help="output format")
    p.add_argument("-o", "--output", metavar="OUT", help="with add: write here (default: PLAN)")
    p.add_argument(
        "--timeout", type=float, default=15.0, help="with a Prometheus URL: seconds to wait"
    )
    p.set_defaults(func=run)


def deps_json(plan: Any) -> dict[str, Any]:
    deps = plan.dependencies
    return {
        "edges": [
            {
                "caller": e.caller,
                "callee": e.callee,
                "via_service": e.via_service,
                "evidence": [{"kind": ev.kind, "detail": ev.detail} for ev in e.evidence],
                "confidence": e.confidence,
                "manual": e.manual,
                "requests_per_second": e.requests_per_second,
            }
            for e in sorted(deps.edges.values(), key=lambda e: e.key)
        ],
        "unresolved": [
            {"workload": u.workload, "address": u.address, "source": u.source, "reason": u.reason}
            for u in deps.unresolved
        ],
    }


def run(args: argparse.Namespace) -> int:
    from workbench.io.plan_file import load_plan, save_plan

    words = args.words
    if words[0] == "add" and len(words) == 3:
        from workbench.io.plan_lock import plan_lock
        from workbench.ops.import_files import import_edges

        plan_path, source = words[1], words[2]
        target = args.output or plan_path
        with plan_lock(plan_path):  # no other writer between reading and saving
            outcome = import_edges(load_plan(plan_path), source, timeout=args.timeout)
            save_plan(outcome.plan, target)
        for warning in outcome.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        print(f"{outcome.summary()}; wrote {target}")
        return 0
    if len(words) != 1:
        raise WorkbenchError(f"deps takes one plan, or 'add PLAN FILE' (usage: {USAGE})")
    plan = load_plan(words[0])
    if args.format == "csv":
        from workbench.io.edges_csv import edges_to_csv

        sys.stdout.write(edges_to_csv(plan.dependencies))
    else:
        print(json_output.dumps(deps_json(plan), indent=2))
    return 0
