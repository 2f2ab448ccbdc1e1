"""``mesh-workbench generate --workloads N [--clusters C] [--seed S] [--namespaces K]
[--pods P] -o FILE``.

Writes a plan over a synthetic estate, the same for the same arguments. Arguments are
checked here rather than by argparse so that every mistake is one line on stderr.
"""

from __future__ import annotations

import argparse
from typing import Any

from workbench.ops.generate import GenerateError


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "generate",
        help="write a plan over a synthetic estate (deterministic by seed)",
        description="Write a plan over a synthetic Kubernetes estate whose env vars state "
        "a realistic call graph. The same arguments always give the same plan.",
    )
    p.add_argument("--workloads", metavar="N", help="number of workloads (1-100000)")
    p.add_argument("--clusters", metavar="C", default="1", help="number of clusters (1-20)")
    p.add_argument("--seed", metavar="S", default="0", help="random seed (default 0)")
    p.add_argument("--namespaces", metavar="K", help="number of namespaces (default: N/25)")
    p.add_argument(
        "--pods",
        metavar="P",
        help="total pod count (default: about 4 per workload); Deployments' replicas "
        "carry the difference",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="the .meshplan file to write")
    p.set_defaults(func=run)


def _whole(option: str, text: str | None) -> int:
    if text is None:
        raise GenerateError(f"{option} is required")
    try:
        return int(text)
    except ValueError:
        raise GenerateError(f"{option} takes a whole number, got {text!r}") from None


def run(args: argparse.Namespace) -> int:
    from workbench.io.plan_file import save_plan
    from workbench.ops.generate import generate_estate

    workloads = _whole("--workloads", args.workloads)
    clusters = _whole("--clusters", args.clusters)
    seed = _whole("--seed", args.seed)
    namespaces = None if args.namespaces is None else _whole("--namespaces", args.namespaces)
    pods = None if args.pods is None else _whole("--pods", args.pods)
    if not args.output:
        raise GenerateError("-o FILE is required (where to write the plan)")
    estate = generate_estate(workloads, clusters, seed, namespaces, pods)
    save_plan(estate.plan, args.output)
    inv = estate.plan.inventory
    print(
        f"wrote {args.output}: {len(inv.workloads)} workloads ({inv.total_pods()} pods) in "
        f"{len(inv.namespaces)} namespaces on {len(inv.clusters)} cluster(s), "
        f"{len(estate.plan.dependencies.edges)} dependency edges"
    )
    return 0
