"""``mesh-workbench merge BASE MINE THEIRS -o OUT [--prefer mine|theirs] [--json]``."""

from __future__ import annotations

import argparse
from typing import Any

from workbench.cli import json_output

EXIT_CONFLICTS = 1


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "merge",
        help="three-way merge of a reviewed copy (THEIRS) into your plan (MINE)",
        description="Merge the edits made in THEIRS since BASE (assignments, wave and phase "
        "dates and fields, assumptions, scenarios, mutes, comments, dependency edges) into "
        "MINE and write OUT. A copy with hidden names gets its real names back with your key "
        "(or --key-file). Conflicting edits are listed one per line with both values and "
        "the command exits 1 without writing anything, unless --prefer settles them.",
    )
    p.add_argument("base", metavar="BASE", help="the plan as it was sent")
    p.add_argument("mine", metavar="MINE", help="your plan as it is now")
    p.add_argument("theirs", metavar="THEIRS", help="the copy that came back")
    p.add_argument("-o", "--output", required=True, help="where to write the merged plan")
    p.add_argument("--prefer", choices=("mine", "theirs"), help="how to settle conflicts")
    p.add_argument("--key-file", metavar="F", help="the key names were hidden with")
    p.add_argument("--json", action="store_true", help="one JSON object instead of text")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from workbench.io.plan_lock import plan_lock

    with plan_lock(args.output):  # no other writer of OUT between reading MINE and saving
        return _merge(args)


def _merge(args: argparse.Namespace) -> int:
    from workbench.io.plan_file import load_plan, save_plan
    from workbench.ops.sharing import merge_reviewed

    base, mine, theirs = (load_plan(p) for p in (args.base, args.mine, args.theirs))
    result = merge_reviewed(base, mine, theirs, prefer=args.prefer, key_file=args.key_file)
    written = None
    if result.clean:
        save_plan(result.plan, args.output)
        written = str(args.output)
    if args.json:
        doc = {
            "written": written,
            "conflicts": [_conflict(c) for c in result.conflicts],
            "resolved": [_conflict(c) for c in result.resolved],
            "prefer": args.prefer,
            "taken": list(result.taken),
        }
        print(json_output.dumps(doc, indent=2))
    else:
        for c in result.conflicts:
            print(f"conflict: {c.line()}")
        for c in result.resolved:
            print(f"resolved ({args.prefer}): {c.line()}")
        if written:
            print(f"merged {len(result.taken)} change(s) from {args.theirs}; wrote {written}")
        else:
            print(f"{len(result.conflicts)} conflict(s); nothing written (see --prefer)")
    return 0 if result.clean else EXIT_CONFLICTS


def _conflict(c: Any) -> dict[str, str]:
    return {"what": c.what, "mine": c.mine, "theirs": c.theirs}
