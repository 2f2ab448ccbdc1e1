"""``mesh-workbench import cluster``: import live clusters through a kubeconfig."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from workbench.cli.imports import import_sources

EXIT_PARTIAL = 2  # a context could not be read: the plan is saved without it


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = import_sources(sub).add_parser(
        "cluster",
        help="import live clusters (one per kubeconfig context)",
        description="Read the inventory of one or more clusters over the Kubernetes API "
        "(read-only: list requests only, Secrets are never requested) into a new plan, or "
        "merge it into an existing one (--into). Several contexts are read concurrently. "
        "A list the credentials may not read is recorded as a gap and the import goes on; "
        "nothing from the kubeconfig is stored in the plan.",
    )
    p.add_argument(
        "--kubeconfig",
        metavar="FILE",
        help="kubeconfig to use (default: $KUBECONFIG, else ~/.kube/config)",
    )
    p.add_argument(
        "--context",
        action="append",
        default=[],
        metavar="C",
        help="a context to import; repeat for several (default: the current context)",
    )
    p.add_argument(
        "--namespace",
        action="append",
        default=[],
        metavar="N",
        help="import only this namespace; repeat for several (default: all namespaces)",
    )
    p.add_argument("-o", "--output", metavar="PLAN", help="the plan to write")
    p.add_argument("--into", metavar="EXISTING", help="merge into this existing plan")
    p.add_argument(
        "--list-contexts", action="store_true", help="list the kubeconfig's contexts and exit"
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        metavar="S",
        help="seconds for each request, its whole answer included (default: 30)",
    )
    p.add_argument(
        "--deadline",
        type=float,
        default=None,
        metavar="S",
        help="seconds for reading each context in all (default: no overall limit)",
    )
    p.add_argument(
        "--page-size", type=int, default=500, metavar="N", help="objects per list request"
    )
    p.add_argument("-q", "--quiet", action="store_true", help="print only warnings")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from workbench.domain.errors import WorkbenchError
    from workbench.ops.import_cluster import available_contexts

    if args.list_contexts:
        contexts, current = available_contexts(args.kubeconfig)
        for ctx in contexts:
            mark = "*" if ctx.name == current else " "
            print(f"{mark} {ctx.name}\t{ctx.server}")
        return 0
    if not args.output:
        raise WorkbenchError("import cluster: the plan to write is required (-o PLAN)")
    if args.timeout <= 0 or args.page_size <= 0:
        raise WorkbenchError("import cluster: --timeout and --page-size must be positive")
    if args.deadline is not None and args.deadline <= 0:
        raise WorkbenchError("import cluster: --deadline must be positive")

    from workbench.io.plan_lock import merging_into

    with merging_into(args.into, args.output):  # no other writer between reading and saving
        return _import(args)


def _import(args: argparse.Namespace) -> int:
    from workbench.io.cluster_reader import ReadOptions
    from workbench.io.plan_file import load_plan, save_plan
    from workbench.ops.import_cluster import import_clusters

    into = load_plan(args.into) if args.into else None
    options = ReadOptions(
        page_size=args.page_size, read_timeout_s=args.timeout, deadline_s=args.deadline
    )
    outcome = import_clusters(
        args.context,
        kubeconfig=args.kubeconfig,
        namespaces=args.namespace,
        into=into,
        options=options,
    )
    save_plan(outcome.plan, args.output)
    failed = [c for c in outcome.contexts if c.report is None]
    for warning in outcome.warnings:
        if not any(warning == c.error for c in failed):
            print(f"warning: {warning}", file=sys.stderr)
    if not args.quiet:
        print(outcome.summary())
        print(f"wrote {args.output}")
    for ctx in failed:  # a partial import is no success: named, recorded as a gap, exit 2
        print(
            f"error: {ctx.error}; {args.output} was saved without cluster {ctx.cluster!r} "
            "and records it as an import gap",
            file=sys.stderr,
        )
    return EXIT_PARTIAL if failed else 0
