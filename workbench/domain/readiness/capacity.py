"""Rules about resources: LimitRange and ResourceQuota room for the proxies, and
autoscalers that behave differently once a proxy sits in every pod."""

from __future__ import annotations

import re
from dataclasses import dataclass

from workbench.domain.findings import Finding
from workbench.domain.inventory import Cluster, Namespace, Workload
from workbench.domain.readiness.context import ReadinessContext
from workbench.domain.readiness.network import NEVER_INJECTED
from workbench.domain.readiness.rule import (
    CODE_TEMPLATE,
    DOC_RESOURCES,
    NO_FINDINGS,
    Rule,
)

_QUANTITY = re.compile(r"^\s*([0-9.]+(?:[eE][0-9]+)?)\s*([a-zA-Z]*)\s*$")
_MEMORY_UNITS = {
    "": 1,
    "k": 10**3,
    "M": 10**6,
    "G": 10**9,
    "T": 10**12,
    "Ki": 2**10,
    "Mi": 2**20,
    "Gi": 2**30,
    "Ti": 2**40,
}
MIB = 2**20
SAFE_TO_EVICT = (
    "cluster-autoscaler.kubernetes.io/safe-to-evict",
    "cluster-autoscaler.kubernetes.io/safe-to-evict-local-volumes",
)


def cpu_millicores(text: str) -> int | None:
    m = _QUANTITY.match(text)
    if not m or m.group(2) not in ("", "m"):
        return None
    value = float(m.group(1))
    return round(value if m.group(2) == "m" else value * 1000)


def memory_bytes(text: str) -> int | None:
    m = _QUANTITY.match(text)
    if not m or m.group(2) not in _MEMORY_UNITS:
        return None
    return round(float(m.group(1)) * _MEMORY_UNITS[m.group(2)])


@dataclass(frozen=True, slots=True)
class ProxyResources:
    """What the injected proxy asks for; None where nothing is set."""

    cpu_request_m: int | None
    memory_request_bytes: int | None
    cpu_limit_m: int | None
    memory_limit_bytes: int | None


def proxy_resources(ctx: ReadinessContext, w: Workload) -> ProxyResources:
    """The profile's defaults, or the pod's annotations (any one of them replaces all four)."""
    ann = w.annotations
    keys = ("proxyCPU", "proxyMemory", "proxyCPULimit", "proxyMemoryLimit")
    values = [ann.get(f"sidecar.istio.io/{k}") for k in keys]
    if any(v is not None for v in values):
        cpu, mem, cpu_lim, mem_lim = values
        return ProxyResources(
            cpu_millicores(cpu) if cpu else None,
            memory_bytes(mem) if mem else None,
            cpu_millicores(cpu_lim) if cpu_lim else None,
            memory_bytes(mem_lim) if mem_lim else None,
        )
    p = ctx.plan.assumptions.overhead
    return ProxyResources(
        p.sidecar_cpu_request_m,
        p.sidecar_memory_request_bytes,
        p.sidecar_cpu_limit_m,
        p.sidecar_memory_limit_bytes,
    )


def gets_sidecar(ctx: ReadinessContext, w: Workload) -> bool:
    return (
        ctx.mode_of(w) == "sidecar"
        and not w.host_network
        and w.namespace not in NEVER_INJECTED
        and w.labels.get("sidecar.istio.io/inject") != "false"
    )


def _cpu(m: int) -> str:
    return f"{m}m"


def _mem(b: int) -> str:
    return f"{b / MIB:.0f}Mi"


def _limit_range_problems(ns: Namespace, proxy: ProxyResources) -> list[str]:
    problems: list[str] = []
    for lr in ns.limit_ranges:
        if lr.max_cpu_m is not None and (proxy.cpu_limit_m or 0) > lr.max_cpu_m:
            problems.append(
                f"LimitRange {lr.name} max cpu {_cpu(lr.max_cpu_m)} < proxy limit "
                f"{_cpu(proxy.cpu_limit_m or 0)}"
            )
        if lr.max_memory_bytes is not None and (proxy.memory_limit_bytes or 0) > (
            lr.max_memory_bytes
        ):
            problems.append(
                f"LimitRange {lr.name} max memory {_mem(lr.max_memory_bytes)} < proxy limit "
                f"{_mem(proxy.memory_limit_bytes or 0)}"
            )
        cpu_req, mem_req = proxy.cpu_request_m, proxy.memory_request_bytes
        if lr.min_cpu_m is not None and cpu_req is not None and cpu_req < lr.min_cpu_m:
            problems.append(
                f"LimitRange {lr.name} min cpu {_cpu(lr.min_cpu_m)} > proxy request {_cpu(cpu_req)}"
            )
        if (
            lr.min_memory_bytes is not None
            and mem_req is not None
            and mem_req < lr.min_memory_bytes
        ):
            problems.append(
                f"LimitRange {lr.name} min memory {_mem(lr.min_memory_bytes)} > proxy "
                f"request {_mem(mem_req)}"
            )
    return problems


_QUOTA_KEYS = (
    (("requests.cpu", "cpu"), "cpu_request_m", _cpu, "requests.cpu"),
    (("requests.memory", "memory"), "memory_request_bytes", _mem, "requests.memory"),
    (("limits.cpu",), "cpu_limit_m", _cpu, "limits.cpu"),
    (("limits.memory",), "memory_limit_bytes", _mem, "limits.memory"),
)


