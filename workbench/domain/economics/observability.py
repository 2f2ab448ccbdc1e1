"""The monitoring load the mesh adds: Prometheus series and trace storage, month by month.

Series: every proxy on a call reports Istio's standard HTTP metrics (reporter
"source" at the caller, "destination" at the callee): ``istio_requests_total`` plus
three histograms (request duration, request bytes, response bytes), each histogram
being its bounds + 1 (+Inf) + 2 (_sum, _count) series, for each label variant (response
codes ...) of the edge (Istio "Standard Metrics" reference; Envoy's 19 default bounds).
Sidecars add proxy-level series of their own. Series are priced as Prometheus memory
(``bytes_per_series``, an estimate) at the GB-hour price.

Traces: each meshed side of a call emits a span for every sampled request, at the
caller namespace's sampling rate (the seed playbook: 1% in production, 100% in
development namespaces); stored for the retention period at the storage price.
Edges without a known request rate use ``default_requests_per_second`` (0 by default,
so only measured traffic produces traces). Timing follows the coverage convention: a
workload reports from its wave's end date.

What depends only on the estate and its calls (:class:`EdgeLoad`: call ends and
request rates per workload) is computed once; a schedule edit only re-sums it per wave.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from workbench.domain.assumptions import ObservabilitySettings, Prices
from workbench.domain.dependencies import Dependencies
from workbench.domain.economics.coverage import MonthGrid
from workbench.domain.economics.membership import Membership
from workbench.domain.economics.overhead import FloatArray, WorkloadTable
from workbench.domain.economics.pricing import monthly_cost, storage_monthly_cost
from workbench.domain.inventory import Inventory
from workbench.domain.schedule import Schedule

SECONDS_PER_MONTH = 730 * 3600.0  # OpenCost's 730-hour month
DEVELOPMENT_WORDS = ("dev", "test", "qa", "staging", "stage", "sandbox", "preview")
ENV_LABELS = ("environment", "env", "stage", "tier")


def is_development(name: str, labels: dict[str, str]) -> bool:
    """A namespace that looks like development or test by its name or labels."""
    words = name.lower().replace("_", "-").split("-")
    words += [labels.get(k, "").lower() for k in ENV_LABELS]
    return any(w.startswith(d) for w in words if w for d in DEVELOPMENT_WORDS)


def series_per_edge_side(s: ObservabilitySettings) -> int:
    per_histogram = s.histogram_buckets + 3
    return s.label_variants_per_edge * (1 + 3 * per_histogram)


@dataclass(frozen=True, slots=True)
class ObservabilityLoad:
    series: FloatArray  # active series in each month
    trace_bytes: FloatArray  # trace storage held in each month
    steady_series: float
    steady_trace_bytes: float
    # per wave, then one entry for what was meshed before the migration: the series and
    # the trace storage each adds once done (the monthly rows weigh these by the dates)
    wave_series: FloatArray = field(default_factory=lambda: np.zeros(0))
    wave_trace_bytes: FloatArray = field(default_factory=lambda: np.zeros(0))

    def monthly_cost(self, s: ObservabilitySettings, prices: Prices) -> FloatArray:
        if not s.enabled:
            return np.zeros_like(self.series)
        memory = monthly_cost(0.0, self.series * s.bytes_per_series, prices)
        storage = np.array([storage_monthly_cost(b, prices) for b in self.trace_bytes])
        return np.asarray(memory + storage, dtype=np.float64)


@dataclass(frozen=True, slots=True)
class EdgeLoad:
    """What the calls imply per workload (table row), whatever the schedule: the call
    ends it reports, and the request rates it sees by the caller's sampling class
    (0: production, 1: development)."""

    sides: FloatArray  # (N,): ends of calls at the workload
    known_rps: FloatArray  # (2, N): request rates of calls with a known rate
    unknown: FloatArray  # (2, N): calls without a known rate

    def spans_per_second(self, s: ObservabilitySettings) -> FloatArray:
        """Sampled requests per second each workload's proxy sees."""
        sampling = np.array([s.sampling_production, s.sampling_development])
        rps = self.known_rps + self.unknown * s.default_requests_per_second
        return np.asarray(sampling @ rps, dtype=np.float64)


def edge_load(table: WorkloadTable, inventory: Inventory, dependencies: Dependencies) -> EdgeLoad:
    n = len(table.pods)
    ns_labels = {k: ns.labels for k, ns in inventory.namespaces.items()}
    dev_ns = {
        ns: is_development(ns.split("/", 1)[-1], ns_labels.get(ns, {}))
        for ns in set(table.namespace)
    }
    dev = np.array([dev_ns[ns] for ns in table.namespace], dtype=np.int64)
    index = table.index
    edges = dependencies.edges.values()
    caller = np.array([index.get(e.caller, -1) for e in edges], dtype=np.int64)
    callee = np.array([index.get(e.callee, -1) for e in edges], dtype=np.int64)
    rate = np.array([e.requests_per_second or 0.0 for e in edges], dtype=np.float64)
    kind = np.where(caller >= 0, dev[np.maximum(caller, 0)] if n else 0, 0)  # no caller: prod
    sides = np.zeros(n)
    known = np.zeros((2, n))
    unknown = np.zeros((2, n))
    for end in (caller, callee):
        seen = end >= 0
        sides += np.bincount(end[seen], minlength=n)
        for c in (0, 1):
            sel = seen & (kind == c)
            known[c] += np.bincount(end[sel], weights=rate[sel], minlength=n)
            unknown[c] += np.bincount(end[sel & (rate == 0.0)], minlength=n)
    return EdgeLoad(sides, known, unknown)


def observability_load(
    edges: EdgeLoad,
    members: Membership,
    sidecar_pods: FloatArray,
    schedule: Schedule,
    grid: MonthGrid,
    s: ObservabilitySettings,
) -> ObservabilityLoad:
    """The load per month: each workload reports from its wave's end (from month 1 when
    meshed at import); ``sidecar_pods`` per wave under the plan's modes."""
    waves = schedule.waves
    row = members.row
    seen = row >= 0
    per_row = len(waves) + 1  # the extra row: meshed before the migration
    sides = np.bincount(row[seen], weights=edges.sides[seen], minlength=per_row)
    series: FloatArray = sides.astype(np.float64) * float(series_per_edge_side(s))
    series[: len(waves)] += s.series_per_proxy * sidecar_pods
    rate = edges.spans_per_second(s)
    sampled = np.bincount(row[seen], weights=rate[seen], minlength=per_row)
    spans: FloatArray = sampled.astype(np.float64) * (
        SECONDS_PER_MONTH * (s.spans_per_sampled_hop / 2.0)
    )
    frac = grid.meshed_fractions([w.end for w in waves])
    columns = np.vstack([frac.reshape(len(waves), grid.months), np.ones((1, grid.months))])
    stored_per_span_month = (
        s.bytes_per_span * s.trace_retention_days / (SECONDS_PER_MONTH / 86400.0)
    )
    return ObservabilityLoad(
        series=series @ columns,
        trace_bytes=(spans @ columns) * stored_per_span_month,
        steady_series=float(series.sum()),
        steady_trace_bytes=float(spans.sum()) * stored_per_span_month,
        wave_series=series,
        wave_trace_bytes=spans * stored_per_span_month,
    )
