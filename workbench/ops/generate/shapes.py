"""Workload shapes for synthetic and reference estates: images, ports, Services.

A :class:`Profile` says what a kind of workload looks like in Kubernetes (its kind,
image, container ports and how its Service exposes them) and how other workloads
address it (``style``). The builders turn a profile into inventory objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workbench.domain.inventory import (
    Container,
    ContainerPort,
    Resources,
    Service,
    ServicePort,
    Workload,
)

MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class PortSpec:
    """One container port and its Service port (``service_port`` defaults to ``port``)."""

    port: int
    name: str | None = None
    protocol: str = "TCP"
    app_protocol: str | None = None
    service_port: int | None = None
    peer: bool = False  # only between the workload's own pods: on the headless Service only


@dataclass(frozen=True, slots=True)
class Profile:
    role: str  # web, api, datastore, worker, batch, agent, collector, system
    kind: str
    image: str  # may use {name}
    ports: tuple[PortSpec, ...] = ()
    style: str = "http"  # how callers address it, see workbench.ops.generate.calls
    headless: bool = False  # governed by a headless Service (StatefulSet peers)
    host_network: bool = False
    probe: str = "httpGet"

    @property
    def serving(self) -> bool:
        return any(not p.peer for p in self.ports)


def _p(port: int, name: str | None = None, **kw: object) -> PortSpec:
    return PortSpec(port, name, **kw)  # type: ignore[arg-type]


_IMAGE = "registry.example.com/{name}:{version}"
# fmt: off
PROFILES: dict[str, Profile] = {
    "web": Profile("web", "Deployment", _IMAGE, (_p(8080, "http", service_port=80),)),
    "api": Profile("api", "Deployment", _IMAGE, (_p(8080, "http"),)),
    "grpc": Profile("api", "Deployment", _IMAGE, (_p(9090, "grpc", app_protocol="grpc"),),
                    style="grpc", probe="grpc"),
    "webhook": Profile("api", "Deployment", _IMAGE,
                       (_p(8443, "https-webhook", service_port=443),)),
    "worker": Profile("worker", "Deployment", _IMAGE),
    "postgres": Profile("datastore", "StatefulSet", "postgres:15.6", (_p(5432, "tcp-postgres"),),
                        style="postgres", probe="exec"),
    "mysql": Profile("datastore", "StatefulSet", "mysql:8.0.36", (_p(3306),),
                     style="mysql", probe="exec"),
    "redis": Profile("datastore", "StatefulSet", "redis:7.2", (_p(6379, "tcp-redis"),),
                     style="redis", probe="exec"),
    "mongo": Profile("datastore", "StatefulSet", "mongo:6.0", (_p(27017, "mongodb"),),
                     style="mongo", headless=True, probe="exec"),
    "kafka": Profile("datastore", "StatefulSet", "bitnami/kafka:3.6",
                     (_p(9092, "tcp-client"), _p(9093, "tcp-internal", peer=True)),
                     style="kafka", headless=True, probe="tcpSocket"),
    "zookeeper": Profile("datastore", "StatefulSet", "bitnami/zookeeper:3.9",
                         (_p(2181, "tcp-client"), _p(2888, "tcp-follower", peer=True),
                          _p(3888, "tcp-election", peer=True)),
                         style="tcp", headless=True, probe="tcpSocket"),
    "cassandra": Profile("datastore", "StatefulSet", "cassandra:4.1",
                         (_p(9042, "tcp-cql"), _p(7000, "intra-node", peer=True),
                          _p(7001, "tls-intra-node", peer=True)),
                         style="tcp", headless=True, probe="exec"),
    "elasticsearch": Profile("datastore", "StatefulSet",
                             "docker.elastic.co/elasticsearch/elasticsearch:8.13.0",
                             (_p(9200, "http"), _p(9300, "transport", peer=True)), headless=True),
    "nats": Profile("datastore", "StatefulSet", "nats:2.10",
                    (_p(4222, "client"), _p(8222, "monitor"), _p(6222, "cluster", peer=True)),
                    style="nats", headless=True),
    "node-agent": Profile("agent", "DaemonSet", "quay.io/prometheus/node-exporter:v1.7.0",
                          (_p(9100, "metrics"),), host_network=True),
    "log-shipper": Profile("agent", "DaemonSet", "fluent/fluent-bit:3.0",
                           (_p(2020, "http-metrics"),)),
    "statsd": Profile("agent", "DaemonSet", "prom/statsd-exporter:v0.26.0",
                      (_p(9125, "statsd-udp", protocol="UDP"), _p(9102, "http-metrics")),
                      style="udp"),
    "collector": Profile("collector", "Deployment", "otel/opentelemetry-collector:0.98.0",
                         (_p(4317, "grpc-otlp", app_protocol="grpc"), _p(4318, "http-otlp")),
                         style="otlp"),
    "dns": Profile("system", "Deployment", "registry.k8s.io/coredns/coredns:v1.11.1",
                   (_p(53, "dns", protocol="UDP"), _p(53, "dns-tcp"), _p(9153, "metrics")),
                   style="udp"),
    "job": Profile("batch", "Job", _IMAGE, probe=""),
    "cronjob": Profile("batch", "CronJob", _IMAGE, probe=""),
}
# fmt: on

DATASTORES = ("postgres", "redis", "mongo", "kafka", "mysql")


@dataclass(slots=True)
class Shape:
    """The per-workload choices a builder needs besides the profile."""

    replicas: int = 1
    version: str = "v1"
    with_version_label: bool = True
    resources: Resources = field(default_factory=Resources)
    named_ports: bool = True
    service_account: str = "default"
    run_as_user: int | None = None
    extra_ports: tuple[PortSpec, ...] = ()
    image: str | None = None


def resources(cpu_m: int | None, memory_mib: int | None, limits: bool = True) -> Resources:
    """Requests (and limits at twice the requests) or nothing when ``cpu_m`` is None."""
    if cpu_m is None or memory_mib is None:
        return Resources()
    mem = memory_mib * MIB
    if not limits:
        return Resources(cpu_m, mem)
    return Resources(cpu_m, mem, cpu_m * 2, mem * 2)


def build_workload(
    cluster: str, namespace: str, name: str, profile: Profile, shape: Shape
) -> Workload:
    ports = [
        ContainerPort(p.port, p.name if shape.named_ports else None, p.protocol)
        for p in (*profile.ports, *shape.extra_ports)
    ]
    probes = [f"liveness:{profile.probe}", f"readiness:{profile.probe}"] if profile.probe else []
    version = shape.version
    image = shape.image or profile.image.format(name=name, version=version.lstrip("v") + ".0")
    container = Container(
        name=name if profile.role not in {"datastore", "agent", "collector"} else image_stem(image),
        image=image,
        ports=ports,
        resources=shape.resources,
        probes=probes,
        restart_policy=None,
    )
    labels = {"app": name}
    if shape.with_version_label:
        labels["version"] = version
    return Workload(
        cluster=cluster,
        namespace=namespace,
        kind=profile.kind,
        name=name,
        replicas=shape.replicas,
        pods=shape.replicas,
        containers=[container],
        host_network=profile.host_network,
        service_account=shape.service_account,
        run_as_user=shape.run_as_user,
        labels=labels,
    )


def image_stem(image: str) -> str:
    """``docker.elastic.co/elasticsearch/elasticsearch:8.13.0`` -> ``elasticsearch``."""
    return image.rsplit("/", 1)[-1].split(":", 1)[0].split("@", 1)[0]


def build_services(
    workload: Workload,
    profile: Profile,
    *,
    service_type: str = "ClusterIP",
    declared: str = "name",
    extra_ports: tuple[PortSpec, ...] = (),
    undeclared_peer_ports: tuple[int, ...] = (),
) -> list[Service]:
    """The Service callers use and, for clustered datastores, the governing headless one.

    ``declared`` says how the protocol is declared on the Service ports: ``name`` (the
    port name carries it), ``app_protocol`` (unnamed, appProtocol set) or ``none``.
    ``undeclared_peer_ports`` are left off the headless Service (a common chart mistake).
    """
    specs = (*profile.ports, *extra_ports)
    selector = {"app": workload.name}

    def port(p: PortSpec) -> ServicePort:
        name = p.name if declared == "name" else None
        app = p.app_protocol if declared == "name" else None
        if declared == "app_protocol" and p.protocol == "TCP":
            app = p.app_protocol or _app_protocol(p, profile)
        return ServicePort(
            port=p.service_port or p.port,
            name=name,
            target_port=str(p.port),
            protocol=p.protocol,
            app_protocol=app,
        )

    services: list[Service] = []
    serving = [port(p) for p in specs if not p.peer]
    if serving:
        services.append(
            Service(
                workload.cluster,
                workload.namespace,
                workload.name,
                service_type,
                False,
                serving,
                selector,
            )
        )
    if profile.headless:
        # Peer ports are declared on the headless Service by name (clustering works).
        every = [
            ServicePort(p.port, p.name or f"tcp-{p.port}", str(p.port), p.protocol, None)
            for p in specs
            if p.port not in undeclared_peer_ports
        ]
        services.append(
            Service(
                workload.cluster,
                workload.namespace,
                f"{workload.name}-headless",
                "ClusterIP",
                True,
                every,
                dict(selector),
            )
        )
    return services


def _app_protocol(p: PortSpec, profile: Profile) -> str:
    """The appProtocol a port's name implies (``http-metrics`` -> ``http``)."""
    name = p.name or ""
    if name.startswith(("http", "grpc", "https")):
        return name.split("-", 1)[0]
    return "http" if profile.style == "http" and not name else "tcp"


def caller_port(profile: Profile) -> int:
    """The Service port callers connect to."""
    for p in profile.ports:
        if not p.peer:
            return p.service_port or p.port
    raise ValueError(f"profile {profile.role}/{profile.kind} serves nothing")
