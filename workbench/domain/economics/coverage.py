"""The calendar of the business case and how much of the estate is meshed in each month.

Conventions (shared by the economics engine and anything that plots coverage):

* Month 1 starts on the business case's start date (``Assumptions.start``, or the
  earliest date in the schedule) and each month runs to the same day of the next
  calendar month.
* A wave's members count as meshed **from the wave's end date** (inclusive): the
  rollout is done and verified then. A month in which a wave ends counts the share of
  its days from that date on, so moving a wave by a week moves the figures a little.
* Workloads already in the mesh at import time (injected or ambient) and in no wave
  count as meshed from month 1.
* Shares are of the inventory's current (not vanished) workloads and of their pods.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from workbench.domain.inventory import Inventory
from workbench.domain.schedule import Schedule

FloatArray = npt.NDArray[np.float64]


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the end of shorter months."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def schedule_start(schedule: Schedule) -> date | None:
    """The earliest date in the schedule (phases, activities, waves), or None."""
    starts = [p.start for p in schedule.phases]
    starts += [a.start for a in schedule.activities]
    starts += [w.start for w in schedule.waves]
    return min(starts) if starts else None


@dataclass(frozen=True, slots=True)
class MonthGrid:
    """Months 1..n of the business case; ``start`` None when nothing is dated."""

    start: date | None
    months: int

    def month_start(self, month: int) -> date | None:
        """The first day of month ``month`` (1-based)."""
        return None if self.start is None else add_months(self.start, month - 1)

    def labels(self) -> list[str]:
        if self.start is None:
            return [f"M{i}" for i in range(1, self.months + 1)]
        return [add_months(self.start, i).strftime("%Y-%m") for i in range(self.months)]

    def boundaries(self) -> npt.NDArray[np.int64]:
        """Ordinal day numbers of the n+1 month boundaries."""
        if self.start is None:
            return np.zeros(self.months + 1, dtype=np.int64)
        start = self.start
        return np.array(
            [add_months(start, i).toordinal() for i in range(self.months + 1)], dtype=np.int64
        )

    def meshed_fractions(self, ends: list[date]) -> FloatArray:
        """Share of each month (columns) during which something meshed from ``ends[i]`` is in.

        Returns an array of shape (len(ends), months) with values in [0, 1].
        """
        if not ends:
            return np.zeros((0, self.months))
        if self.start is None:
            return np.ones((len(ends), self.months))
        b = self.boundaries().astype(np.float64)
        lo, hi = b[:-1], b[1:]
        e = np.array([d.toordinal() for d in ends], dtype=np.float64)[:, None]
        frac = (hi - np.maximum(e, lo)) / (hi - lo)
        return np.clip(frac, 0.0, 1.0)

    def active_fractions(self, spans: list[tuple[date, date]]) -> FloatArray:
        """Share of each span's days (start to end, inclusive) falling in each month.

        Returns (len(spans), months); days outside the horizon count nowhere.
        """
        if not spans:
            return np.zeros((0, self.months))
        if self.start is None:
            return np.full((len(spans), self.months), 1.0 / max(self.months, 1))
        b = self.boundaries().astype(np.float64)
        lo, hi = b[:-1][None, :], b[1:][None, :]
        s = np.array([a.toordinal() for a, _ in spans], dtype=np.float64)[:, None]
        e = np.array([z.toordinal() + 1 for _, z in spans], dtype=np.float64)[:, None]
        overlap = np.clip(np.minimum(hi, e) - np.maximum(lo, s), 0.0, None)
        return np.asarray(overlap / np.maximum(e - s, 1.0))


def month_grid(schedule: Schedule, start: date | None, horizon_months: int) -> MonthGrid:
    return MonthGrid(start if start is not None else schedule_start(schedule), horizon_months)


@dataclass(frozen=True, slots=True)
class Coverage:
    """Share of workloads and of pods meshed in each month (averaged over the month)."""

    workloads: FloatArray
    pods: FloatArray
    total_workloads: int
    total_pods: int


def coverage(inventory: Inventory, schedule: Schedule, grid: MonthGrid) -> Coverage:
    wl = inventory.workloads
    live = {k: w for k, w in wl.items() if not w.vanished}
    assigned = schedule.assigned()
    already_w = already_p = 0
    for k, w in live.items():
        if k not in assigned and (w.mesh.injected or w.mesh.ambient):
            already_w += 1
            already_p += w.pods
    waves = schedule.waves
    counts = np.zeros((2, len(waves)))
    for i, wave in enumerate(waves):
        members = [live[k] for k in wave.members if k in live]
        counts[0, i] = len(members)
        counts[1, i] = sum(w.pods for w in members)
    totals = (len(live), sum(w.pods for w in live.values()))
    return shares_meshed(counts, (already_w, already_p), totals, schedule, grid)


def shares_meshed(
    counts: FloatArray,
    already: tuple[float, float],
    totals: tuple[int, int],
    schedule: Schedule,
    grid: MonthGrid,
) -> Coverage:
    """Coverage from each wave's (workloads, pods) ``counts`` (2, waves), what was meshed
    before the migration and the estate's totals (workloads, pods)."""
    waves = schedule.waves
    frac = grid.meshed_fractions([w.end for w in waves])
    meshed = counts @ frac if len(waves) else np.zeros((2, grid.months))
    total_w, total_p = totals
    w_share = (meshed[0] + already[0]) / total_w if total_w else np.zeros(grid.months)
    p_share = (meshed[1] + already[1]) / total_p if total_p else np.zeros(grid.months)
    return Coverage(np.clip(w_share, 0.0, 1.0), np.clip(p_share, 0.0, 1.0), total_w, total_p)
