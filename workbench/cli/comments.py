"""``mesh-workbench comment PLAN --on TARGET --text T`` and ``mesh-workbench comments PLAN``."""

from __future__ import annotations

import argparse
from typing import Any

from workbench.cli import json_output
from workbench.domain.errors import WorkbenchError


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "comment",
        help="add a review comment (or a reply, or resolve one) and save the plan",
        description="Comment on the plan, a wave or phase (by id or name) or a workload "
        "(its key cluster/namespace/Kind/name, as `waves --json` prints it). Saves PLAN "
        "in place (keeping PLAN.bak) unless -o is given.",
    )
    p.add_argument("plan", help="a .meshplan file")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--on", metavar="TARGET", help="plan, a wave, a phase or a workload key")
    what.add_argument("--reply-to", metavar="ID", help="reply to the comment with this id")
    what.add_argument("--resolve", metavar="ID", help="mark the comment with this id resolved")
    p.add_argument("--text", help="the comment's text")
    p.add_argument("--author", help="who writes (default: your user name)")
    p.add_argument("-o", "--output", help="write the plan here instead of in place")
    p.set_defaults(func=run_comment)

    q: argparse.ArgumentParser = sub.add_parser("comments", help="list a plan's comments")
    q.add_argument("plan", help="a .meshplan file")
    q.add_argument("--json", action="store_true", help="one JSON object (a stable contract)")
    q.set_defaults(func=run_comments)


def run_comment(args: argparse.Namespace) -> int:
    from workbench.io.plan_lock import plan_lock

    if args.resolve is None and not (args.text or "").strip():
        raise WorkbenchError("--text is required: what does the comment say?")
    with plan_lock(args.output or args.plan):  # no other writer between reading and saving
        return _comment(args)


def _comment(args: argparse.Namespace) -> int:
    from workbench.io.plan_file import load_plan, save_plan
    from workbench.ops.comments import add_comment, reply_to_comment, resolve_comment

    plan = load_plan(args.plan)
    if args.on is not None:
        done = add_comment(plan, args.on, args.text, args.author)
    elif args.reply_to is not None:
        done = reply_to_comment(plan, args.reply_to, args.text, args.author)
    else:
        done = resolve_comment(plan, args.resolve)
    target = args.output or args.plan
    save_plan(plan, target)
    print(f"{done}; saved {target}")
    return 0


def run_comments(args: argparse.Namespace) -> int:
    from workbench.io.plan_file import load_plan
    from workbench.ops.comments import comment_lines, comments_document

    plan = load_plan(args.plan)
    if args.json:
        print(json_output.dumps(comments_document(plan), indent=2))
    else:
        print("\n".join(comment_lines(plan)) if plan.comments else "no comments")
    return 0
