"""Content checksums of a plan file: tell a file changed outside the app, or damaged.

A saved file's envelope carries ``"checksum": {"algorithm": "sha256", "parts": {...}}``:
one SHA-256 per top-level part of the plan (``inventory``, ``schedule``, ``comments`` ...)
over that part's canonical JSON (sorted keys, orjson's compact form). Formatting does not
count: a file decompressed, pretty-printed and compressed again still matches, while any
change of content shows, and the part it is in is named.

The check runs on the file as written, before any upgrade of an older format, and never
refuses a file: it reports problems for the app to show as a warning. A file without a
checksum (written before checksums existed) has nothing to check.
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson

ALGORITHM = "sha256"


def _digest(value: Any) -> str:
    return hashlib.sha256(orjson.dumps(value, option=orjson.OPT_SORT_KEYS)).hexdigest()


def checksum(content: dict[str, Any]) -> dict[str, Any]:
    """The ``checksum`` field for a plan's JSON content."""
    return {"algorithm": ALGORITHM, "parts": {k: _digest(v) for k, v in content.items()}}


def envelope_with_checksum(header: dict[str, Any], content: dict[str, Any]) -> bytes:
    """``orjson.dumps({**header, "checksum": ..., "plan": content}, OPT_SORT_KEYS)``, with
    each part of the plan serialised once, for the file and for its checksum alike."""
    options = orjson.OPT_SORT_KEYS
    parts = {k: orjson.dumps(v, option=options) for k, v in content.items()}
    digests = {k: hashlib.sha256(b).hexdigest() for k, b in parts.items()}
    plan = b"{" + b",".join(orjson.dumps(k) + b":" + parts[k] for k in sorted(parts)) + b"}"
    fields = {k: orjson.dumps(v, option=options) for k, v in header.items()}
    fields["checksum"] = orjson.dumps({"algorithm": ALGORITHM, "parts": digests}, option=options)
    fields["plan"] = plan
    return b"{" + b",".join(orjson.dumps(k) + b":" + fields[k] for k in sorted(fields)) + b"}"


def integrity_problems(doc: Any, source: str) -> list[str]:
    """What fails the check in a parsed file (empty: it matches, or records no checksum)."""
    if type(doc) is not dict or "checksum" not in doc:
        return []
    recorded = doc["checksum"]
    plan = doc.get("plan")
    if (
        type(recorded) is not dict
        or recorded.get("algorithm") != ALGORITHM
        or type(recorded.get("parts")) is not dict
        or type(plan) is not dict
    ):
        return [f"{source}: the file's checksum is unreadable; its content cannot be verified"]
    parts: dict[str, Any] = recorded["parts"]
    try:
        changed = sorted(k for k in plan if k in parts and parts[k] != _digest(plan[k]))
    except (TypeError, orjson.JSONEncodeError):  # nested too deeply: the loader refuses it
        return []
    added = sorted(k for k in plan if k not in parts)
    missing = sorted(k for k in parts if k not in plan)
    what = [*changed, *(f"{k} (added)" for k in added), *(f"{k} (missing)" for k in missing)]
    if not what:
        return []
    return [
        f"{source}: the content does not match the checksum saved with it, in "
        f"{', '.join(what)}: the file was changed outside Mesh Migration Workbench or "
        "damaged in transit; check those parts before relying on them"
    ]
