"""What the economics use-case returns: the report and its steady-state overhead."""

from __future__ import annotations

from dataclasses import dataclass

from workbench.domain.assumptions import Assumptions
from workbench.domain.economics.latency import CallChain
from workbench.domain.economics.metrics import Metrics
from workbench.domain.economics.model import Evaluation, PlanBasis
from workbench.domain.economics.montecarlo import MonteCarloResult
from workbench.domain.economics.overhead import OverheadTimeline, WaveOverhead
from workbench.domain.economics.pricing import NodeEquivalent, monthly_cost, node_equivalent
from workbench.domain.economics.scenarios import ScenarioResult
from workbench.domain.economics.sensitivity import TornadoBar


@dataclass(frozen=True, slots=True)
class OverheadSummary:
    """Steady-state overhead once every scheduled workload is meshed."""

    mode: str  # "plan" (each wave's own mode), "sidecar" or "ambient"
    sidecar_cpu_m: float
    sidecar_memory_bytes: float
    ambient_cpu_m: float  # ztunnels and waypoints
    ambient_memory_bytes: float
    control_plane_cpu_m: float
    control_plane_memory_bytes: float
    monthly_cost: float
    nodes: NodeEquivalent
    sidecar_pods: int
    ztunnel_nodes: int
    waypoints: int
    ztunnel_cpu_m: float = 0.0
    ztunnel_memory_bytes: float = 0.0
    waypoint_cpu_m: float = 0.0
    waypoint_memory_bytes: float = 0.0

    @property
    def cpu_m(self) -> float:
        return self.sidecar_cpu_m + self.ambient_cpu_m + self.control_plane_cpu_m

    @property
    def memory_bytes(self) -> float:
        return (
            self.sidecar_memory_bytes + self.ambient_memory_bytes + self.control_plane_memory_bytes
        )


@dataclass(frozen=True, slots=True)
class EconomicsReport:
    scenario: str | None
    currency: str
    assumptions: Assumptions
    month_labels: list[str]
    evaluation: Evaluation
    basis: PlanBasis
    overhead: OverheadSummary
    overhead_by_mode: dict[str, OverheadSummary]
    waves: list[WaveOverhead]
    tornado: list[TornadoBar]
    scenarios: list[ScenarioResult]
    monte_carlo: MonteCarloResult | None
    latency: list[CallChain] | None

    @property
    def metrics(self) -> Metrics:
        return self.evaluation.metrics

    @property
    def risk_adjusted(self) -> Metrics:
        return self.evaluation.risk_adjusted


def overhead_summary(timeline: OverheadTimeline, mode: str, a: Assumptions) -> OverheadSummary:
    st = timeline.steady
    cpu, mem = timeline.steady_total()
    return OverheadSummary(
        mode=mode,
        sidecar_cpu_m=st["sidecar"][0],
        sidecar_memory_bytes=st["sidecar"][1],
        ambient_cpu_m=st["ztunnel"][0] + st["waypoint"][0],
        ambient_memory_bytes=st["ztunnel"][1] + st["waypoint"][1],
        control_plane_cpu_m=st["control_plane"][0],
        control_plane_memory_bytes=st["control_plane"][1],
        monthly_cost=float(monthly_cost(cpu, mem, a.prices)),
        nodes=node_equivalent(cpu, mem, a.prices),
        sidecar_pods=timeline.sidecar_pods,
        ztunnel_nodes=timeline.ztunnel_nodes,
        waypoints=timeline.waypoints,
        ztunnel_cpu_m=st["ztunnel"][0],
        ztunnel_memory_bytes=st["ztunnel"][1],
        waypoint_cpu_m=st["waypoint"][0],
        waypoint_memory_bytes=st["waypoint"][1],
    )
