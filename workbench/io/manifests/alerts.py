"""PrometheusRule per wave: the seed's regression alerts, scoped to the wave's workloads.

The seed playbook watches p99 latency (above 200 ms for 2 minutes: warning) and the
share of failed requests (above 1% for 1 minute: critical; HTTP status other than 2xx
or a gRPC status other than OK) from Istio's standard metrics. The rules go in the
wave's optional ``monitoring/`` folder: they need the Prometheus Operator, which a
cluster may not run. Here both are computed per workload, as the server-side proxy reports them
(``reporter="destination"``), for the workloads of one wave, one rule group per
namespace. The rule lives in the root namespace of each cluster.
"""

from __future__ import annotations

from collections import defaultdict

from workbench.io.manifests.context import ExportContext
from workbench.io.manifests.model import MANAGED_BY, MONITORING, ManifestSet, Obj, Slot
from workbench.io.manifests.names import derived_name
from workbench.io.manifests.promql import destination, error_ratio

BY = "destination_workload_namespace, destination_workload"
LATENCY_ALERT = "HighLatency"
ERROR_ALERT = "HighErrorRate"


def rule_group(ctx: ExportContext, slot: Slot, namespace: str, names: list[str]) -> Obj:
    opts = ctx.options
    sel = destination(namespace, names)
    labels = {"wave": slot.folder}
    latency = (
        f"histogram_quantile(0.99, sum by ({BY}, le) "
        f"(rate(istio_request_duration_milliseconds_bucket{{{sel}}}[5m]))) "
        f"> {opts.latency_p99_ms:g}"
    )
    errors = error_ratio(sel, BY, opts.error_rate)
    return {
        "name": f"{slot.folder}.{namespace}",
        "rules": [
            {
                "alert": LATENCY_ALERT,
                "expr": latency,
                "for": "2m",
                "labels": {"severity": "warning", **labels},
                "annotations": {
                    "summary": "High latency detected after joining the mesh",
                    "description": "P99 latency of {{ $labels.destination_workload }} is "
                    "{{ $value }}ms",
                },
            },
            {
                "alert": ERROR_ALERT,
                "expr": errors,
                "for": "1m",
                "labels": {"severity": "critical", **labels},
                "annotations": {
                    "summary": "High error rate detected after joining the mesh",
                    "description": "Error rate of {{ $labels.destination_workload }} is "
                    "{{ $value | humanizePercentage }}",
                },
            },
        ],
    }


def build_alerts(ctx: ExportContext, out: ManifestSet, slot: Slot) -> None:
    for cluster, keys in ctx.members(slot).items():
        by_ns: dict[str, list[str]] = defaultdict(list)
        for key in keys:
            w = ctx.workloads[key]
            by_ns[w.namespace].append(w.name)
        groups = [rule_group(ctx, slot, ns, sorted(set(by_ns[ns]))) for ns in sorted(by_ns)]
        rule = {
            "apiVersion": "monitoring.coreos.com/v1",
            "kind": "PrometheusRule",
            "metadata": {
                "name": derived_name(f"mesh-{slot.folder}"),
                "namespace": ctx.root_namespace,
                "labels": dict(MANAGED_BY),
            },
            "spec": {"groups": groups},
        }
        out.add(slot, cluster, rule, MONITORING)
