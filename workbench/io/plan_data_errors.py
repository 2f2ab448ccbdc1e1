"""Plan data that does not fit the model: the error, naming what is wrong and where, and
short renderings of values and keys for its messages (never a whole value)."""

from __future__ import annotations

from typing import Any

import orjson

from workbench.domain.errors import WorkbenchError

# Values deeper than this where the schema expects a scalar are reported as nesting.
MAX_NESTING = 64


class PlanDataError(WorkbenchError, ValueError):
    """Plan data that does not fit the model: ``path`` says where, ``problem`` says what."""

    def __init__(self, problem: str, path: str = "") -> None:
        self.problem = problem
        self.path = path
        super().__init__(f"{path}: {problem}" if path else problem)


# -- describing values in messages --------------------------------------------------


def _depth(value: Any, limit: int) -> int:
    """Nesting depth of lists and objects, counted no further than ``limit``."""
    depth = 0
    level = [value]
    while level and depth <= limit:
        nested: list[Any] = []
        for item in level:
            if isinstance(item, dict):
                nested.extend(item.values())
            elif isinstance(item, list | tuple):
                nested.extend(item)
        level = [x for x in nested if isinstance(x, dict | list | tuple)]
        depth += 1
    return depth


def describe(value: Any) -> str:
    """A short rendering of a JSON value for an error message."""
    if isinstance(value, dict | list):
        kind = "an object" if isinstance(value, dict) else "a list"
        if _depth(value, MAX_NESTING) > MAX_NESTING:
            return f"{kind} nested more than {MAX_NESTING} levels deep"
        return kind
    if isinstance(value, str):
        short = value if len(value) <= 40 else value[:40] + "..."
        return orjson.dumps(short).decode()
    if value is None or isinstance(value, bool):
        return orjson.dumps(value).decode()
    text = repr(value)
    return text if len(text) <= 40 else text[:40] + "..."


def key_segment(key: str) -> str:
    short = key if len(key) <= 80 else key[:80] + "..."
    return "[" + orjson.dumps(short).decode() + "]"
