"""``mesh-workbench summary PLAN [--json] [--scenario NAME]``."""

from __future__ import annotations

import argparse
from typing import Any

from workbench.cli import json_output
from workbench.cli.plan_report import plan_report_parser


def register(sub: Any) -> None:
    p = plan_report_parser(sub, "summary", help="print a plan's key figures")
    p.add_argument("--scenario", help="economics under this scenario (default: the plan's)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from workbench.io.plan_file import load_plan
    from workbench.ops.summary import plan_summary

    plan = load_plan(args.plan)
    data = plan_summary(plan, scenario=args.scenario)
    if args.json:
        print(json_output.dumps(data, indent=2, sort_keys=False))
        return 0
    width = max(len(k) for k in data)
    for key, value in data.items():
        if isinstance(value, dict):
            inner = ", ".join(f"{k}={v}" for k, v in value.items())
            print(f"{key:<{width}}  {inner}")
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            print(f"{key:<{width}}  {', '.join(value) or 'none'}")
        else:
            print(f"{key:<{width}}  {value}")
    return 0
