"""The business-case inputs: cost and benefit lines, ramp, prices, overhead profile.

Amounts are in the plan's currency. Scenarios override a subset of these values by
path (see :mod:`workbench.domain.assumption_paths`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

RAMP_KINDS = ("full", "linear", "coverage")
INFRASTRUCTURE_MODES = ("fixed", "computed")
MIB = 1024 * 1024


@dataclass(slots=True)
class CostLine:
    name: str
    one_time: float = 0.0  # lands in month 1
    annual: float = 0.0  # spread evenly over every month of the horizon
    category: str = ""


@dataclass(slots=True)
class BenefitLine:
    name: str
    annual: float = 0.0  # run-rate once fully realised
    category: str = ""


@dataclass(slots=True)
class Ramp:
    kind: str = "full"  # RAMP_KINDS
    months: int = 12  # for "linear": months until the full run-rate


@dataclass(slots=True)
class Prices:
    """Unit prices for the mesh's resource overhead (OpenCost's defaults)."""

    vcpu_hour: float = 0.031611
    gb_hour: float = 0.004237
    hours_per_month: float = 730.0
    node_vcpu: float = 8.0
    node_memory_gib: float = 32.0
    node_target_utilisation: float = 0.7


@dataclass(slots=True)
class OverheadProfile:
    """Per-proxy resources. CPU in millicores, memory in bytes."""

    name: str = "istio-defaults"
    sidecar_cpu_request_m: int = 100
    sidecar_memory_request_bytes: int = 128 * MIB
    sidecar_cpu_limit_m: int = 2000
    sidecar_memory_limit_bytes: int = 1024 * MIB
    ztunnel_cpu_request_m: int = 200
    ztunnel_memory_request_bytes: int = 512 * MIB
    waypoint_cpu_request_m: int = 100
    waypoint_memory_request_bytes: int = 128 * MIB
    istiod_cpu_request_m: int = 500
    istiod_memory_request_bytes: int = 2048 * MIB
    istiod_replicas: int = 2
    gateway_cpu_request_m: int = 100
    gateway_memory_request_bytes: int = 128 * MIB
    gateway_replicas: int = 2


def overhead_profile(name: str) -> OverheadProfile:
    """The built-in profiles: Istio's Helm defaults and the seed playbook's figures."""
    if name == "istio-defaults":
        return OverheadProfile()
    if name == "seed-playbook":
        return OverheadProfile(name="seed-playbook", sidecar_cpu_request_m=200)
    raise KeyError(f"unknown overhead profile {name!r}")


@dataclass(slots=True)
class Assumptions:
    cost_lines: list[CostLine] = field(default_factory=list)
    benefit_lines: list[BenefitLine] = field(default_factory=list)
    ramp: Ramp = field(default_factory=Ramp)
    prices: Prices = field(default_factory=Prices)
    overhead: OverheadProfile = field(default_factory=OverheadProfile)
    discount_rate: float = 0.10  # a year
    horizon_months: int = 36
    risk_adjustment: float = 0.0  # share: benefits reduced and costs raised by this
    infrastructure: str = "fixed"  # INFRASTRUCTURE_MODES
    start: date | None = None  # month 1 of the cash flow; None: the schedule's start
    currency: str = "USD"


@dataclass(slots=True)
class Scenario:
    """A named set of overrides of the plan's assumptions (path -> value)."""

    name: str
    description: str = ""
    overrides: dict[str, float | int | str] = field(default_factory=dict)


@dataclass(slots=True)
class SuccessMetric:
    name: str
    baseline: str
    target: str
    achieved: str | None = None
    category: str = ""
