"""A one-line strip of the business case under the chart: payback, ROI, NPV, overhead.

The figures come from :func:`workbench.ops.economics.summary_keys`. Under a document's
Gantt chart the strip uses the document's :class:`workbench.ui.economics_basis.
EconomicsBasis`: the basis cache it shares with the economics dashboard (after a wave
drag only the schedule-dependent basis is rebuilt, once, for both) and the readiness
classes the business case prices, from the plan's findings. Until a large plan's
background check has them the strip says it is waiting and shows no figures; it fills
in when they arrive. A strip on its own keeps a cache of its own and runs the readiness
rules when the business case needs them.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QWidget

from workbench.domain.defaults import untouched_defaults
from workbench.domain.economics.model import BasisCache
from workbench.domain.errors import WorkbenchError
from workbench.domain.plan import Plan
from workbench.ops.economics import scenario_assumptions, summary_keys
from workbench.ui.economics_basis import WAITING_FOR_FINDINGS, EconomicsBasis
from workbench.ui.elided_label import ElidedLabel
from workbench.ui.theme import canvas_colours


def _style() -> str:
    """The strip in the colours of the theme in use (light or dark)."""
    colours = canvas_colours()
    return (
        f"QFrame#kpiStrip {{ background: {colours.header}; "
        f"border-top: 1px solid {colours.border}; }}"
        f"QLabel {{ color: {colours.text}; padding: 0 5px; }}"
        "QLabel[role='value'] { font-weight: 600; }"
    )


def money(value: float, currency: str) -> str:
    sign = "-" if value < 0 else ""
    value = abs(value)
    symbol = {"USD": "$", "EUR": "€", "GBP": "£"}.get(currency, currency + " ")
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if value >= limit:
            return f"{sign}{symbol}{value / limit:.2f}{suffix}"
    return f"{sign}{symbol}{value:.0f}"


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


class KpiStrip(QFrame):
    FIELDS = ("payback", "roi", "npv", "overhead")
    TITLES = {
        "payback": "Payback",
        "roi": "ROI",
        "npv": "NPV",
        "overhead": "Mesh overhead",
    }

    def __init__(
        self, parent: QWidget | None = None, economics: EconomicsBasis | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("kpiStrip")
        self.setStyleSheet(_style())
        self.values: dict[str, float | None] = dict.fromkeys(self.FIELDS)
        self.economics = economics
        self.cache = BasisCache() if economics is None else economics.cache
        self.waiting = False  # no figures until the plan's readiness findings are in
        if economics is not None:
            economics.arrived.connect(self._on_findings)
        self.labels: dict[str, QLabel] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        self.scenario = ElidedLabel(self)
        # the scenario's name gives way first (cut with "…"), so the strip never widens the chart
        self.scenario.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.scenario.setMinimumWidth(0)
        layout.addWidget(self.scenario, 1)
        # never cut: figures that rest on the shipped defaults say so where they stand
        self.basis = QLabel("shipped defaults", self)
        self.basis.setProperty("role", "value")
        self.basis.hide()
        layout.addWidget(self.basis)
        for name in self.FIELDS:
            title = QLabel(self.TITLES[name], self)
            value = QLabel("–", self)
            value.setProperty("role", "value")
            layout.addWidget(title)
            layout.addWidget(value)
            self.labels[name] = value

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange and self.styleSheet() != _style():
            self.setStyleSheet(_style())  # the theme changed
        super().changeEvent(event)

    def _on_findings(self) -> None:
        if self.waiting and self.economics is not None:
            self.refresh(self.economics.document.plan)

    def _blank(self, text: str, figure: str) -> None:
        """No figures: ``text`` says why."""
        self.values = dict.fromkeys(self.FIELDS)
        self.basis.hide()
        self.scenario.setText(text)
        self.scenario.setToolTip(text)
        for label in self.labels.values():
            label.setText(figure)

    def refresh(self, plan: Plan) -> None:
        source = self.economics
        go, readiness = (True, None) if source is None else source.state(plan)
        self.waiting = not go
        if not go:
            self._blank(WAITING_FOR_FINDINGS, "…")
            return
        try:
            keys = summary_keys(plan, readiness=readiness, cache=self.cache)
        except WorkbenchError as exc:
            self._blank(f"Economics unavailable: {exc}", "–")
            return
        eco = keys["economics"]
        over = keys["overhead"]
        assert isinstance(eco, dict) and isinstance(over, dict)
        currency = str(eco.get("currency", "USD"))
        self.values = {
            "payback": _number(eco.get("payback_months")),
            "roi": _number(eco.get("roi")),
            "npv": _number(eco.get("npv")),
            "overhead": _number(over.get("monthly_cost")),
        }
        scenario = plan.active_scenario or "base assumptions"
        text = f"Scenario: {scenario}  ·  {eco.get('horizon_months')} months"
        untouched = untouched_defaults(scenario_assumptions(plan, None)[1])
        if untouched:  # figures from the shipped defaults are not this estate's case
            text += "  ·  shipped defaults: " + ", ".join(untouched)
        self.basis.setVisible(bool(untouched))
        self.basis.setToolTip(
            "These figures use the shipped defaults for " + ", ".join(untouched) + "."
        )
        self.scenario.setText(text)
        self.scenario.setToolTip(text)  # in full where the strip cuts it
        texts = {
            "payback": "never"
            if self.values["payback"] is None
            else f"{self.values['payback']:.1f} months",
            "roi": "–" if self.values["roi"] is None else f"{self.values['roi']:.0%}",
            "npv": "–" if self.values["npv"] is None else money(self.values["npv"], currency),
            "overhead": money(float(self.values["overhead"] or 0.0), currency) + "/month",
        }
        for name, text in texts.items():
            self.labels[name].setText(text)
