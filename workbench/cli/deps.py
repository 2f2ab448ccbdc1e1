"""``mesh-workbench deps PLAN [--format json|csv]`` and ``deps add PLAN FILE [FILE...]``.

``deps PLAN`` prints the plan's dependency edges (caller, callee, the Service called
through, evidence and what it rests on, confidence), every workload's caller knowledge
(complete, partial or unknown, and callers from outside) and the addresses that named
nothing. ``deps add PLAN FILE...`` merges edges from runtime captures (Cilium Hubble flows,
OTLP/JSON traces, Jaeger traces and dependencies, Zipkin spans and dependency links, flow
logs by IP), a CSV edge list, a Kiali graph JSON or a Prometheus ``istio_requests_total``
query result (FILE may also be a Prometheus URL to query live). Each file's format is
detected; --format forces one. It prints edges added and merged, records read, records
left out by reason and names that match no workload; bad lines are listed with file and
line, the good records are kept (exit 2 when any line was bad).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from workbench.cli import json_output
from workbench.domain.errors import WorkbenchError

USAGE = (
    "mesh-workbench deps PLAN [--format json|csv] | "
    "deps add PLAN FILE [FILE...] [-o OUT] [--format NAME] [--columns MAP]"
)
EDGE_FORMATS = ("csv", "kiali", "prometheus")


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "deps",
        help="show a plan's dependencies and caller knowledge, or add edges from runtime "
        "captures, CSV, Kiali or Prometheus",
        usage=USAGE,
        description=__doc__.split("\n\n", 1)[1].replace("``", "") if __doc__ else None,
    )
    p.add_argument("words", nargs="+", metavar="PLAN | add PLAN FILE [FILE...]")
    p.add_argument(
        "--format",
        default=None,
        help="output: json (default) or csv; with add: the input format (hubble, otlp, "
        "jaeger, zipkin, links, flowlog, csv, kiali, prometheus), detected when left out",
    )
    p.add_argument("-o", "--output", metavar="OUT", help="with add: write here (default: PLAN)")
    p.add_argument(
        "--columns",
        metavar="MAP",
        help="with add and flow logs: ROLE=COLUMN,... for roles src, dst, port, count, time",
    )
    p.add_argument(
        "--timeout", type=float, default=15.0, help="with a Prometheus URL: seconds to wait"
    )
    p.set_defaults(func=run)


def _source(ev: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": ev.source, "detail": ev.detail}
    if ev.window_from or ev.window_to:
        out["window"] = {"from": ev.window_from, "to": ev.window_to}
    if ev.count is not None:
        out["count"] = ev.count
    return out


def deps_json(plan: Any) -> dict[str, Any]:
    from workbench.domain.evidence import caller_evidence

    deps = plan.dependencies
    return {
        "edges": [
            {
                "caller": e.caller,
                "callee": e.callee,
                "via_service": e.via_service,
                "evidence": [{"kind": ev.kind, "detail": ev.detail} for ev in e.evidence],
                "sources": [_source(ev) for ev in e.evidence],
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
        "workloads": [
            {
                "key": c.workload,
                "callers": c.callers,
                "external_callers": c.external_callers,
                "reasons": list(c.reasons),
            }
            for c in caller_evidence(plan).values()
        ],
    }


def _add(args: argparse.Namespace, plan_path: str, sources: list[str]) -> int:
    from workbench.io.plan_file import load_plan, save_plan
    from workbench.io.runtime import RUNTIME_FORMATS, detect_format, parse_columns

    fmt = args.format
    if fmt is not None and fmt not in RUNTIME_FORMATS + EDGE_FORMATS:
        raise WorkbenchError(
            f"--format {fmt}: not one of {', '.join(RUNTIME_FORMATS + EDGE_FORMATS)}"
        )
    columns = parse_columns(args.columns)
    plan = load_plan(plan_path)
    failed: list[str] = []
    bad_lines = 0
    for source in sources:
        try:
            forced = fmt or ("flowlog" if columns else None)  # a column map means a flow log
            runtime = forced in RUNTIME_FORMATS or (
                forced is None
                and not source.startswith(("http://", "https://"))
                and detect_format(source) is not None
            )
            plan, bad = _add_one(plan, source, forced if runtime else None, runtime, columns, args)
            bad_lines += bad
        except OSError as exc:
            failed.append(f"{source}: cannot read: {exc.strerror or exc}")
        except WorkbenchError as exc:
            failed.append(str(exc))
    target = args.output or plan_path
    for problem in failed:
        print(f"error: {problem}", file=sys.stderr)
    if len(failed) == len(sources):
        print("nothing was added; the plan was not written", file=sys.stderr)
        return 2
    save_plan(plan, target)
    print(f"wrote {target}")
    return 2 if failed or bad_lines else 0


def _add_one(
    plan: Any, source: str, fmt: str | None, runtime: bool, columns: Any, args: Any
) -> tuple[Any, int]:
    """The plan with ``source`` merged in, and how many of its lines were bad."""
    if runtime:
        from workbench.ops.runtime_import import import_runtime

        outcome = import_runtime(plan, [source], fmt=fmt, columns=columns)
        for report in outcome.files:
            for line in report.lines():
                print(line)
        for problem in outcome.errors:
            print(f"error: {problem}", file=sys.stderr)
        return outcome.plan, len(outcome.errors)
    from workbench.ops.import_files import import_edges

    edges = import_edges(plan, source, timeout=args.timeout)
    for warning in edges.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"{source}: {edges.summary()}")
    return edges.plan, 0


def run(args: argparse.Namespace) -> int:
    from workbench.io.plan_file import load_plan

    words = args.words
    if words[0] == "add" and len(words) >= 3:
        from workbench.io.plan_lock import plan_lock

        with plan_lock(args.output or words[1]):  # no other writer between reading and saving
            return _add(args, words[1], words[2:])
    if len(words) != 1:
        raise WorkbenchError(f"deps takes one plan, or 'add PLAN FILE...' (usage: {USAGE})")
    output = args.format or "json"
    if output not in ("json", "csv"):
        raise WorkbenchError(f"--format {output}: deps PLAN prints json or csv")
    plan = load_plan(words[0])
    if output == "csv":
        from workbench.io.edges_csv import edges_to_csv

        sys.stdout.write(edges_to_csv(plan.dependencies))
    else:
        print(json_output.dumps(deps_json(plan), indent=2))
    return 0
