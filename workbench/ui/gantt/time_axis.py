"""The Gantt chart's time axis: dates to x positions, ticks per zoom level, snapping.

Day ``d`` occupies ``[x_of(d), x_of(d) + px_per_day)``; a wave from ``start`` to ``end``
(both inclusive) spans ``x_of(start)`` to ``x_of(end + 1 day)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum


class Zoom(Enum):
    WEEKS = "weeks"
    MONTHS = "months"
    QUARTERS = "quarters"

    @property
    def title(self) -> str:
        return self.value.capitalize()


PX_PER_DAY = {Zoom.WEEKS: 18.0, Zoom.MONTHS: 3.0, Zoom.QUARTERS: 1.4}
SNAP_DAYS = {Zoom.WEEKS: 1, Zoom.MONTHS: 1, Zoom.QUARTERS: 7}


@dataclass(frozen=True, slots=True)
class Tick:
    day: date
    x: float
    label: str


def _month_starts(first: date, last: date, step: int) -> list[date]:
    """First days of months from ``first``'s month to ``last``, every ``step`` months,
    aligned so that a step of 3 lands on quarters and 12 on years."""
    month0 = (first.month - 1) // step * step
    y, m = first.year, month0
    out: list[date] = []
    while True:
        day = date(y + m // 12, m % 12 + 1, 1)
        if day > last:
            return out
        out.append(day)
        m += step


@dataclass(frozen=True, slots=True)
class TimeAxis:
    origin: date  # the day at x = 0
    zoom: Zoom = Zoom.MONTHS
    snap: int | None = None  # snap unit in days; None: the zoom level's own

    @property
    def px_per_day(self) -> float:
        return PX_PER_DAY[self.zoom]

    @property
    def snap_days(self) -> int:
        return self.snap if self.snap is not None else SNAP_DAYS[self.zoom]

    def x_of(self, day: date) -> float:
        return (day.toordinal() - self.origin.toordinal()) * self.px_per_day

    def end_x(self, day: date) -> float:
        """The right edge of ``day`` (where a span ending on it stops)."""
        return self.x_of(day) + self.px_per_day

    def date_at(self, x: float) -> date:
        return self.origin + timedelta(days=math.floor(x / self.px_per_day))

    def days_for(self, dx: float) -> int:
        """A horizontal distance as whole days, rounded to the snap unit."""
        unit = self.snap_days
        return unit * round(dx / self.px_per_day / unit)

    def snap_date(self, day: date) -> date:
        """``day`` moved to the nearest snap boundary (Mondays when snapping to weeks)."""
        if self.snap_days != 7:
            return day
        back = day.weekday()
        return day - timedelta(days=back) if back < 4 else day + timedelta(days=7 - back)

    # -- ticks ----------------------------------------------------------------------------
    def minor_ticks(self, first: date, last: date) -> list[Tick]:
        """Grid lines and small labels: weeks (Mondays), months or quarters."""
        if self.zoom is Zoom.WEEKS:
            monday = first - timedelta(days=first.weekday())
            days = [monday + timedelta(weeks=i) for i in range((last - monday).days // 7 + 1)]
            return [Tick(d, self.x_of(d), d.strftime("%d")) for d in days]
        if self.zoom is Zoom.MONTHS:
            return [Tick(d, self.x_of(d), d.strftime("%b")) for d in _month_starts(first, last, 1)]
        return [
            Tick(d, self.x_of(d), f"Q{(d.month - 1) // 3 + 1}")
            for d in _month_starts(first, last, 3)
        ]

    def major_ticks(self, first: date, last: date) -> list[Tick]:
        """Bands of the upper header row: months (week zoom) or years."""
        if self.zoom is Zoom.WEEKS:
            return [
                Tick(d, self.x_of(d), d.strftime("%B %Y")) for d in _month_starts(first, last, 1)
            ]
        return [Tick(d, self.x_of(d), str(d.year)) for d in _month_starts(first, last, 12)]
