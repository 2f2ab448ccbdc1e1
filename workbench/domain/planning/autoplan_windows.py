"""Auto-plan and maintenance windows: each wave starts (cuts over) on a weekday its
members' windows allow; what cannot be honoured is said, never skipped in silence."""

from __future__ import annotations

from collections.abc import Iterable

from workbench.domain.planning.context import PlanningContext
from workbench.domain.planning.maintenance import ALL_DAYS, shared_days, window_days
from workbench.domain.schedule import Wave

SHOWN = 3


def unit_days(ctx: PlanningContext, members: Iterable[str]) -> frozenset[int]:
    """The weekdays every understood window of ``members`` allows (empty: none shared)."""
    return shared_days(ctx.window_of(k) for k in members)[0]


def pilot_in_one_window(ctx: PlanningContext, pilot: list[str]) -> list[str]:
    """The pilot, in its order, without the workloads whose window shares no weekday with
    those chosen before them: one wave has one cut-over day."""
    days = ALL_DAYS
    kept = []
    for key in pilot:
        mine = unit_days(ctx, [key])
        if days & mine:
            kept.append(key)
            days &= mine
    return kept


def joins_outside_windows(
    ctx: PlanningContext, kept: list[Wave], joins: dict[str, list[str]]
) -> list[str]:
    """A note when workloads join an existing wave (their call cycle or namespace is in
    it) that starts on a day their maintenance window does not allow; empty otherwise."""
    starts = {w.id: w.start.weekday() for w in kept}
    outside = [
        k
        for wave_id, keys in sorted(joins.items())
        for k in keys
        if (days := window_days(ctx.window_of(k))) is not None and starts[wave_id] not in days
    ]
    if not outside:
        return []
    return [
        f"{len(outside)} workload(s) join an existing wave that starts outside their "
        f"maintenance window ({_some(outside)}): they follow their call cycle or namespace; "
        "move the wave's start or widen the window (schedule rule S14)"
    ]


class WindowPlanner:
    """The start weekdays of each planned wave, and what could not be honoured."""

    def __init__(self, ctx: PlanningContext) -> None:
        self.ctx = ctx
        self.windowed = 0  # planned workloads with a maintenance window
        self.conflicts: list[str] = []  # waves whose members' windows share no weekday
        self.unread: set[str] = set()  # window texts not understood

    def days(self, wave_name: str, members: list[str]) -> frozenset[int]:
        texts = [t for k in members if (t := self.ctx.window_of(k))]
        self.windowed += len(texts)
        days, unread = shared_days(texts)
        self.unread.update(unread)
        if days:
            return days
        self.conflicts.append(wave_name)
        votes = [sum(d in w for t in texts if (w := window_days(t)) is not None) for d in range(7)]
        return frozenset(d for d in range(7) if votes[d] == max(votes))  # most members'

    def notes(self) -> list[str]:
        out = []
        if self.windowed:
            out.append(
                f"{self.windowed} workload(s) have a maintenance window: each wave starts "
                "(its cut-over) on a weekday every member's window allows"
            )
        if self.conflicts:
            out.append(
                f"{len(self.conflicts)} wave(s) hold a call cycle or namespace whose "
                f"maintenance windows share no weekday ({_some(self.conflicts)}): their "
                "cut-over falls outside a member's window; widen a window or split the wave"
            )
        if self.unread:
            texts = sorted(self.unread)
            out.append(
                f"{len(texts)} maintenance window(s) not understood "
                f"({_some([repr(t) for t in texts])}): waves are not placed by them; "
                "write them as day names or ranges, e.g. 'Sat 01:00-05:00' or 'Fri-Sun'"
            )
        return out


def _some(items: list[str]) -> str:
    return ", ".join(items[:SHOWN]) + ("..." if len(items) > SHOWN else "")
