"""``mesh-workbench waves PLAN [--json]``: the plan's waves and their members."""

from __future__ import annotations

import argparse
from typing import Any

from workbench.cli import json_output


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser("waves", help="list a plan's waves")
    p.add_argument("plan", help="a .meshplan file")
    p.add_argument("--json", action="store_true", help="one JSON object (a stable contract)")
    p.set_defaults(func=run)


def waves_document(plan: Any) -> dict[str, list[dict[str, Any]]]:
    """``{"waves": [{"name", "phase", "start", "end", "mode", "mtls", "members"}]}``."""
    return {
        "waves": [
            {
                "name": w.name,
                "phase": w.phase,
                "start": w.start.isoformat(),
                "end": w.end.isoformat(),
                "mode": w.mode,
                "mtls": w.mtls,
                "members": list(w.members),
            }
            for w in plan.schedule.waves
        ]
    }


def run(args: argparse.Namespace) -> int:
    from workbench.io.plan_file import load_plan

    plan = load_plan(args.plan)
    doc = waves_document(plan)
    if args.json:
        print(json_output.dumps(doc, indent=2))
        return 0
    if not doc["waves"]:
        print("no waves")
        return 0
    width = max(len(w["name"]) for w in doc["waves"])
    for w in doc["waves"]:
        pods = sum(
            plan.inventory.workloads[k].pods for k in w["members"] if k in plan.inventory.workloads
        )
        print(
            f"{w['name']:<{width}}  {w['phase']:<12} {w['start']}..{w['end']}  "
            f"{w['mode']:<7} {w['mtls']:<10} {len(w['members'])} workload(s), {pods} pod(s)"
        )
    unassigned = len(plan.unassigned())
    if unassigned:
        print(f"{unassigned} workload(s) in no wave")
    return 0
