"""Observation windows: ISO 8601 instants, and how long a set of windows covers together."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

DAY = 86400.0


def parse_instant(text: str | None) -> float | None:
    """Seconds since the epoch of an ISO 8601 instant (naive means UTC); None if unreadable."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def format_instant(seconds: float) -> str:
    """``2026-12-01T08:00:00Z`` (whole seconds, UTC)."""
    return datetime.fromtimestamp(int(seconds), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def merge_windows(windows: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """Overlapping or touching windows joined; sorted."""
    out: list[tuple[float, float]] = []
    for start, end in sorted((min(a, b), max(a, b)) for a, b in windows):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def covered_seconds(windows: Iterable[tuple[float, float]]) -> float:
    """How long the windows cover together: overlaps count once."""
    return sum(end - start for start, end in merge_windows(windows))


def window_of(window_from: str | None, window_to: str | None) -> tuple[float, float] | None:
    start, end = parse_instant(window_from), parse_instant(window_to)
    if start is None or end is None:
        return None
    return (min(start, end), max(start, end))


def days_text(seconds: float) -> str:
    days = seconds / DAY
    if days >= 1:
        return f"{days:.1f} day(s)"
    return f"{seconds / 3600:.1f} hour(s)"
