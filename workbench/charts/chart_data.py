"""What the economics dashboard's charts draw, as plain data that crosses to a worker
process: which figure, from which values, and the pixels that come back.

Nothing here needs matplotlib, so the window can describe a chart, compare it with the
one on screen and show the pixels drawn elsewhere without loading the plotting library
(:mod:`.dashboard` draws them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from workbench.charts.palette import Palette
from workbench.domain.economics.model import PlanBasis

FloatArray = npt.NDArray[np.float64]
MAX_WAVE_SERIES = 9  # more waves than this: the latest ones are grouped
_RESIDUAL_SHARE = 1e-6


@dataclass(frozen=True, slots=True, eq=False)
class ChartData:
    """One chart: the name of its figure (a key of :data:`.dashboard.FIGURES`) and the
    arguments it is drawn from, besides the palette, size and resolution."""

    figure: str
    args: tuple[Any, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)

    def same_as(self, other: ChartData | None) -> bool:
        """The same figure from equal values (arrays compared by content)."""
        return (
            other is not None
            and self.figure == other.figure
            and same((self.args, dict(self.options)), (other.args, dict(other.options)))
        )


def note(title: str, text: str) -> ChartData:
    """A titled, empty chart that says ``text`` (nothing to draw yet, or nothing at all)."""
    return ChartData("note", (title, text))


@dataclass(frozen=True, slots=True)
class ChartRequest:
    """A chart to draw: its data, the title to show if it cannot be drawn, and the room
    it has (inches at ``dpi``, sharp at ``pixel_ratio`` device pixels a logical one)."""

    key: str
    data: ChartData
    title: str
    size: tuple[float, float]
    dpi: float
    pixel_ratio: float
    palette: Palette


@dataclass(frozen=True, slots=True)
class ChartPixels:
    """A drawn chart: ``height`` rows of ``width`` RGBA pixels, row after row."""

    width: int
    height: int
    rgba: bytes
    pixel_ratio: float = 1.0


def same(a: object, b: object) -> bool:
    """Equal values: arrays, sequences, mappings and dataclasses compared part by part;
    anything else by ``==`` (objects without a value equality by identity)."""
    if a is b:
        return True
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (
            isinstance(a, np.ndarray)
            and isinstance(b, np.ndarray)
            and a.shape == b.shape
            and bool(np.array_equal(a, b))
        )
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if is_dataclass(a) and not isinstance(a, type):
        return type(a) is type(b) and all(
            same(getattr(a, f.name), getattr(b, f.name)) for f in fields(a)
        )
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


def wave_series(basis: PlanBasis) -> list[tuple[str, FloatArray]]:
    """(label, (2, months) cpu_m and memory bytes) per wave in end-date order, then the
    control plane, then shared traffic-based overhead not tied to one wave (if any)."""
    timeline = basis.timeline
    waves = basis.plan.schedule.waves
    months = basis.grid.months
    control = timeline.monthly["control_plane"]
    series: list[tuple[str, FloatArray]] = [("Control plane", control)]
    if waves:
        fractions = basis.grid.meshed_fractions([w.end for w in waves])
        order = sorted(range(len(waves)), key=lambda i: (waves[i].end, i))
        for i in order:
            row = timeline.waves[i]
            step = np.array([[row.cpu_m], [row.memory_bytes]])
            series.append((f"{row.wave} ({row.mode})", step * fractions[i][None, :]))
    total = timeline.monthly_total()
    residual = total - sum((s for _, s in series), np.zeros((2, months)))
    if months and np.abs(residual).max() > _RESIDUAL_SHARE * max(float(np.abs(total).max()), 1.0):
        series.append(("Shared (traffic)", residual))
    return series


def grouped_wave_series(basis: PlanBasis) -> list[tuple[str, FloatArray]]:
    """:func:`wave_series` with at most :data:`MAX_WAVE_SERIES` waves, the latest ones
    summed as one (as the overhead chart draws them)."""
    series = wave_series(basis)
    head, waves = series[:1], series[1:]
    if len(waves) <= MAX_WAVE_SERIES:
        return series
    keep = waves[: MAX_WAVE_SERIES - 1]
    rest = waves[MAX_WAVE_SERIES - 1 :]
    merged = sum((s for _, s in rest), np.zeros_like(rest[0][1]))
    return [*head, *keep, (f"{len(rest)} later waves", merged)]
