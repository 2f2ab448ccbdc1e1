"""The pilot: a few workloads that can fail without hurting anyone, chosen with evidence.

A pilot candidate is a workload the planner may schedule (no blocker, not a batch pod
that would never complete) that is also:

* not infrastructure: no DaemonSet, Job, CronJob or bare Pod, nothing in a platform
  namespace and nothing that is a well-known platform component (cert-manager,
  Prometheus, Loki, ingress controllers, ...), judged from names and standard labels;
* not critical: criticality from business metadata is not ``critical``/``high``;
* low risk: readiness risk below the high-risk mark;
* few callers: fewer than the fan-in that marks a critical service;
* alone in its call cycle among the workloads being planned (cycles move together).

Candidates are taken lowest environment stage first, then lowest risk, fewest callers,
fewest pods and key, up to the pilot size and the wave's pod capacity.
"""

from __future__ import annotations

import re
from collections import Counter

from workbench.domain.planning.catalogue import HIGH_FAN_IN
from workbench.domain.planning.context import PlanningContext

PILOT_KINDS = frozenset({"Deployment", "StatefulSet"})
CRITICAL_LEVELS = frozenset({"critical", "high", "tier-0", "tier0", "tier-1", "tier1", "p0", "p1"})
INFRA_NAMESPACE = re.compile(
    r"^(platform|infra|infrastructure|monitoring|logging|observability|tooling|ops|"
    r"security|ingress|gateways?|cicd|ci|system)(-.*)?$|(^|-)system$"
)
INFRA_NAME = re.compile(
    r"(^|[-_.])(cert-manager|prometheus|alertmanager|grafana|loki|promtail|tempo|mimir|"
    r"thanos|jaeger|zipkin|otel|opentelemetry|fluentd|fluent-bit|fluentbit|vector|"
    r"logstash|elasticsearch|kibana|filebeat|metricbeat|datadog|newrelic|dynatrace|"
    r"splunk|node-exporter|kube-state-metrics|metrics-server|cluster-autoscaler|coredns|"
    r"external-dns|ingress-nginx|nginx-ingress|ingress-controller|traefik|haproxy-ingress|"
    r"contour|envoy-gateway|argocd|argo-cd|argo-workflows|flux|helm-controller|"
    r"vault|external-secrets|sealed-secrets|velero|keda|kyverno|gatekeeper|falco|"
    r"calico|cilium|istio|istiod|linkerd|tekton|jenkins|gitlab-runner|harbor|"
    r"policy-webhook|admission-webhook)([-_.]|$)"
)
INFRA_LABELS = (
    "app.kubernetes.io/name",
    "app.kubernetes.io/part-of",
    "app.kubernetes.io/component",
)


def is_infrastructure(ctx: PlanningContext, key: str) -> bool:
    """Whether a workload looks like platform infrastructure rather than an application."""
    w = ctx.inventory.workloads[key]
    if w.kind not in PILOT_KINDS:
        return True
    if INFRA_NAMESPACE.search(w.namespace):
        return True
    names = [w.name, w.namespace, *(w.labels.get(label, "") for label in INFRA_LABELS)]
    return any(INFRA_NAME.search(n.lower()) for n in names if n)


def is_critical(ctx: PlanningContext, key: str) -> bool:
    level = ctx.criticality_of(key)
    return level is not None and level.lower() in CRITICAL_LEVELS


def pilot_candidates(
    ctx: PlanningContext, keys: list[str], env_order: tuple[str, ...]
) -> list[str]:
    """The keys fit for a pilot, best first (see the module docstring)."""
    per_cycle = Counter(ctx.graph.component_of[k] for k in keys)
    fit = [  # cheapest tests first: most workloads fail one of them
        k
        for k in keys
        if per_cycle[ctx.graph.component_of[k]] == 1
        and ctx.graph.fan_in(k) < HIGH_FAN_IN
        and not ctx.readiness.high_risk(k)
        and not ctx.blocked(k)
        and not is_critical(ctx, k)
        and not is_infrastructure(ctx, k)
    ]
    rank = {env: i for i, env in enumerate(env_order) if env != "prod"}
    return sorted(fit, key=lambda k: _order(ctx, k, rank))


def _order(
    ctx: PlanningContext, key: str, rank: dict[str, int]
) -> tuple[int, float, int, int, str]:
    """Known non-production first, then unknown environments, production last."""
    env = ctx.env_of(key)
    stage = rank.get(env, len(rank) + (1 if env == "prod" else 0)) if env else len(rank)
    return (
        stage,
        ctx.readiness.risk_of(key),
        ctx.graph.fan_in(key),
        ctx.inventory.workloads[key].pods,
        key,
    )


def pick_pilot(
    ctx: PlanningContext,
    keys: list[str],
    size: int,
    max_pods: int | None,
    env_order: tuple[str, ...],
) -> list[str]:
    """Up to ``size`` candidates (and ``max_pods`` pods), in the order of preference."""
    chosen: list[str] = []
    pods = 0
    for key in pilot_candidates(ctx, keys, env_order) if size > 0 else []:
        n = ctx.inventory.workloads[key].pods
        if max_pods is not None and pods + n > max_pods:
            continue
        chosen.append(key)
        pods += n
        if len(chosen) == size:
            break
    return chosen
