"""Rules about headless Services and clustered workloads whose members call each other
by pod IP (databases, brokers, search clusters)."""

from __future__ import annotations

from workbench.domain.findings import Finding
from workbench.domain.inventory import Service, Workload
from workbench.domain.readiness.context import ReadinessContext
from workbench.domain.readiness.ports import container_ports, target_number
from workbench.domain.readiness.rule import DOC_APP_REQUIREMENTS, DOC_ROUTING, NO_FINDINGS, Rule

# Image substrings of products that form clusters over peer ports (field reports).
PEER_IMAGES = (
    "zookeeper",
    "kafka",
    "elasticsearch",
    "opensearch",
    "cassandra",
    "scylla",
    "rabbitmq",
    "redis",
    "valkey",
    "etcd",
    "hazelcast",
    "consul",
    "galera",
    "percona-xtradb",
    "mongo",
    "patroni",
    "repmgr",
    "keycloak",
    "infinispan",
    "spark",
    "flink",
)
LARGE_HEADLESS_PODS = 100


def headless_services(ctx: ReadinessContext, w: Workload) -> list[Service]:
    """The governing Service (StatefulSet serviceName) and headless Services selecting it."""
    found = {s.key: s for s in ctx.services_of(w) if s.headless}
    if w.service_name:
        gov = ctx.service(w.cluster, w.namespace, w.service_name)
        if gov is not None and gov.headless:
            found[gov.key] = gov
    return sorted(found.values(), key=lambda s: s.key)


def _peer_image(w: Workload) -> str | None:
    for c in w.containers:
        image = c.image.rsplit("/", 1)[-1].lower()
        if any(p in image for p in PEER_IMAGES):
            return c.image
    return None


def _advertises_pod_ip(w: Workload) -> bool:
    return any("advertises-pod-ip" in c.signals for c in w.containers)


def is_clustered(w: Workload) -> bool:
    """Candidates for peer traffic by pod IP: several replicas of a clustering product,
    or pods that advertise their own pod IP."""
    if _advertises_pod_ip(w):
        return w.kind == "StatefulSet" or w.replicas > 1
    return (w.kind == "StatefulSet" or w.replicas > 1) and _peer_image(w) is not None


def _missing_ports(w: Workload, headless: list[Service]) -> list[int]:
    declared = {target_number(w, p) for s in headless for p in s.ports}
    return sorted(p for p in container_ports(w) if p not in declared)


def _headless_coverage(rule: Rule[Workload], ctx: ReadinessContext, w: Workload) -> list[Finding]:
    headless = headless_services(ctx, w)
    if not headless or is_clustered(w):
        return NO_FINDINGS  # clustered workloads are judged by R24
    found: list[Finding] = []
    keys = (w.key, *(s.key for s in headless))
    missing = _missing_ports(w, headless)
    if missing:
        listed = ", ".join(str(p) for p in missing)
        found.append(
            rule.hit(
                keys,
                f"Headless Service {', '.join(s.name for s in headless)} does not declare "
                f"container port(s) {listed} of {w.kind} {w.name}.",
            )
        )
    if w.pods > LARGE_HEADLESS_PODS:
        found.append(
            rule.hit(
                keys,
                f"Headless Service {headless[0].name} fronts {w.pods} pods: every proxy gets a "
                "listener per pod and port.",
                fix="Limit its visibility with exportTo or a Sidecar resource, or declare its "
                "ports HTTP.",
            )
        )
    return found


def _peer_ports(rule: Rule[Workload], ctx: ReadinessContext, w: Workload) -> list[Finding]:
    if not is_clustered(w):
        return NO_FINDINGS
    headless = headless_services(ctx, w)
    missing = _missing_ports(w, headless) if headless else sorted(container_ports(w))
    advertises = _advertises_pod_ip(w)
    if not missing and not advertises:
        return NO_FINDINGS
    seen: list[str] = []
    if not headless:
        seen.append("no headless Service declares its ports")
    elif missing:
        seen.append(
            f"headless Service {headless[0].name} lacks port(s) "
            + ", ".join(str(p) for p in missing)
        )
    if advertises:
        seen.append("its pods advertise their pod IP to peers")
    image = _peer_image(w)
    what = f"clustered {w.kind} {w.name}" + (f" ({image})" if image else "")
    strict = ctx.strict(w)
    return [
        rule.hit(
            (w.key, *(s.key for s in headless)),
            f"{what.capitalize()}: {'; '.join(seen)}."
            + ("" if strict else " STRICT mTLS is not planned yet."),
            severity="high" if strict else "medium",
        )
    ]


def _pod_ip_peers(rule: Rule[Workload], ctx: ReadinessContext, w: Workload) -> list[Finding]:
    if w.kind != "StatefulSet" or w.replicas < 2 or is_clustered(w):
        return NO_FINDINGS
    return [
        rule.hit(
            w.key,
            f"StatefulSet {w.name} has {w.replicas} replicas that may address each other by "
            "pod IP or per-pod DNS name.",
        )
    ]


RULES: tuple[Rule[Workload], ...] = (
    Rule(
        "R10",
        "Headless Service ports",
        "medium",
        DOC_ROUTING,
        "For a headless Service the proxy builds listeners per pod IP and declared port only: "
        "traffic to an undeclared port is passed through without mTLS; large headless Services "
        "scale proxy configuration with the number of pods.",
        "Declare every container port on the headless Service (tcp-... or appProtocol).",
        "workload",
        _headless_coverage,
        modes=("sidecar",),
    ),
    Rule(
        "R16",
        "Peer traffic by pod IP",
        "info",
        DOC_APP_REQUIREMENTS,
        "Calls to pod IPs are matched only on ports a headless Service declares; anything else "
        "is passed through without mTLS, routing or full telemetry.",
        "Check how the members find each other; declare their ports on the headless Service.",
        "workload",
        _pod_ip_peers,
        modes=("sidecar",),
    ),
    Rule(
        "R24",
        "Peer ports of a clustered workload",
        "high",
        DOC_APP_REQUIREMENTS,
        "Cluster members call each other by pod IP; on a port no Service declares that traffic "
        "leaves without mTLS, and a STRICT peer rejects it, so the cluster never forms "
        "(about 40 reports: Elasticsearch, Cassandra, Kafka, RabbitMQ, ZooKeeper ...).",
        "Declare every peer port on the governing headless Service as tcp-<name> (or "
        "appProtocol: tcp), or set port-level PERMISSIVE for the peer ports.",
        "workload",
        _peer_ports,
        modes=("sidecar",),
    ),
)
