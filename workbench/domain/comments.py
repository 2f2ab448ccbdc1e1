"""Review comments on a plan: on the plan itself, a phase, a wave, a workload or a finding.

A comment names its target as text:

- ``plan``: the plan as a whole;
- ``phase:<id>`` and ``wave:<id>``: a phase or a wave by id;
- ``workload:<key>``: a workload by its key ``cluster/namespace/Kind/name``;
- ``finding:<rule>@<key>``: the finding of a rule about a subject key.

Each comment has a stable random id, so copies of a plan that travel by email and come
back can be merged comment by comment. Replies are kept in order under their comment.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from workbench.domain.errors import WorkbenchError

TARGET_KINDS = ("plan", "phase", "wave", "workload", "finding")
MAX_TEXT = 20_000


class CommentError(WorkbenchError, ValueError):
    """A comment that cannot be added, changed or removed."""


@dataclass(slots=True)
class Reply:
    id: str
    author: str
    created: str  # ISO 8601 timestamp
    text: str


@dataclass(slots=True)
class Comment:
    id: str
    target: str  # see the module docstring
    author: str
    created: str  # ISO 8601 timestamp
    text: str
    resolved: bool = False
    replies: list[Reply] = field(default_factory=list)


def new_comment_id() -> str:
    """A random id, unique across every copy of a plan for practical purposes."""
    return secrets.token_hex(6)


def target_kind(target: str) -> str:
    """``wave:wave-01`` -> ``wave``; raises when the target names no known kind."""
    kind = target.split(":", 1)[0] if ":" in target else target
    if kind not in TARGET_KINDS or (kind == "plan") != (target == "plan"):
        raise CommentError(
            f"a comment target must be plan, phase:ID, wave:ID, workload:KEY or "
            f"finding:RULE@KEY, got {target!r}"
        )
    if kind != "plan" and not target.split(":", 1)[1]:
        raise CommentError(f"the comment target {target!r} names nothing after {kind}:")
    return kind


def target_subject(target: str) -> str:
    """What the target is about: the wave or phase id, the workload key, the finding's
    ``rule@key``; ``plan`` for the plan."""
    return target.split(":", 1)[1] if ":" in target else target


def comments_on(comments: list[Comment], target: str) -> list[Comment]:
    return [c for c in comments if c.target == target]


def check_text(text: str, what: str = "a comment") -> str:
    text = text.strip()
    if not text:
        raise CommentError(f"{what} needs some text")
    if len(text) > MAX_TEXT:
        raise CommentError(f"{what} is {len(text):,} characters, over the {MAX_TEXT:,} allowed")
    return text
