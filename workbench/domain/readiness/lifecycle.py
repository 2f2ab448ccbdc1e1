"""Rules about the pod's life cycle next to a proxy: batch pods that must complete,
init containers that need the network, probes, and start-up and shut-down races."""

from __future__ import annotations

from workbench.domain.findings import Finding
from workbench.domain.inventory import Container, Workload
from workbench.domain.readiness.context import ReadinessContext
from workbench.domain.readiness.rule import (
    CODE_TEMPLATE,
    CODE_WEBHOOK,
    DOC_CNI,
    DOC_HEALTH,
    NO_FINDINGS,
    Rule,
)

BATCH_LABELS = (
    "workflows.argoproj.io/workflow",
    "tekton.dev/taskRun",
    "tekton.dev/pipelineRun",
    "spark-role",
    "sparkoperator.k8s.io/app-name",
    "batch.kubernetes.io/job-name",
)
NETWORK_INIT_IMAGES = (
    "hashicorp/vault",
    "flyway",
    "liquibase",
    "alpine/git",
    "git-sync",
    "k8s-wait-for",
    "wait-for",
)
CONSUMER_IMAGES = ("celery", "sidekiq", "kafka-consumer", "logstash", "fluentd", "debezium")
PROXY_CONFIG = "proxy.istio.io/config"
LONG_GRACE_SECONDS = 30


def _batch_reason(w: Workload) -> str | None:
    if w.kind in ("Job", "CronJob"):
        return f"a {w.kind}"
    for label in BATCH_LABELS:
        if label in w.labels:
            return f"a batch pod (label {label})"
    if "dag_id" in w.labels and "task_id" in w.labels:
        return "an Airflow task pod"
    if "helm.sh/hook" in w.annotations:
        return "a Helm hook"
    return None


def _batch(rule: Rule[Workload], ctx: ReadinessContext, w: Workload) -> list[Finding]:
    reason = _batch_reason(w)
    if reason is None:
        return NO_FINDINGS
    if ctx.native_sidecars(w):
        return [
            rule.hit(
                w.key,
                f"{w.kind} {w.name} is {reason}; native sidecars stop the proxy when it ends.",
                severity="low",
            )
        ]
    if any("quitquitquit" in c.signals for c in w.containers):
        return [
            rule.hit(
                w.key,
                f"{w.kind} {w.name} is {reason} and stops the proxy itself (/quitquitquit).",
                severity="low",
            )
        ]
    return [
        rule.hit(
            w.key,
            f"{w.kind} {w.name} is {reason} and the cluster {w.cluster} has no native sidecars: "
            "the pod will never complete.",
        )
    ]


def needs_network(c: Container) -> bool:
    if c.run_as_user == 1337 or c.restart_policy == "Always":
        return False  # the documented workaround, or a native sidecar of its own
    return "waits-for-network" in c.signals or any(i in c.image for i in NETWORK_INIT_IMAGES)


def _init_network(rule: Rule[Workload], ctx: ReadinessContext, w: Workload) -> list[Finding]:
    if ctx.native_sidecars(w):
        return NO_FINDINGS
    names = [c.name for c in w.init_containers if needs_network(c)]
    ann = w.annotations
    if (
        ann.get("vault.hashicorp.com/agent-inject") == "true"
        and ann.get("vault.hashicorp.com/agent-pre-populate") != "false"
    ):
        names.append("vault-agent-init (injected by Vault)")
    if not names:
        return NO_FINDINGS
    cni = ctx.cni(w.cluster)
    effect = (
        "with the CNI plugin their traffic is dropped until the proxy starts"
        if cni
        else "they run before redirection, outside the mesh, and fail against STRICT servers"
    )
    return [
        rule.hit(
            w.key,
            f"Init container(s) {', '.join(names)} of {w.kind} {w.name} need the network; "
            f"{effect}.",
            severity="high" if cni or ctx.strict(w) else "medium",
        )
    ]


def _probes(rule: Rule[Workload], ctx: ReadinessContext, w: Workload) -> list[Finding]:
    if w.annotations.get("sidecar.istio.io/rewriteAppHTTPProbers") != "false":
        return NO_FINDINGS
    handlers = {p.split(":", 1)[-1] for c in w.containers for p in c.probes}
    http = sorted(handlers & {"httpGet", "grpc"})
    if http:
        strict = ctx.strict(w)
        return [
            rule.hit(
                w.key,
                f"{w.kind} {w.name} opts out of probe rewriting and has {', '.join(http)} "
                "probes" + (" while STRICT mTLS is planned." if strict else "."),
                severity="high" if strict else "low",
            )
        ]
    if "tcpSocket" in handlers:
        return [
            rule.hit(
                w.key,
                f"{w.kind} {w.name} opts out of probe rewriting and has tcpSocket probes, "
                "which then always succeed against the proxy.",
            )
        ]
    return NO_FINDINGS


