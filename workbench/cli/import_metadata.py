"""``mesh-workbench import metadata PLAN FILE [--match COLUMN] [-o OUT]``: business
metadata from a CMDB or spreadsheet export onto the plan's workloads."""

from __future__ import annotations

import argparse
from typing import Any

from workbench.cli.imports import import_sources

SHOWN_UNMATCHED = 10


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = import_sources(sub).add_parser(
        "metadata",
        help="owner team, criticality, environment, SLO tier and maintenance windows "
        "from a CSV or XLSX export",
        description="Read a CMDB or spreadsheet export (CSV or XLSX) and set owner team, "
        "criticality, environment, SLO tier and maintenance window on the workloads its "
        "rows name (by workload key, namespace/name, name, app label or namespace). "
        "Auto-plan uses them: critical workloads go late and never into the pilot, a "
        "team's workloads share waves. Rows that match nothing are listed.",
    )
    p.add_argument("plan", metavar="PLAN", help="the .meshplan file")
    p.add_argument("file", metavar="FILE", help="a .csv or .xlsx table")
    p.add_argument(
        "--match",
        metavar="COLUMN",
        help="the column that names the workloads (default: the first of workload, "
        "service, application, app, name, namespace)",
    )
    p.add_argument("-o", "--output", metavar="OUT", help="where to save (default: PLAN)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from workbench.io.plan_lock import plan_lock

    with plan_lock(args.output or args.plan):  # no other writer between reading and saving
        return _import(args)


def _import(args: argparse.Namespace) -> int:
    from workbench.io.plan_file import load_plan, save_plan
    from workbench.ops.import_metadata import import_metadata

    plan = load_plan(args.plan)
    result = import_metadata(plan, args.file, args.match)
    result.command.do(plan)
    out = args.output or args.plan
    save_plan(plan, out)
    fields = ", ".join(f"{k} ({v})" for k, v in result.table.columns.items())
    print(
        f"matched {result.matched_rows} of {len(result.table.rows)} row(s) on column "
        f"{result.table.match_column!r} to {result.workloads} workload(s); fields: {fields}; "
        f"saved {out}"
    )
    if result.unmatched:
        print(f"{len(result.unmatched)} row(s) matched no workload:")
        for row in result.unmatched[:SHOWN_UNMATCHED]:
            print(f"  row {row.line}: {row.match or '(empty)'}")
        if len(result.unmatched) > SHOWN_UNMATCHED:
            print(f"  ... and {len(result.unmatched) - SHOWN_UNMATCHED} more")
    return 0
