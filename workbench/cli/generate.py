"""``mesh-workbench generate --workloads N [--clusters C] [--seed S] [--namespaces K]
[--pods P] -o FILE``.

Writes a plan over a synthetic estate, the same for the same arguments. With ``--hubble``,
``--otlp`` or ``--flow-log`` it also writes runtime captures of the estate's known call
graph with infrastructure noise mixed in (and records pod IPs in the plan). Arguments are
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
    runtime = p.add_argument_group(
        "runtime captures of the estate's known call graph (pod IPs are then recorded)"
    )
    runtime.add_argument("--hubble", metavar="FILE", help="write Hubble flows (-o jsonpb)")
    runtime.add_argument("--otlp", metavar="FILE", help="write OTLP/JSON trace lines")
    runtime.add_argument("--flow-log", metavar="FILE", help="write a CSV flow log by pod IP")
    runtime.add_argument("--days", metavar="D", default="7", help="capture window (default 7)")
    runtime.add_argument(
        "--noise",
        metavar="X",
        default="1",
        help="infrastructure records (DNS, probes, scrapes) per call (default 1)",
    )
    runtime.add_argument(
        "--calls", metavar="K", default="3", help="calls per known edge (default 3)"
    )
    p.set_defaults(func=run)


def _number(option: str, text: str, low: float, high: float) -> float:
    try:
        value = float(text)
    except ValueError:
        raise GenerateError(f"{option} takes a number, got {text!r}") from None
    if not low <= value <= high:
        raise GenerateError(f"{option} must be between {low:g} and {high:g}, got {text}")
    return value


def _captures(args: argparse.Namespace, estate: Any, seed: int) -> list[str]:
    """Write the runtime captures asked for; one line per file written."""
    from workbench.io.runtime.emit import (
        EmitSettings,
        assign_pod_ips,
        emit_flow_log,
        emit_hubble,
        emit_otlp,
        window_text,
    )

    wanted = [
        (path, emit, what)
        for path, emit, what in (
            (args.hubble, emit_hubble, "Hubble flow lines"),
            (args.otlp, emit_otlp, "OTLP spans"),
            (args.flow_log, emit_flow_log, "flow log rows"),
        )
        if path
    ]
    settings = EmitSettings(
        days=_number("--days", args.days, 0.01, 366),
        noise=_number("--noise", args.noise, 0, 20),
        calls_per_edge=int(_number("--calls", args.calls, 1, 1000)),
        seed=seed,
    )
    if not wanted:
        return []
    inv = estate.plan.inventory
    assign_pod_ips(inv)
    lines = []
    for path, emit, what in wanted:
        try:
            with open(path, "wb") as out:
                count = emit(inv, estate.truth, out, settings)
        except OSError as exc:
            raise GenerateError(f"{path}: cannot write: {exc.strerror or exc}") from None
        lines.append(f"wrote {path}: {count:,} {what}, {window_text(settings)}")
    return lines


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
    captures = _captures(args, estate, seed)
    save_plan(estate.plan, args.output)
    inv = estate.plan.inventory
    print(
        f"wrote {args.output}: {len(inv.workloads)} workloads ({inv.total_pods()} pods) in "
        f"{len(inv.namespaces)} namespaces on {len(inv.clusters)} cluster(s), "
        f"{len(estate.plan.dependencies.edges)} dependency edges"
    )
    for line in captures:
        print(line)
    return 0
