"""Reading runtime captures line by line: bounded lines, errors that name file and line."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import orjson

MAX_LINE_BYTES = 4 * 2**20  # a longer line is refused (and skipped), not read into memory
CHUNK = 2**20


@dataclass(frozen=True, slots=True)
class LineError:
    """A line that could not be read: where, and what was wrong with it."""

    path: str
    line: int
    problem: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.problem}"


class TooLong(Exception):
    """A line longer than the limit (already skipped)."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


def raw_lines(stream: IO[bytes], limit: int = MAX_LINE_BYTES) -> Iterator[bytes | TooLong]:
    """Lines of ``stream`` without the newline; a line over ``limit`` bytes is skipped
    to its end and yields :class:`TooLong` in its place, so line numbers stay right."""
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            size = len(line)
            while True:
                rest = stream.readline(CHUNK)
                size += len(rest)
                if not rest or rest.endswith(b"\n"):
                    break
            yield TooLong(size)
            continue
        yield line.rstrip(b"\r\n")


def json_line(line: bytes) -> tuple[Any, str | None]:
    """The JSON value of one line, or the reason it is not JSON."""
    try:
        return orjson.loads(line), None
    except orjson.JSONDecodeError as exc:
        text = str(exc.msg)
        if exc.pos >= len(line.rstrip()) - 1:
            return None, f"the line ends before its JSON does (truncated?): {text}"
        return None, f"not JSON: {text}"


def size_text(size: int) -> str:
    return f"{size / 2**20:.1f} MB" if size >= 2**20 else f"{size / 1024:.0f} KB"
