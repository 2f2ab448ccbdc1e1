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
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from workbench.domain.assumptions import ObservabilitySettings, Prices
from workbench.domain.dependencies import Dependencies
from workbench.domain.economics.coverage import MonthGrid
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

    def monthly_cost(self, s: ObservabilitySettings, prices: Prices) -> FloatArray:
        if not s.enabled:
            return np.zeros_like(self.series)
        memory = monthly_cost(0.0, self.series * s.bytes_per_series, prices)
        storage = np.array([storage_monthly_cost(b, prices) for b in self.trace_bytes])
        return np.asarray(memory + storage, dtype=np.float64)


def observability_load(
    table: WorkloadTable,
    inventory: Inventory,
    dependencies: Dependencies,
    schedule: Schedule,
    grid: MonthGrid,
    s: ObservabilitySettings,
    members: list[npt.NDArray[np.int64]],
) -> ObservabilityLoad:
    """The load per month; ``members`` are the waves' positions in the workload table."""
    waves = schedule.waves
    already = len(waves)  # the extra row: meshed before the migration
    row = np.full(len(table.pods), -1, dtype=np.int64)
    for i, idx in enumerate(members):
        row[idx] = i
    for k, w in inventory.workloads.items():
        j = table.index.get(k)
        if j is not None and row[j] < 0 and (w.mesh.injected or w.mesh.ambient):
            row[j] = already
    series = np.zeros(len(waves) + 1)
    spans = np.zeros(len(waves) + 1)
    per_side = series_per_edge_side(s)
    ns_labels = {k: ns.labels for k, ns in inventory.namespaces.items()}
    sampling_of: dict[str, float] = {}
    for ns_key in set(table.namespace):
        dev = is_development(ns_key.split("/", 1)[-1], ns_labels.get(ns_key, {}))
        sampling_of[ns_key] = s.sampling_development if dev else s.sampling_production
    for edge in dependencies.edges.values():
        rps = edge.requests_per_second or s.default_requests_per_second
        caller = table.index.get(edge.caller)
        sampling = s.sampling_production if caller is None else sampling_of[table.namespace[caller]]
        for key in (edge.caller, edge.callee):
            j = table.index.get(key)
            if j is None or row[j] < 0:
                continue
            series[row[j]] += per_side
            spans[row[j]] += rps * sampling * SECONDS_PER_MONTH * (s.spans_per_sampled_hop / 2.0)
    for i, wave in enumerate(waves):
        if wave.mode == "sidecar":
            idx = members[i]
            sel = idx[table.injectable[idx]]
            series[i] += s.series_per_proxy * float(table.pods[sel].sum())
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
    )