def _limits(rule: Rule[Namespace], ctx: ReadinessContext, ns: Namespace) -> list[Finding]:
    if not ns.limit_ranges and not ns.resource_quotas:
        return NO_FINDINGS
    meshed = [w for w in ctx.workloads_by_namespace.get(ns.key, ()) if gets_sidecar(ctx, w)]
    if not meshed:
        return NO_FINDINGS
    found: list[Finding] = []
    rejected: dict[str, list[str]] = {}
    needed = {attr: 0 for _, attr, _, _ in _QUOTA_KEYS}
    for w in sorted(meshed, key=lambda x: x.key):
        proxy = proxy_resources(ctx, w)
        for problem in _limit_range_problems(ns, proxy):
            rejected.setdefault(problem, []).append(w.key)
        for attr in needed:
            needed[attr] += w.pods * (getattr(proxy, attr) or 0)
    for problem, keys in rejected.items():
        found.append(
            rule.hit(
                (ns.key, *keys),
                f"Namespace {ns.name}: {problem}; {len(keys)} workload(s) would be rejected.",
            )
        )
    pods = sum(w.pods for w in meshed)
    for quota in ns.resource_quotas:
        short: list[str] = []
        for names, attr, fmt, label in _QUOTA_KEYS:
            hard_key = next((n for n in names if n in quota.hard), None)
            if hard_key is None or not needed[attr]:
                continue
            room = quota.hard[hard_key] - quota.used.get(hard_key, 0)
            if needed[attr] > room:
                short.append(f"{label} needs {fmt(needed[attr])}, {fmt(max(room, 0))} free")
        if short:
            found.append(
                rule.hit(
                    (ns.key, *(w.key for w in meshed)),
                    f"Namespace {ns.name}: ResourceQuota {quota.name} lacks room for {pods} "
                    f"proxies: {'; '.join(short)}.",
                    fix="Raise the quota before the wave (or lower the proxy resources with "
                    "all four sidecar.istio.io/proxy* annotations).",
                )
            )
    return found


def _hpa(rule: Rule[Workload], ctx: ReadinessContext, w: Workload) -> list[Finding]:
    hpas = [h for h in ctx.autoscalers.get(w.key, ()) if h.resource_metrics]
    if not hpas:
        return NO_FINDINGS
    metrics = sorted({m for h in hpas for m in h.resource_metrics})
    return [
        rule.hit(
            w.key,
            f"HorizontalPodAutoscaler {hpas[0].name} scales {w.kind} {w.name} on pod-wide "
            f"{'/'.join(metrics)} utilisation, which will include the proxy.",
        )
    ]


def _safe_to_evict(rule: Rule[Cluster], ctx: ReadinessContext, c: Cluster) -> list[Finding]:
    if c.name not in ctx.cluster_autoscaler:
        return NO_FINDINGS
    keys = sorted(
        w.key
        for w in ctx.inventory.workloads.values()
        if w.cluster == c.name
        and not w.vanished
        and w.kind != "DaemonSet"
        and gets_sidecar(ctx, w)
        and not any(a in w.annotations for a in SAFE_TO_EVICT)
    )
    if not keys:
        return NO_FINDINGS
    return [
        rule.hit(
            (c.name, *keys),
            f"Cluster {c.name} runs the cluster-autoscaler and {len(keys)} workload(s) to be "
            "injected lack a safe-to-evict annotation.",
        )
    ]


NAMESPACE_RULES: tuple[Rule[Namespace], ...] = (
    Rule(
        "R17",
        "LimitRange or ResourceQuota too tight for the proxy",
        "blocker",
        CODE_TEMPLATE,
        "Every injected pod gains a proxy (and init container) asking 100m CPU / 128Mi with "
        "limits 2 CPU / 1Gi by default; a LimitRange that forbids that, or a quota without the "
        "room, makes admission reject the pods.",
        "Raise the LimitRange maximum and the quota before the wave, or size the proxy with all "
        "four sidecar.istio.io/proxyCPU, proxyMemory, proxyCPULimit, proxyMemoryLimit "
        "annotations.",
        "namespace",
        _limits,
        modes=("sidecar",),
    ),
)

WORKLOAD_RULES: tuple[Rule[Workload], ...] = (
    Rule(
        "B29",
        "Autoscaler on pod-wide resource metrics",
        "medium",
        DOC_RESOURCES,
        "A Resource-metric HPA averages utilisation over all containers' requests, so the "
        "proxy's request dilutes it and the workload scales late (istio/istio#35905).",
        "Switch the HPA to a ContainerResource metric on the application container and retune "
        "its target.",
        "workload",
        _hpa,
        modes=("sidecar",),
    ),
)

CLUSTER_RULES: tuple[Rule[Cluster], ...] = (
    Rule(
        "B30",
        "Cluster autoscaler cannot evict injected pods",
        "low",
        CODE_TEMPLATE,
        "The injection adds emptyDir volumes, and the cluster-autoscaler does not evict pods "
        "with local storage by default, so nodes stop scaling down (istio/istio#19395).",
        "Annotate the pod templates cluster-autoscaler.kubernetes.io/safe-to-evict-local-volumes:"
        ' "istio-envoy,istio-data,workload-socket,credential-socket,workload-certs".',
        "cluster",
        _safe_to_evict,
        modes=("sidecar",),
    ),
)
