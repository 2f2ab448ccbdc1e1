"""The charts' colours: a light and a dark :class:`Palette`.

Free of matplotlib, so the windows can colour their own widgets (KPI tiles, a chart's
note before it is drawn) in the charts' palette without loading the plotting library.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Palette:
    name: str
    background: str
    panel: str  # axes background
    foreground: str  # text, axis lines
    muted: str  # secondary text, annotations
    grid: str
    series: tuple[str, ...]  # categorical colours, in order
    positive: str
    negative: str
    accent: str  # markers that must stand out (payback, today)
    milestone: str
    sidecar: str
    ambient: str
    control_plane: str
    phase_band: str
    severity: dict[str, str]

    def colour(self, index: int) -> str:
        """The ``index``-th categorical colour (cycling)."""
        return self.series[index % len(self.series)]

    def mode_colour(self, mode: str) -> str:
        return self.ambient if mode == "ambient" else self.sidecar


LIGHT = Palette(
    name="light",
    background="#ffffff",
    panel="#ffffff",
    foreground="#1f2933",
    muted="#5f6b7a",
    grid="#dde2e8",
    series=(
        "#2f6db5",
        "#e08a1e",
        "#2a9d8f",
        "#c8553d",
        "#8e6bbf",
        "#9c6644",
        "#c9a227",
        "#5d9b3a",
        "#d16ba5",
        "#3d5a80",
    ),
    positive="#2a9d6f",
    negative="#c8553d",
    accent="#d1495b",
    milestone="#8e44ad",
    sidecar="#2f6db5",
    ambient="#2a9d8f",
    control_plane="#9aa5b1",
    phase_band="#dfe6ef",
    severity={
        "blocker": "#8b1e3f",
        "high": "#d1495b",
        "medium": "#edae49",
        "low": "#66a182",
        "info": "#8d99ae",
    },
)

DARK = Palette(
    name="dark",
    background="#1e1f22",
    panel="#25272b",
    foreground="#e4e7eb",
    muted="#a0a8b3",
    grid="#3a3e45",
    series=(
        "#6ea8fe",
        "#f0a24b",
        "#4fc3b3",
        "#ef7d68",
        "#b394e0",
        "#d39b72",
        "#e3c25a",
        "#86c266",
        "#ea8cc2",
        "#7d9cc4",
    ),
    positive="#4cc38a",
    negative="#ef7d68",
    accent="#ff6b81",
    milestone="#c39bd3",
    sidecar="#6ea8fe",
    ambient="#4fc3b3",
    control_plane="#6c7480",
    phase_band="#343944",
    severity={
        "blocker": "#e05780",
        "high": "#ff6b6b",
        "medium": "#f4c165",
        "low": "#8fd19e",
        "info": "#a0aec0",
    },
)


def palette(dark: bool = False) -> Palette:
    return DARK if dark else LIGHT
