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
class WaveInputs:
    """One wave's figures the workbook's schedule formulas weigh by its dates."""

    workloads: float  # members in the estate
    cpu_m: float  # the overhead it adds once done
    memory_bytes: float
    classes: tuple[float, float, float]  # members ready, needing work, blocked
    new_namespaces: int  # namespaces it is the first to reach (in start order)
    series: float = 0.0  # monitoring series it adds once done
    trace_bytes: float = 0.0  # trace storage it adds once done


@dataclass(frozen=True, slots=True)
class ScheduleInputs:
    """What turns the wave dates into coverage, overhead and cost timing in the workbook.

    ``overhead_linear`` is False when the overhead is not a sum of per-wave steps (proxy
    sizes driven by traffic): the workbook then keeps the app's monthly overhead.
    """

    boundaries: Sequence[date]  # the n + 1 month boundaries
    waves: Sequence[WaveInputs]  # in plan order
    live_workloads: int
    already_meshed: float
    control_cpu_m: float
    control_memory_bytes: float
    overhead_linear: bool
    programme_end: date | None  # without waves: the schedule's last date
    blocker_rules: int
    already_series: float = 0.0  # monitoring of what was meshed before the migration
    already_trace_bytes: float = 0.0


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
    schedule: ScheduleInputs | None = None  # None: the plan is not dated
    notes: Sequence[tuple[str, str]] = ()  # (heading, text): plan and scenario notes
    # the estate case's computed cost lines (name, monthly amounts), in cash-flow order
    estate_costs: Sequence[tuple[str, FloatArray]] = ()
    # The remediation backlog: workloads kept out of the waves, with rule and fix.
    backlog: Sequence[BacklogItem] = ()