def _proxy_config(w: Workload) -> str:
    return w.annotations.get(PROXY_CONFIG, "")


def _races(rule: Rule[Workload], ctx: ReadinessContext, w: Workload) -> list[Finding]:
    if ctx.native_sidecars(w):
        return NO_FINDINGS
    found: list[Finding] = []
    config = _proxy_config(w)
    never = w.restart_policy == "Never"
    retried = w.kind in ("Job", "CronJob")  # a failed Job pod is replaced (backoffLimit)
    waits = any("waits-for-network" in c.signals for c in w.containers)
    if (never or waits) and "holdApplicationUntilProxyStarts: true" not in config.replace('"', ""):
        why = "restartPolicy Never" if never else "start-up network calls"
        found.append(
            rule.hit(
                w.key,
                f"{w.kind} {w.name} has {why} and does not hold the application until the "
                "proxy is ready.",
                severity="high" if never and not retried else "medium",
                fix="Use native sidecars, or annotate proxy.istio.io/config: "
                "'{holdApplicationUntilProxyStarts: true}'.",
            )
        )
    grace = w.termination_grace_seconds
    reasons = []
    if grace is not None and grace > LONG_GRACE_SECONDS:
        reasons.append(f"terminationGracePeriodSeconds {grace}")
    if any("prestop" in c.signals for c in w.containers):
        reasons.append("a preStop hook")
    if any(i in c.image for c in w.containers for i in CONSUMER_IMAGES):
        reasons.append("a queue consumer image")
    drains = "terminationDrainDuration" in config or "EXIT_ON_ZERO_ACTIVE_CONNECTIONS" in config
    if reasons and not drains:
        found.append(
            rule.hit(
                w.key,
                f"{w.kind} {w.name} shuts down slowly ({', '.join(reasons)}) but the proxy "
                "drains for 5 s only.",
                severity="medium",
            )
        )
    return found


RULES: tuple[Rule[Workload], ...] = (
    Rule(
        "R12",
        "Batch pod without native sidecars",
        "high",
        CODE_WEBHOOK,
        "A classic sidecar keeps running after the job's containers exit, so the pod never "
        "completes (istio/istio#11659); native sidecars (every kubelet >= 1.33, Istio >= 1.28 "
        "or ENABLE_NATIVE_SIDECARS) remove the problem.",
        'Enable native sidecars (sidecar.istio.io/nativeSidecar: "true"), or have the job '
        "POST to localhost:15020/quitquitquit when done, or keep batch pods out of the mesh.",
        "workload",
        _batch,
        modes=("sidecar",),
    ),
    Rule(
        "R13",
        "Init container needs the network",
        "medium",
        DOC_CNI,
        "Without native sidecars, user init containers run before the proxy: with the CNI "
        "plugin their traffic is blackholed; with istio-init they bypass the mesh and fail "
        "against STRICT servers.",
        "Use native sidecars; or run the init container as UID 1337; or exclude its "
        "destinations (traffic.sidecar.istio.io/excludeOutboundPorts or ...IPRanges).",
        "workload",
        _init_network,
        modes=("sidecar",),
    ),
    Rule(
        "R18",
        "Probes without rewriting",
        "low",
        DOC_HEALTH,
        "Istio rewrites HTTP, TCP and gRPC probes to the agent by default; without the rewrite "
        "HTTP probes fail under STRICT mTLS (the kubelet has no mesh certificate) and TCP "
        "probes always succeed.",
        'Remove sidecar.istio.io/rewriteAppHTTPProbers: "false", or use exec probes.',
        "workload",
        _probes,
        modes=("sidecar",),
    ),
    Rule(
        "R23",
        "Proxy start-up and shut-down races",
        "high",
        CODE_TEMPLATE,
        "Without native sidecars the app and the proxy start and stop together: early calls "
        "are refused (istio/istio#11130) and calls during a long shutdown fail once the proxy "
        "has drained (default terminationDrainDuration 5 s, istio/istio#7136).",
        "Use native sidecars; or annotate proxy.istio.io/config with "
        'terminationDrainDuration and proxyMetadata EXIT_ON_ZERO_ACTIVE_CONNECTIONS: "true".',
        "workload",
        _races,
        modes=("sidecar",),
    ),
)
