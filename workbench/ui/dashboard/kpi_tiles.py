"""The row of headline figures: cost, benefit, ROI, NPV, payback, overhead cost, nodes.

After an edit each tile shows, for a few seconds, how far its figure moved and whether
that is good news (green) or bad (red). Undo and redo show no delta: the figures return
to a state already seen, and calling that an improvement would mislead. A plan opened in
place of another starts without a baseline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from workbench.charts.formats import money, percent
from workbench.domain.economics.metrics import irr_caveat, payback_text
from workbench.domain.economics.pricing import GIB
from workbench.ui.dashboard.fitted_value import FittedValue
from workbench.ui.dashboard.recompute import KpiSnapshot
from workbench.ui.theme import chart_palette

DELTA_VISIBLE_MS = 4000

Value = float | None


def horizon_label(months: int) -> str:
    return f"{months // 12}-year" if months % 12 == 0 else f"{months}-month"


def _months(value: Value) -> str:
    if value is None:
        return "none"
    return "at once" if value <= 0 else f"{value:.1f} mo"


def has_case(s: KpiSnapshot) -> bool:
    """Whether the plan has any cost or benefit to judge (an empty plan has none)."""
    return bool(s.metrics.total_cost or s.metrics.total_benefit)


def _irr_note(s: KpiSnapshot) -> str:
    m = s.metrics
    if m.irr is None:
        return "no IRR"
    mirr = "" if m.mirr is None else f" · MIRR {percent(m.mirr)}"
    flag = " (!)" if irr_caveat(m.irr) else ""
    return f"IRR {percent(m.irr)}{flag}{mirr}"


@dataclass(frozen=True, slots=True)
class TileSpec:
    key: str
    value: Callable[[KpiSnapshot], Value]
    text: Callable[[Value, KpiSnapshot], str]
    delta_text: Callable[[float, KpiSnapshot], str]
    better: int  # +1: higher is better, -1: lower is better
    title: Callable[[KpiSnapshot], str]
    note: Callable[[KpiSnapshot], str]


def _money_text(v: Value, s: KpiSnapshot) -> str:
    return "-" if v is None else money(v, s.currency)


def _money_delta(d: float, s: KpiSnapshot) -> str:
    return money(abs(d), s.currency)


def _overhead_note(s: KpiSnapshot) -> str:
    return f"+{s.overhead_cpu_m / 1000:.1f} vCPU · +{s.overhead_memory_bytes / GIB:.1f} GiB"


def _risk_note(s: KpiSnapshot, value: float) -> str:
    return f"risk-adjusted {money(value, s.currency)}" if s.risk_adjustment else ""


TILES: tuple[TileSpec, ...] = (
    TileSpec(
        "cost",
        lambda s: s.metrics.total_cost,
        _money_text,
        _money_delta,
        -1,
        lambda s: f"{horizon_label(s.horizon_months)} cost",
        lambda s: (
            _risk_note(s, s.risk_adjusted.total_cost)
            or f"one-time {money(s.one_time_cost, s.currency)}"
        ),
    ),
    TileSpec(
        "benefit",
        lambda s: s.metrics.total_benefit,
        _money_text,
        _money_delta,
        +1,
        lambda s: f"{horizon_label(s.horizon_months)} benefit",
        lambda s: (
            _risk_note(s, s.risk_adjusted.total_benefit)
            or f"run-rate {money(s.benefit_run_rate, s.currency)}/yr"
        ),
    ),
    TileSpec(
        "roi",
        lambda s: s.metrics.roi,
        lambda v, s: percent(v),
        lambda d, s: f"{abs(d) * 100:.1f} pts",
        +1,
        lambda s: "ROI",
        _irr_note,
    ),
    TileSpec(
        "npv",
        lambda s: s.metrics.npv,
        _money_text,
        _money_delta,
        +1,
        lambda s: "NPV",
        lambda s: _risk_note(s, s.risk_adjusted.npv) or f"at {percent(s.discount_rate, 1)} a year",
    ),
    TileSpec(
        "payback",
        lambda s: s.metrics.payback_months,
        lambda v, s: _months(v) if has_case(s) else "-",
        lambda d, s: f"{abs(d):.1f} mo",
        -1,
        lambda s: "Payback",
        lambda s: (
            "no costs or benefits yet"
            if not has_case(s)
            else "cumulative net turns positive"
            if s.metrics.payback_months is not None
            else payback_text(None, s.horizon_months)
        ),
    ),
    TileSpec(
        "overhead",
        lambda s: s.monthly_overhead_cost,
        lambda v, s: "-" if v is None else f"{money(v, s.currency)}/mo",
        _money_delta,
        -1,
        lambda s: "Mesh overhead",
        _overhead_note,
    ),
    TileSpec(
        "nodes",
        lambda s: float(s.extra_nodes),
        lambda v, s: "-" if v is None else f"+{v:.0f}",
        lambda d, s: f"{abs(d):.0f}",
        -1,
        lambda s: "Extra nodes",
        lambda s: (
            f"{s.node_vcpu:g} vCPU / {s.node_memory_gib:g} GiB at {percent(s.node_utilisation)}"
        ),
    ),
)


class KpiTile(QFrame):
    """One figure: a caption, the value, a transient delta and a note underneath."""

    def __init__(self, spec: TileSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.setObjectName(f"kpi-{spec.key}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.caption = QLabel(spec.key)
        self.value = FittedValue(self)
        self.delta = QLabel("")
        self.delta.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.delta.hide()
        self.note = QLabel("")
        self.delta_colour = ""
        self.follow_theme()
        # a long note (IRR with its caveat and MIRR) is cut, never widens the row
        self.note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        # the delta shows beside the note, which gives way: the figure keeps the full width
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        row.addWidget(self.delta)
        row.addWidget(self.note, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)
        layout.addLayout(row)
        self._hide_delta = QTimer(self)
        self._hide_delta.setSingleShot(True)
        self._hide_delta.timeout.connect(self.clear_delta)

    def follow_theme(self) -> None:
        """Colours of the theme in use (the tile is drawn like a chart panel)."""
        p = chart_palette()
        self.setStyleSheet(
            f"KpiTile {{ background: {p.background}; border: 1px solid {p.grid};"
            " border-radius: 6px; }"
        )
        self.caption.setStyleSheet(f"color: {p.muted}; font-size: 9pt; font-weight: 600;")
        self.value.setStyleSheet(f"color: {p.foreground};")
        self.note.setStyleSheet(f"color: {p.muted}; font-size: 8pt;")
        self._style_delta()
        # The note's line is as tall as a delta's, so a delta coming and going never
        # changes the tile's height (and the charts under the tiles keep their room).
        self.delta.ensurePolished()
        self.note.setMinimumHeight(self.delta.sizeHint().height())

    def _style_delta(self) -> None:
        p = chart_palette()
        colour = {"positive": p.positive, "negative": p.negative}.get(self.delta_colour, p.muted)
        self.delta.setStyleSheet(f"color: {colour}; font-size: 9pt; font-weight: 600;")

    def show_snapshot(self, snapshot: KpiSnapshot, previous: KpiSnapshot | None) -> None:
        spec = self.spec
        v = spec.value(snapshot)
        self.caption.setText(spec.title(snapshot))
        self.value.setText(spec.text(v, snapshot))
        self.note.setText(spec.note(snapshot))
        caveat = irr_caveat(snapshot.metrics.irr) if spec.key == "roi" else ""
        self.setToolTip(
            f"{spec.title(snapshot)}: {spec.text(v, snapshot)}" + (f"\n{caveat}" if caveat else "")
        )
        if previous is None:
            self.clear_delta()
            return
        old = spec.value(previous)
        if old == v or (old is not None and v is not None and abs(v - old) < 1e-9):
            return
        if old is None or v is None:
            # a figure appearing or vanishing (payback within the horizon or not)
            text = f"was {spec.text(old, previous)}"
            good = v is not None
        else:
            d = v - old
            text = ("▲ " if d > 0 else "▼ ") + spec.delta_text(d, snapshot)
            good = (d > 0) == (spec.better > 0)
        self.delta_colour = "positive" if good else "negative"
        self._style_delta()
        self.delta.setText(text)
        self.delta.show()
        self._hide_delta.start(DELTA_VISIBLE_MS)

    def clear_delta(self) -> None:
        self._hide_delta.stop()
        self.delta.setText("")
        self.delta.hide()  # the note takes the whole line again

    def value_text(self) -> str:
        return self.value.text()

    def delta_text(self) -> str:
        return self.delta.text()


class KpiTiles(QWidget):
    """The tiles side by side; :meth:`show_snapshot` updates all of them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tiles = {spec.key: KpiTile(spec, self) for spec in TILES}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        for tile in self.tiles.values():
            layout.addWidget(tile)
        self.snapshot: KpiSnapshot | None = None
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self.fit_values)
        for tile in self.tiles.values():
            tile.value.resized.connect(self._fit_timer.start)

    def fit_values(self) -> None:
        """One type size for every figure: the largest at which all of them fit."""
        points = min(tile.value.fitting_points() for tile in self.tiles.values())
        for tile in self.tiles.values():
            tile.value.use_points(points)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # the theme changed
            for tile in self.tiles.values():
                tile.follow_theme()

    def show_snapshot(self, snapshot: KpiSnapshot, *, compare: bool = True) -> None:
        """Show ``snapshot``; with ``compare`` the tiles show how far each figure moved
        since the last snapshot, otherwise any delta still shown is cleared."""
        previous = self.snapshot if compare else None
        for tile in self.tiles.values():
            tile.show_snapshot(snapshot, previous)
        self.snapshot = snapshot
        self._fit_timer.start()

    def reset(self) -> None:
        """Forget the baseline (another plan took over) and clear the deltas."""
        self.snapshot = None
        for tile in self.tiles.values():
            tile.clear_delta()

    def tile(self, key: str) -> KpiTile:
        return self.tiles[key]
