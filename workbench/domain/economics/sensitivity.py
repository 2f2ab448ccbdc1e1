"""Tornado sensitivity: each input moved across its range, ranked by NPV swing.

Inputs are every non-zero cost line amount (one-time and annual), every benefit line,
the computed series (each as a whole), the discount rate, the linear ramp's length and
the risk adjustment. A line moves between its own range's low and high multipliers
(the Monte Carlo range, see :func:`.montecarlo.line_ranges`); the scalars move by plus
and minus the sensitivity step. NPVs are the unadjusted ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.domain.economics.cashflow import CashFlowInputs, cash_flow, ramp_curve
from workbench.domain.economics.metrics import FloatArray, npv
from workbench.domain.economics.montecarlo import LineRanges


@dataclass(frozen=True, slots=True)
class TornadoBar:
    label: str
    path: str | None  # assumption path, where the input is one
    base_value: float
    npv_low: float  # NPV with the input at the low end of its range
    npv_high: float  # NPV with the input at the high end of its range
    factor_low: float = 0.9  # the multipliers of the base value used
    factor_high: float = 1.1

    @property
    def swing(self) -> float:
        return abs(self.npv_high - self.npv_low)


def _npv(inputs: CashFlowInputs) -> float:
    return npv(inputs.discount_rate, cash_flow(inputs).net)


def _scaled(values: FloatArray, i: int, factor: float) -> FloatArray:
    out = values.copy()
    out[i] *= factor
    return out


_ARRAYS = ("cost_one_time", "cost_annual", "cost_series", "benefit_annual")


def _variant(
    inputs: CashFlowInputs, what: str, i: int, factor: float, ramp_months: float
) -> CashFlowInputs:
    """The inputs with one input (an array row, or a scalar) scaled by ``factor``."""
    if what in _ARRAYS:
        return inputs.with_changes(**{what: _scaled(getattr(inputs, what), i, factor)})
    if what == "discount_rate":
        return inputs.with_changes(discount_rate=inputs.discount_rate * factor)
    if what == "risk_adjustment":
        return inputs.with_changes(risk_adjustment=min(inputs.risk_adjustment * factor, 0.99))
    return inputs.with_changes(ramp=ramp_curve("linear", ramp_months * factor, inputs.months, None))


def tornado(
    inputs: CashFlowInputs,
    step: float,
    ramp_kind: str = "full",
    ramp_months: float = 0.0,
    computed_lines: frozenset[str] = frozenset(),
    ranges: LineRanges | None = None,
) -> list[TornadoBar]:
    """Bars ordered by swing, largest first; lines use ``ranges`` where given."""
    cases: list[tuple[str, str | None, float, str, int]] = []
    for i, name in enumerate(inputs.cost_names):
        if inputs.cost_one_time[i]:
            path = f"cost_lines[{name}].one_time"
            cases.append((f"{name} (one-time)", path, inputs.cost_one_time[i], "cost_one_time", i))
        if inputs.cost_annual[i]:
            path = f"cost_lines[{name}].annual"
            cases.append((f"{name} (annual)", path, inputs.cost_annual[i], "cost_annual", i))
        if inputs.cost_series[i].any():
            label = name if name.endswith("(computed)") else f"{name} (computed)"
            where = None if name in computed_lines else f"cost_lines[{name}].annual"
            cases.append((label, where, float(inputs.cost_series[i].sum()), "cost_series", i))
    for i, name in enumerate(inputs.benefit_names):
        if inputs.benefit_annual[i]:
            path = f"benefit_lines[{name}].annual"
            cases.append((name, path, inputs.benefit_annual[i], "benefit_annual", i))
    if inputs.discount_rate:
        cases.append(("Discount rate", "discount_rate", inputs.discount_rate, "discount_rate", 0))
    if inputs.risk_adjustment:
        r = inputs.risk_adjustment
        cases.append(("Risk adjustment", "risk_adjustment", r, "risk_adjustment", 0))
    if ramp_kind == "linear" and ramp_months > 0:
        cases.append(("Ramp length (months)", "ramp.months", ramp_months, "ramp", 0))
    bars = []
    for label, input_path, base, what, i in cases:
        lo, hi = _factors(ranges, what, i, step)
        bars.append(
            TornadoBar(
                label,
                input_path,
                float(base),
                _npv(_variant(inputs, what, i, lo, ramp_months)),
                _npv(_variant(inputs, what, i, hi, ramp_months)),
                lo,
                hi,
            )
        )
    return sorted(bars, key=lambda b: -b.swing)


def _factors(ranges: LineRanges | None, what: str, i: int, step: float) -> tuple[float, float]:
    if ranges is not None and what == "benefit_annual":
        return float(ranges.benefit_low[i]), float(ranges.benefit_high[i])
    if ranges is not None and what in _ARRAYS:
        return float(ranges.cost_low[i]), float(ranges.cost_high[i])
    return 1.0 - step, 1.0 + step
