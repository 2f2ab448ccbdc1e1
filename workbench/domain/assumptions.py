"""The business-case inputs: cost and benefit lines, ramp, prices, overhead profile.

Amounts are in the plan's currency. Scenarios override a subset of these values by
path (see :mod:`workbench.domain.assumption_paths`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

RAMP_KINDS = ("full", "linear", "coverage")
INFRASTRUCTURE_MODES = ("fixed", "computed")
# "lines": the cost lines as given; "estate": cost derived from the estate and the
# schedule (:class:`EstateCase`) plus the cost lines as plain extra lines.
CASE_KINDS = ("lines", "estate")
MIB = 1024 * 1024


@dataclass(slots=True)
class CostLine:
    name: str
    one_time: float = 0.0  # lands in month 1
    annual: float = 0.0  # spread evenly over every month of the horizon
    category: str = ""
    # Monte Carlo range as multipliers of the amounts (triangular, mode 1.0);
    # None: the plan-wide default in MonteCarloSettings.
    range_low: float | None = None
    range_high: float | None = None
    basis: str = ""  # what the amount rests on, shown next to it


@dataclass(slots=True)
class BenefitLine:
    name: str
    annual: float = 0.0  # run-rate once fully realised
    category: str = ""
    range_low: float | None = None  # Monte Carlo multipliers, as for CostLine
    range_high: float | None = None
    basis: str = ""  # what the amount rests on, shown next to it
    # > 0: the run-rate is this amount a year per workload of the estate (``annual``
    # is then ignored), so the benefit scales with the estate and follows coverage.
    per_workload: float = 0.0


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
    storage_gb_hour: float = 0.00005479452  # OpenCost default (about $0.04 a GB-month)


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
    # Traffic-based usage per 1,000 req/s through one proxy (Istio 1.24 performance
    # summary, HTTP/1.1, 1 KB payloads, 2 workers); memory in MB (10^6 bytes).
    sidecar_vcpu_per_krps: float = 0.20
    sidecar_mb_per_krps: float = 60.0
    ztunnel_vcpu_per_krps: float = 0.06
    ztunnel_mb_per_krps: float = 12.0
    waypoint_vcpu_per_krps: float = 0.25
    waypoint_mb_per_krps: float = 60.0
    # Ambient: a waypoint in every ambient namespace (True) or only where the
    # namespace or a member workload carries the istio.io/use-waypoint label.
    waypoint_every_namespace: bool = True
    pods_per_node_estimate: int = 30  # for clusters whose node count is unknown


def overhead_profile(name: str) -> OverheadProfile:
    """The built-in profiles: Istio's Helm defaults and the seed playbook's figures."""
    if name == "istio-defaults":
        return OverheadProfile()
    if name == "seed-playbook":
        return OverheadProfile(name="seed-playbook", sidecar_cpu_request_m=200)
    raise KeyError(f"unknown overhead profile {name!r}")


@dataclass(slots=True)
class MonteCarloSettings:
    """Default uncertainty ranges (multipliers, triangular with mode 1.0) and the run size.

    The defaults are centred (mean 1.0): the expectation is the deterministic case, and
    the spread is +/-20% on costs and infrastructure, +/-30% on benefits (estimates).
    A user who expects overruns skews a line's own range or these defaults.
    """

    draws: int = 10_000
    seed: int = 20240601
    cost_low: float = 0.8
    cost_high: float = 1.2
    benefit_low: float = 0.7
    benefit_high: float = 1.3
    infrastructure_low: float = 0.8
    infrastructure_high: float = 1.2


@dataclass(slots=True)
class ObservabilitySettings:
    """What Istio's standard metrics and tracing add to the monitoring stack.

    Series counts follow Istio's standard metrics (istio_requests_total plus three
    histograms, reported by the client and the server proxy) with Envoy's 19 default
    histogram bounds; memory per series and span size are estimates to calibrate.
    """

    enabled: bool = True
    reporters: int = 2  # reporter="source" and reporter="destination"
    histogram_buckets: int = 19  # Envoy's default histogram bounds (+Inf added)
    label_variants_per_edge: int = 2  # distinct response codes etc. per edge
    series_per_proxy: int = 50  # proxy-level series (estimate)
    bytes_per_series: int = 4096  # Prometheus head memory per active series (estimate)
    sampling_production: float = 0.01  # the seed playbook's guidance
    sampling_development: float = 1.0
    spans_per_sampled_hop: int = 2  # client and server span
    bytes_per_span: int = 1024  # estimate
    trace_retention_days: int = 7
    default_requests_per_second: float = 0.0  # for edges without a known rate


@dataclass(slots=True)
class LatencySettings:
    """Added latency per hop (one caller proxy plus one callee proxy), in milliseconds.

    Sidecar: Istio 1.20 performance summary (+0.228 ms p90, +0.298 ms p99 through two
    sidecars). Ambient: Istio 1.22 summary for L4 through two ztunnels (+0.17 / +0.20 ms).
    Istio publishes no text figure for waypoints; the sidecar figure stands in.
    """

    sidecar_p90_ms: float = 0.228
    sidecar_p99_ms: float = 0.298
    ambient_p90_ms: float = 0.17
    ambient_p99_ms: float = 0.20
    waypoint_p90_ms: float = 0.228
    waypoint_p99_ms: float = 0.298


@dataclass(slots=True)
class EstateCase:
    """Rates that turn the estate and the schedule into cost (sources: docs/economics.md).

    The defaults are the seed playbook's figures brought to a per-unit basis: its
    $800K a year platform team for a 1,000-service estate is four people at $200K,
    one per 250 workloads; its $1M migration effort is about a day's work per service.
    """

    fte_annual_cost: float = 200_000.0  # loaded cost of one person a year
    workloads_per_fte: float = 250.0  # platform team size during the programme
    min_fte: float = 2.0
    run_share: float = 0.5  # share of the team that stays to run the mesh afterwards
    working_days: float = 220.0  # a year, for the day rate
    days_ready: float = 0.5  # migration effort per workload without findings above low
    days_needs_work: float = 2.0  # ... with medium or high findings
    days_blocked: float = 5.0  # ... with a blocker (on top of its remediation)
    days_per_wave: float = 5.0  # change window, verification, rollback rehearsal
    days_per_blocker_rule: float = 10.0  # remediation per open blocker rule, estate-wide
    training_per_namespace: float = 3_000.0  # per namespace (team), at its first wave

    @property
    def day_rate(self) -> float:
        return self.fte_annual_cost / self.working_days if self.working_days else 0.0


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
    sensitivity_step: float = 0.10  # the tornado moves each input by plus and minus this share
    monte_carlo: MonteCarloSettings = field(default_factory=MonteCarloSettings)
    observability: ObservabilitySettings = field(default_factory=ObservabilitySettings)
    latency: LatencySettings = field(default_factory=LatencySettings)
    # Runtime observation that covers a workload this long makes its callers "complete".
    min_observation_days: float = 7.0
    case: str = "lines"  # CASE_KINDS
    estate_case: EstateCase = field(default_factory=EstateCase)


@dataclass(slots=True)
class Scenario:
    """A named set of overrides of the plan's assumptions (path -> value).

    A scenario may also replace the cost or benefit lines as a whole (the sample
    plan's ``playbook`` scenario carries the playbook's own fixed figures so).
    """

    name: str
    description: str = ""
    overrides: dict[str, float | int | str] = field(default_factory=dict)
    cost_lines: list[CostLine] | None = None
    benefit_lines: list[BenefitLine] | None = None


@dataclass(slots=True)
class SuccessMetric:
    name: str
    baseline: str
    target: str
    achieved: str | None = None
    category: str = ""
