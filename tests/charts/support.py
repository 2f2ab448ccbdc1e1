"""Plans and helpers for the chart builder tests (Agg, no display)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from workbench.domain.plan import Plan
from workbench.io.plan_file import load_plan

_SAMPLE: dict[str, Plan] = {}


def sample_plan(path: Path) -> Plan:
    """The sample plan, loaded once per session (tests must not change it)."""
    key = str(path)
    if key not in _SAMPLE:
        _SAMPLE[key] = load_plan(path)
    return _SAMPLE[key]


def artists(fig: Figure) -> Iterator[Artist]:
    yield from fig.findobj()


def by_gid(fig: Figure, gid: str) -> list[Artist]:
    return [a for a in fig.findobj() if a.get_gid() == gid]


def by_gid_prefix(fig: Figure, prefix: str) -> list[Artist]:
    return [a for a in fig.findobj() if (a.get_gid() or "").startswith(prefix)]


def texts(fig: Figure) -> list[str]:
    from matplotlib.text import Text

    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def render(fig: Figure) -> np.ndarray:
    """Draw with Agg and return the RGB pixels."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[:, :, :3]


def ink_share(pixels: np.ndarray, background: tuple[int, int, int] = (255, 255, 255)) -> float:
    """Share of pixels that differ from the background colour."""
    diff = np.abs(pixels.astype(np.int16) - np.array(background, dtype=np.int16)).sum(axis=2)
    return float((diff > 30).mean())
