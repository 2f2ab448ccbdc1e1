"""Commands on review comments: add, reply, resolve or reopen, edit, delete; each undoable."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from workbench.domain.commands import Change, Command
from workbench.domain.comments import (
    Comment,
    CommentError,
    Reply,
    check_text,
    target_kind,
    target_subject,
)
from workbench.domain.plan import Plan


def _change(comment_id: str, target: str) -> Change:
    return Change(frozenset({"comments"}), frozenset({comment_id, target}))


def _find(plan: Plan, comment_id: str) -> tuple[int, Comment]:
    for i, c in enumerate(plan.comments):
        if c.id == comment_id:
            return i, c
    raise CommentError(f"no comment with id {comment_id!r}")


def check_target(plan: Plan, target: str) -> None:
    """Raise :class:`CommentError` unless ``target`` names something in the plan."""
    kind = target_kind(target)
    subject = target_subject(target)
    if kind == "phase" and not plan.schedule.has_phase(subject):
        raise CommentError(f"the plan has no phase with id {subject!r}")
    if kind == "wave" and not plan.schedule.has_wave(subject):
        raise CommentError(f"the plan has no wave with id {subject!r}")
    if kind == "workload" and subject not in plan.inventory.workloads:
        raise CommentError(f"the plan has no workload {subject!r}")
    if kind == "finding":
        rule, sep, key = subject.partition("@")
        if not sep or not rule or not key:
            raise CommentError(f"a finding target is finding:RULE@KEY, got {target!r}")


def resolve_target(plan: Plan, text: str) -> str:
    """A target as a user types it: ``plan``, a full target (``wave:wave-01``), a wave or
    phase id or name, or a workload key. Raises when it names nothing or is ambiguous."""
    text = text.strip()
    if text == "plan" or ":" in text.split("/", 1)[0]:
        check_target(plan, text)
        return text
    matches: list[str] = []
    for w in plan.schedule.waves:
        if text in (w.id, w.name):
            matches.append(f"wave:{w.id}")
    for p in plan.schedule.phases:
        if text in (p.id, p.name):
            matches.append(f"phase:{p.id}")
    if text in plan.inventory.workloads:
        matches.append(f"workload:{text}")
    if not matches:
        raise CommentError(
            f"{text!r} is no wave, phase or workload key of the plan "
            "(a workload key is cluster/namespace/Kind/name, as `waves --json` prints it)"
        )
    if len(set(matches)) > 1:
        raise CommentError(f"{text!r} is ambiguous: {', '.join(sorted(set(matches)))}")
    return matches[0]


@dataclass
class AddComment(Command):
    comment: Comment

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"Comment on {self.comment.target}"

    def do(self, plan: Plan) -> Change:
        check_target(plan, self.comment.target)
        self.comment.text = check_text(self.comment.text)
        if any(c.id == self.comment.id for c in plan.comments):
            raise CommentError(f"a comment with id {self.comment.id!r} exists already")
        plan.comments.append(copy.deepcopy(self.comment))
        return _change(self.comment.id, self.comment.target)

    def undo(self, plan: Plan) -> Change:
        i, c = _find(plan, self.comment.id)
        del plan.comments[i]
        return _change(c.id, c.target)


@dataclass
class ReplyToComment(Command):
    comment_id: str
    reply: Reply
    label = "Reply to comment"

    def do(self, plan: Plan) -> Change:
        _, c = _find(plan, self.comment_id)
        self.reply.text = check_text(self.reply.text, "a reply")
        if any(r.id == self.reply.id for r in c.replies):
            raise CommentError(f"a reply with id {self.reply.id!r} exists already")
        c.replies.append(copy.copy(self.reply))
        return _change(c.id, c.target)

    def undo(self, plan: Plan) -> Change:
        _, c = _find(plan, self.comment_id)
        c.replies = [r for r in c.replies if r.id != self.reply.id]
        return _change(c.id, c.target)


@dataclass
class SetCommentResolved(Command):
    comment_id: str
    resolved: bool
    _before: bool | None = field(default=None, repr=False)

    @property
    def label(self) -> str:  # type: ignore[override]
        return "Resolve comment" if self.resolved else "Reopen comment"

    def do(self, plan: Plan) -> Change:
        _, c = _find(plan, self.comment_id)
        self._before = c.resolved
        c.resolved = self.resolved
        return _change(c.id, c.target)

    def undo(self, plan: Plan) -> Change:
        _, c = _find(plan, self.comment_id)
        c.resolved = bool(self._before)
        return _change(c.id, c.target)


@dataclass
class EditCommentText(Command):
    comment_id: str
    text: str
    _before: str = field(default="", repr=False)
    label = "Edit comment"

    def do(self, plan: Plan) -> Change:
        _, c = _find(plan, self.comment_id)
        text = check_text(self.text)
        self._before = c.text
        c.text = text
        return _change(c.id, c.target)

    def undo(self, plan: Plan) -> Change:
        _, c = _find(plan, self.comment_id)
        c.text = self._before
        return _change(c.id, c.target)


@dataclass
class DeleteComment(Command):
    comment_id: str
    _removed: tuple[int, Comment] | None = field(default=None, repr=False)
    label = "Delete comment"

    def do(self, plan: Plan) -> Change:
        i, c = _find(plan, self.comment_id)
        self._removed = (i, c)
        del plan.comments[i]
        return _change(c.id, c.target)

    def undo(self, plan: Plan) -> Change:
        if self._removed is None:
            raise CommentError("nothing to undo: the comment was not deleted")
        i, c = self._removed
        plan.comments.insert(i, c)
        return _change(c.id, c.target)
