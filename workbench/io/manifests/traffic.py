"""DestinationRules and VirtualServices: the seed's circuit breaker and canary pattern.

* Circuit breaker (opt-in): for each Service selecting a meshed workload, a
  DestinationRule with the seed playbook's connection-pool limits and outlier
  detection, in the lockdown step of the wave that meshes the last of its workloads:
  never together with the injection, so a limit that is too tight cannot be mistaken
  for a proxy problem. (The seed's example also lists outlier fields
  under ``connectionPool.http``, where Istio has no such fields; only its
  ``outlierDetection`` block is used.)
* Canary: a Service whose workloads carry several ``version`` labels gets subsets per
  version and a VirtualService sending ``canary_weight`` percent to the newest version
  (and every request with the header ``canary: "true"``), the rest shared by the older
  ones, in the wave that meshes the last of its workloads.
"""

from __future__ import annotations

import re
from typing import Any

from workbench.domain.inventory import Service
from workbench.io.manifests.context import ExportContext
from workbench.io.manifests.model import LOCKDOWN, MANAGED_BY, ManifestSet, Obj, Slot
from workbench.io.manifests.names import is_dns_label, is_label_value

CIRCUIT_BREAKER: dict[str, Any] = {
    "connectionPool": {
        "tcp": {"maxConnections": 100},
        "http": {
            "http1MaxPendingRequests": 50,
            "http2MaxRequests": 200,
            "maxRequestsPerConnection": 10,
            "maxRetries": 3,
        },
    },
    "outlierDetection": {
        "consecutiveGatewayErrors": 3,
        "interval": "30s",
        "baseEjectionTime": "30s",
        "maxEjectionPercent": 20,
        "minHealthPercent": 70,
    },
}
TCP_PROTOCOLS = ("tcp", "mongo", "mysql", "redis")
TLS_PROTOCOLS = ("tls", "https")
CANARY_HEADER = "canary"


def natural_key(text: str) -> tuple[Any, ...]:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


def service_protocol(svc: Service) -> str:
    """ "tcp", "tls" or "http" for the Service's ports as declared (http when unsure)."""
    declared = [(p.app_protocol or (p.name or "").split("-", 1)[0]).lower() for p in svc.ports]
    if declared and all(d.startswith(TCP_PROTOCOLS) for d in declared):
        return "tcp"
    if any(d.startswith(TLS_PROTOCOLS) for d in declared):
        return "tls"
    return "http"


def canary_weights(versions: list[str], canary: int) -> list[tuple[str, int]]:
    """The newest version gets ``canary`` percent; the older ones share the rest (any
    remainder to the oldest)."""
    older = versions[:-1]
    share, rest = divmod(100 - canary, len(older))
    weights = [(v, share + (rest if i == 0 else 0)) for i, v in enumerate(older)]
    return [*weights, (versions[-1], canary)]


class TrafficBuilder:
    def __init__(self, ctx: ExportContext, out: ManifestSet) -> None:
        self.ctx = ctx
        self.out = out
        self.skipped_tls: list[str] = []

    def build(self) -> None:
        ctx = self.ctx
        for skey in sorted(ctx.selected):
            svc = ctx.plan.inventory.services[skey]
            if not (is_dns_label(svc.name) and is_dns_label(svc.namespace)):
                continue
            slots = sorted(
                (ctx.slot_of[k] for k in ctx.selected[skey] if k in ctx.slot_of),
                key=lambda s: s.index,
            )
            if slots:
                self._service(svc, slots[0], slots[-1])

    def _service(self, svc: Service, first: Slot, last: Slot) -> None:
        ctx, opts = self.ctx, self.ctx.options
        versions = sorted(
            {
                v
                for k in ctx.selected[svc.key]
                if (v := ctx.workloads[k].labels.get("version")) and is_label_value(v)
            },
            key=natural_key,
        )
        canary = opts.canary and len(versions) > 1 and "version" not in svc.selector
        protocol = service_protocol(svc)
        if canary and protocol == "tls":
            self.skipped_tls.append(svc.key)
            canary = False
        if canary:
            self.out.add(last, svc.cluster, self.destination_rule(svc, versions, False))
            self.out.add(last, svc.cluster, self.virtual_service(svc, versions, protocol))
        if opts.circuit_breakers:
            subsets = versions if canary else []
            dr = self.destination_rule(svc, subsets, True)
            self.out.add(last, svc.cluster, dr, LOCKDOWN)
            self.out.stage(last, svc.cluster, LOCKDOWN).not_before(last.end)

    def destination_rule(self, svc: Service, versions: list[str], breaker: bool) -> Obj:
        spec: Obj = {"host": self.ctx.fqdn(svc)}
        if breaker:
            spec["trafficPolicy"] = CIRCUIT_BREAKER
        if versions:
            spec["subsets"] = [{"name": v, "labels": {"version": v}} for v in versions]
        return {
            "apiVersion": self.ctx.api.networking,
            "kind": "DestinationRule",
            "metadata": _meta(svc),
            "spec": spec,
        }

    def virtual_service(self, svc: Service, versions: list[str], protocol: str) -> Obj:
        host = self.ctx.fqdn(svc)
        weighted = [
            {"destination": {"host": host, "subset": v}, "weight": w}
            for v, w in canary_weights(versions, self.ctx.options.canary_weight)
        ]
        spec: Obj = {"hosts": [host]}
        if protocol == "tcp":
            spec["tcp"] = [{"route": weighted}]
        else:
            spec["http"] = [
                {
                    "name": "canary-header",
                    "match": [{"headers": {CANARY_HEADER: {"exact": "true"}}}],
                    "route": [{"destination": {"host": host, "subset": versions[-1]}}],
                },
                {"name": "weighted", "route": weighted},
            ]
        return {
            "apiVersion": self.ctx.api.networking,
            "kind": "VirtualService",
            "metadata": _meta(svc),
            "spec": spec,
        }


def _meta(svc: Service) -> Obj:
    return {"name": svc.name, "namespace": svc.namespace, "labels": dict(MANAGED_BY)}
