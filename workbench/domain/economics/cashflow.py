"""The monthly cash flow of the business case.

* Cost lines: the one-time amount lands in month 1, the annual amount is spread evenly,
  one twelfth each month, over the whole horizon.
* Infrastructure: ``fixed`` takes the cost lines as given; ``computed`` replaces the
  annual amount of the infrastructure line (category or name "infrastructure"; a new
  line when there is none) by the priced mesh overhead month by month, and adds the
  observability load as its own line. The line's one-time amount stays.
* Benefit lines: the annual run-rate, one twelfth a month, times the ramp: ``full``
  (1 from month 1), ``linear`` (m / N in month m, 1 from month N on) or ``coverage``
  (the share of workloads meshed in the month, from the schedule).
* Risk adjustment r (TEI style): benefits times (1 - r), costs times (1 + r).

All cash of a month lands at its end; see :mod:`workbench.domain.economics.metrics`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from workbench.domain.assumptions import Assumptions, BenefitLine
from workbench.domain.errors import WorkbenchError

FloatArray = npt.NDArray[np.float64]
INFRASTRUCTURE = "infrastructure"
COMPUTED_INFRASTRUCTURE = "Infrastructure (computed)"
COMPUTED_OBSERVABILITY = "Observability (computed)"


class EconomicsError(WorkbenchError, ValueError):
    """Assumptions the economics cannot work with (a negative horizon, a bad range ...)."""


def ramp_curve(kind: str, months: float, horizon: int, coverage: FloatArray | None) -> FloatArray:
    """Share of the benefits' run-rate realised in each month 1..horizon."""
    m = np.arange(1, horizon + 1, dtype=np.float64)
    if kind == "full":
        return np.ones(horizon)
    if kind == "linear":
        return np.ones(horizon) if months <= 0 else np.minimum(m / months, 1.0)
    if kind == "coverage":
        return np.zeros(horizon) if coverage is None else np.asarray(coverage, dtype=np.float64)
    raise EconomicsError(f"unknown benefit ramp {kind!r} (use full, linear or coverage)")


@dataclass(frozen=True, slots=True)
class CashFlowInputs:
    """The business case compiled to arrays: cheap to perturb for sensitivity and Monte Carlo.

    ``cost_series`` holds month-by-month amounts computed from the plan (zero rows for
    lines that are purely one-time plus annual).
    """

    cost_names: tuple[str, ...]
    cost_one_time: FloatArray
    cost_annual: FloatArray
    cost_series: FloatArray  # (lines, months)
    benefit_names: tuple[str, ...]
    benefit_annual: FloatArray
    ramp: FloatArray
    discount_rate: float
    risk_adjustment: float

    @property
    def months(self) -> int:
        return int(self.ramp.shape[0])

    def with_changes(self, **changes: object) -> CashFlowInputs:
        return replace(self, **changes)  # type: ignore[arg-type]


def benefit_run_rate(line: BenefitLine, workloads: int) -> float:
    """A line's annual run-rate: per workload times the estate's workloads, or as given."""
    return line.per_workload * workloads if line.per_workload > 0 else line.annual


def _is_infrastructure(name: str, category: str) -> bool:
    return INFRASTRUCTURE in (name.strip().lower(), category.strip().lower())


def compile_inputs(
    a: Assumptions,
    coverage: FloatArray | None = None,
    infrastructure_monthly: FloatArray | None = None,
    observability_monthly: FloatArray | None = None,
    derived: Sequence[tuple[str, FloatArray]] = (),
    workloads: int = 0,
) -> CashFlowInputs:
    """Arrays for the cash flow; the monthly series are used in ``computed`` mode only.

    ``derived`` are computed cost lines (name, monthly amounts) put before the plan's
    own lines (the ``estate`` case); ``workloads`` sizes per-workload benefit lines.
    """
    n = a.horizon_months
    if n <= 0:
        raise EconomicsError(f"the horizon must be at least one month (horizon_months is {n})")
    if not 0.0 <= a.risk_adjustment < 1.0:
        raise EconomicsError(f"risk_adjustment must be in [0, 1), not {a.risk_adjustment}")
    if a.discount_rate <= -1.0:
        raise EconomicsError(f"discount_rate must be above -100%, not {a.discount_rate}")
    names = [name for name, _ in derived] + [c.name for c in a.cost_lines]
    one_time = [0.0 for _ in derived] + [c.one_time for c in a.cost_lines]
    annual = [0.0 for _ in derived] + [c.annual for c in a.cost_lines]
    series = [np.asarray(v[:n], dtype=np.float64) for _, v in derived]
    series += [np.zeros(n) for _ in a.cost_lines]
    lines_at = len(derived)
    if a.infrastructure == "computed":
        infra = np.zeros(n) if infrastructure_monthly is None else infrastructure_monthly[:n]
        hit = [
            lines_at + i
            for i, c in enumerate(a.cost_lines)
            if _is_infrastructure(c.name, c.category)
        ]
        if hit:
            annual[hit[0]] = 0.0
            series[hit[0]] = np.asarray(infra, dtype=np.float64)
        else:
            names.append(COMPUTED_INFRASTRUCTURE)
            one_time.append(0.0)
            annual.append(0.0)
            series.append(np.asarray(infra, dtype=np.float64))
        if observability_monthly is not None:
            names.append(COMPUTED_OBSERVABILITY)
            one_time.append(0.0)
            annual.append(0.0)
            series.append(np.asarray(observability_monthly[:n], dtype=np.float64))
    return CashFlowInputs(
        cost_names=tuple(names),
        cost_one_time=np.array(one_time, dtype=np.float64),
        cost_annual=np.array(annual, dtype=np.float64),
        cost_series=np.vstack(series) if series else np.zeros((0, n)),
        benefit_names=tuple(b.name for b in a.benefit_lines),
        benefit_annual=np.array(
            [benefit_run_rate(b, workloads) for b in a.benefit_lines], dtype=np.float64
        ),
        ramp=ramp_curve(a.ramp.kind, a.ramp.months, n, coverage),
        discount_rate=a.discount_rate,
        risk_adjustment=a.risk_adjustment,
    )


@dataclass(frozen=True, slots=True)
class CashFlow:
    """Monthly amounts per line (rows) and the totals."""

    costs: FloatArray  # (cost lines, months)
    benefits: FloatArray  # (benefit lines, months)

    @property
    def cost_total(self) -> FloatArray:
        return np.asarray(self.costs.sum(axis=0))

    @property
    def benefit_total(self) -> FloatArray:
        return np.asarray(self.benefits.sum(axis=0))

    @property
    def net(self) -> FloatArray:
        return self.benefit_total - self.cost_total

    @property
    def cumulative_net(self) -> FloatArray:
        return np.cumsum(self.net)


def cash_flow(inputs: CashFlowInputs, risk_adjusted: bool = False) -> CashFlow:
    n = inputs.months
    costs = np.repeat((inputs.cost_annual / 12.0)[:, None], n, axis=1) + inputs.cost_series
    costs[:, 0] += inputs.cost_one_time
    benefits = (inputs.benefit_annual / 12.0)[:, None] * inputs.ramp[None, :]
    if risk_adjusted:
        costs = costs * (1.0 + inputs.risk_adjustment)
        benefits = benefits * (1.0 - inputs.risk_adjustment)
    return CashFlow(costs=costs, benefits=benefits)
