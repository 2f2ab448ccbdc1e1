"""``mesh-workbench share PLAN [--hide-names] [--key-file F] -o OUT``: a copy to send."""

from __future__ import annotations

import argparse
import os
from typing import Any

from workbench.domain.errors import WorkbenchError


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "share",
        help="write a copy of a plan to send, optionally with every name of the estate hidden",
        description="Write a copy of PLAN to OUT. With --hide-names every cluster, namespace, "
        "workload, Service, ServiceAccount, image, label value, address and host is replaced "
        "by a keyed hash (the same everywhere), so counts, graph, findings, schedule and "
        "economics stay identical. The key stays in your config folder (or --key-file) and "
        "never enters the copy; `merge` brings a reviewed copy back with the real names.",
    )
    p.add_argument("plan", help="a .meshplan file")
    p.add_argument("-o", "--output", required=True, help="where to write the copy")
    p.add_argument("--hide-names", action="store_true", help="hide every name of the estate")
    p.add_argument("--key-file", metavar="F", help="the key to hide names with (default: yours)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from workbench.io.plan_file import load_plan, save_plan
    from workbench.io.share_key import default_key_path
    from workbench.ops.sharing import shared_copy

    if os.path.realpath(args.output) == os.path.realpath(args.plan):
        raise WorkbenchError(f"{args.output}: the copy would replace the plan itself")
    if args.key_file and not args.hide_names:
        raise WorkbenchError("--key-file is for --hide-names")
    plan = load_plan(args.plan)
    copy = shared_copy(plan, hide=args.hide_names, key_file=args.key_file)
    save_plan(copy, args.output, keep_backup=False)
    if args.hide_names:
        where = args.key_file or default_key_path()
        print(
            f"wrote {args.output}: names hidden (key id {copy.sharing.hidden_key_id}, "
            f"key in {where})"
        )
    else:
        print(f"wrote {args.output}")
    return 0
