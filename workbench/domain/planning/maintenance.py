"""Maintenance windows from business metadata: the weekdays a wave may cut its members over.

A wave's cut-over is its start day: its mesh step (injection label or pod annotation,
then the restart) is applied then, so the start must fall on a weekday that every
member's maintenance window allows. Windows are read as a CMDB writes them: day names
and ranges (``Sat 01:00-05:00``, ``Fri-Sun``, ``Tue, Thu 22:00-02:00``), ``weekends``,
``weekdays``, ``daily`` or ``24x7``; several windows (separated by ``;`` or ``,``) allow
any of their days. Times narrow the hours, not the day, so they are read past. A text
this module cannot read is reported, never guessed at.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

ALL_DAYS: frozenset[int] = frozenset(range(7))
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_DAY_WORDS = (
    "mon monday mo",
    "tue tues tuesday tu",
    "wed weds wednesday we",
    "thu thur thurs thursday th",
    "fri friday fr",
    "sat saturday sa",
    "sun sunday su",
)
_DAYS = {word: i for i, words in enumerate(_DAY_WORDS) for word in words.split()}
_GROUPS = {
    "weekend": frozenset({5, 6}),
    "weekends": frozenset({5, 6}),
    "weekday": frozenset(range(5)),
    "weekdays": frozenset(range(5)),
    "daily": ALL_DAYS,
    "everyday": ALL_DAYS,
    "nightly": ALL_DAYS,
    "any": ALL_DAYS,
    "anytime": ALL_DAYS,
    "always": ALL_DAYS,
}
_FILLER_WORDS = (
    "and or every each only from between at on night nights evening evenings morning "
    "mornings window windows local time hours hrs h am pm utc gmt cet cest est edt pst pdt "
    "bst ist z"
)
_FILLER = frozenset(_FILLER_WORDS.split(" "))
_TIME = re.compile(r"\b\d{1,2}(?:[:.h]\d{2})?\s*(?:am|pm)?\b")
_RANGE = re.compile(r"\b([a-z]+)\s*(?:-|–|to|through|thru|until)\s*([a-z]+)\b")
_WORD = re.compile(r"[a-z]+")


def day_names(days: Iterable[int]) -> str:
    """``Sat, Sun`` for {5, 6}; ``no day`` for none."""
    names = [DAY_NAMES[d] for d in sorted(days)]
    return ", ".join(names) if names else "no day"


@lru_cache(maxsize=4096)
def window_days(text: str) -> frozenset[int] | None:
    """The weekdays (Monday 0) on which a cut-over may happen under the window ``text``:
    every day for an empty text (no window known), None for a text not understood."""
    low = text.strip().lower().replace("24x7", "daily").replace("24/7", "daily")
    if not low:
        return ALL_DAYS
    days: set[int] = set()
    for part in re.split(r"[;,/&+]|\band\b", low):
        part = _TIME.sub(" ", part).strip(" -–")
        if not part:
            continue
        found = _part_days(part)
        if found is None:
            return None
        days |= found
    return frozenset(days) if days else None


def _part_days(part: str) -> set[int] | None:
    days: set[int] = set()
    for first, last in _RANGE.findall(part):
        if first in _DAYS and last in _DAYS:
            a, b = _DAYS[first], _DAYS[last]
            days.update((a + i) % 7 for i in range((b - a) % 7 + 1))
    part = _RANGE.sub(
        lambda m: " " if m.group(1) in _DAYS and m.group(2) in _DAYS else m.group(0), part
    )
    for word in _WORD.findall(part):
        if word in _DAYS:
            days.add(_DAYS[word])
        elif word in _GROUPS:
            days |= _GROUPS[word]
        elif word not in _FILLER:
            return None
    return days


def shared_days(texts: Iterable[str]) -> tuple[frozenset[int], list[str]]:
    """The weekdays every understood window in ``texts`` allows, and the texts not
    understood (sorted, once each)."""
    days = ALL_DAYS
    unread: set[str] = set()
    for text in texts:
        found = window_days(text)
        if found is None:
            unread.add(text)
        else:
            days &= found
    return days, sorted(unread)


def weekday_of(ordinal: int) -> int:
    """The weekday (Monday 0) of a proleptic Gregorian ordinal (1 is a Monday)."""
    return (ordinal - 1) % 7
