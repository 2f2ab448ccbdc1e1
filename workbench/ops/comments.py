"""Comment use-cases shared by the CLI, the desktop app and the reports."""

from __future__ import annotations

import getpass
from datetime import UTC, datetime
from typing import Any

from workbench.domain.commands_comments import (
    AddComment,
    ReplyToComment,
    SetCommentResolved,
    resolve_target,
)
from workbench.domain.comments import Comment, Reply, new_comment_id, target_kind, target_subject
from workbench.domain.plan import Plan


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def default_author() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return ""


def new_comment(plan: Plan, on: str, text: str, author: str | None = None) -> AddComment:
    """The command adding a comment on ``on`` (as a user types a target)."""
    target = resolve_target(plan, on)
    return AddComment(
        Comment(new_comment_id(), target, author or default_author(), now_iso(), text)
    )


def new_reply(comment_id: str, text: str, author: str | None = None) -> ReplyToComment:
    return ReplyToComment(
        comment_id, Reply(new_comment_id(), author or default_author(), now_iso(), text)
    )


def add_comment(plan: Plan, on: str, text: str, author: str | None = None) -> str:
    cmd = new_comment(plan, on, text, author)
    cmd.do(plan)
    return f"comment {cmd.comment.id} on {describe_target(plan, cmd.comment.target)}"


def reply_to_comment(plan: Plan, comment_id: str, text: str, author: str | None = None) -> str:
    cmd = new_reply(comment_id, text, author)
    cmd.do(plan)
    return f"reply {cmd.reply.id} to comment {comment_id}"


def resolve_comment(plan: Plan, comment_id: str) -> str:
    SetCommentResolved(comment_id, True).do(plan)
    return f"comment {comment_id} resolved"


def describe_target(plan: Plan, target: str) -> str:
    """``wave wave-02 (Pilot payments)``, ``workload c/ns/Kind/name``, ``the plan``."""
    kind = target_kind(target)
    subject = target_subject(target)
    if kind == "plan":
        return "the plan"
    name = None
    if kind == "wave" and plan.schedule.has_wave(subject):
        name = plan.schedule.wave(subject).name
    elif kind == "phase" and plan.schedule.has_phase(subject):
        name = plan.schedule.phase(subject).name
    return f"{kind} {subject}" + (f" ({name})" if name and name != subject else "")


def comments_document(plan: Plan) -> dict[str, Any]:
    """``comments --json``: keys are only ever added."""
    return {
        "comments": [
            {
                "id": c.id,
                "target": c.target,
                "author": c.author,
                "created": c.created,
                "text": c.text,
                "resolved": c.resolved,
                "replies": [
                    {"id": r.id, "author": r.author, "created": r.created, "text": r.text}
                    for r in c.replies
                ],
            }
            for c in plan.comments
        ]
    }


def comment_lines(plan: Plan) -> list[str]:
    lines: list[str] = []
    for c in plan.comments:
        state = "resolved" if c.resolved else "open"
        lines.append(
            f"[{c.id}] {describe_target(plan, c.target)} - {c.author or '?'}, {c.created} ({state})"
        )
        lines += [f"    {line}" for line in c.text.splitlines()]
        for r in c.replies:
            lines.append(f"    > {r.author or '?'}, {r.created}: {r.text}")
    return lines
