"""What the Excel workbook shows: the plan and the figures the app derived from it.

The workbook recomputes the business case itself, with formulas over its Assumptions
sheet. What only the app can derive from the estate and the schedule (the share of
workloads meshed each month, the mesh overhead and monitoring load each month, the
readiness findings) comes in here and lands in the workbook as input values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from workbench.domain.assumptions import Assumptions
from workbench.domain.economics.overhead import WaveOverhead
from workbench.domain.economics.scenarios import ScenarioResult
from workbench.domain.findings import Finding
from workbench.domain.plan import Plan
from workbench.domain.planning.backlog import BacklogItem

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class MonthlyInputs:
    """Per month 1..horizon, as the app computes them from the schedule."""

    labels: Sequence[str]
    coverage: FloatArray  # share of workloads meshed (the ``coverage`` ramp)
    overhead_cpu_m: FloatArray  # mesh overhead requests, all components
    overhead_memory_bytes: FloatArray
    monitoring_series: FloatArray  # active Prometheus series the mesh adds
    trace_bytes: FloatArray  # trace storage held

    @property
    def count(self) -> int:
        return len(self.labels)


@dataclass(frozen=True, slots=True)
class SteadyOverhead:
    """The overhead once every scheduled wave is done."""

    cpu_m: float
    memory_bytes: float
    sidecar_pods: int
    ztunnel_nodes: int
    waypoints: int


@dataclass(frozen=True, slots=True)
class WorkbookContent:
    plan: Plan
    assumptions: Assumptions  # with the scenario's overrides applied
    scenario: str | None
    start: date | None  # the first day of month 1
    months: MonthlyInputs
    findings: Sequence[Finding]  # active findings, most severe first
    risk: Mapping[str, float]  # workload key -> readiness risk 0..100
    sidecar_overhead: Mapping[str, tuple[float, float]]  # key -> (cpu_m, bytes) in the plan
    waves: Sequence[WaveOverhead]
    steady: SteadyOverhead
    scenarios: Sequence[ScenarioResult]  # the app's figures, base case first
    exported_at: str  # ISO 8601 timestamp
    # Starting points for the IRR formulas (monthly rates, plain and risk-adjusted): the
    # app's own IRR where it has one, so the spreadsheet's iteration finds the same root.
    irr_guess: tuple[float, float] = (0.01, 0.01)
    # The remediation backlog: workloads kept out of the waves, with rule and fix.
    backlog: Sequence[BacklogItem] = ()
