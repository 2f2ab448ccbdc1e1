"""Env vars that state calls, the way real manifests write service addresses.

A caller learns its callees' addresses from env vars: ``orders-api``, ``orders-api:8080``,
``orders-api.orders``, ``orders-api.orders.svc.cluster.local:8080``,
``http://orders-api.orders:8080/v1``, comma-separated lists, JDBC/redis/mongodb URLs, and
``svc.ns.svc.clusterset.local`` for a Service in another cluster; database URLs may
carry credentials. Each value is stored as an import would store it (the sanitiser of
:mod:`workbench.io.sanitise`): addresses reduced to ``scheme://host:port`` without
credentials, "" for anything else (log levels, passwords, tokens). Every call whose
stored value still names the callee becomes a dependency edge with ``env`` evidence.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from workbench.domain.dependencies import Dependencies, Edge, Evidence
from workbench.domain.inventory import Container, Service, Workload
from workbench.io.sanitise import sanitise_value
from workbench.ops.generate.shapes import Profile, caller_port

ENV_CONFIDENCE = 0.9
CLUSTERSET_SUFFIX = "svc.clusterset.local"
HTTP_PATHS = ("", "/", "/v1", "/api", "/api/v2", "/graphql", "/internal/v1")
EXTERNAL_ADDRESSES = (
    ("PAYMENT_PROVIDER_URL", "https://api.stripe.com/v1"),
    ("SLACK_WEBHOOK_HOST", "hooks.slack.com"),
    ("SQS_ENDPOINT", "https://sqs.eu-west-1.amazonaws.com"),
    ("SMTP_HOST", "smtp.sendgrid.net:587"),
)
PLAIN_ENV = (
    ("LOG_LEVEL", "info"),
    ("JAVA_OPTS", "-Xms256m -Xmx512m -XX:+UseG1GC"),
    ("NODE_ENV", "production"),
    ("GOMAXPROCS", "2"),
    ("FEATURE_FLAGS", "checkout_v2=true;search_v3=false"),
    ("TZ", "UTC"),
)
SECRET_ENV = (
    ("DB_PASSWORD", "hunter2-Prod!"),
    ("API_TOKEN", "tok_9f8a7c6b5e4d3c2b"),
    ("JWT_SECRET", "c2VjcmV0LWtleS0xMjM0NTY3ODkw"),
    ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    ("CLIENT_SECRET", "0f6c2d1e-7b4a-4c2e-9d3f-2a1b0c9d8e7f"),
)
PASSWORDS = ("s3cr3t-Pa55", "hunter2", "Ch4ngeMe!", "pr0d-db-pw")
LIST_VARS = ("UPSTREAM_SERVICES", "BACKEND_ADDRESSES", "DOWNSTREAM_HOSTS")

_VAR_NAMES: dict[str, tuple[str, ...]] = {
    "http": ("{N}_URL", "{N}_HOST", "{N}_ADDR", "{N}_SERVICE_ADDR", "{N}_ENDPOINT"),
    "grpc": ("{N}_ADDR", "{N}_GRPC_TARGET", "{N}_ENDPOINT"),
    "postgres": ("SPRING_DATASOURCE_URL", "{N}_JDBC_URL"),
    "postgres-url": ("DATABASE_URL", "{N}_URL"),
    "mysql": ("SPRING_DATASOURCE_URL", "{N}_JDBC_URL"),
    "redis": ("REDIS_URL", "{N}_URL"),
    "mongo": ("MONGODB_URI", "{N}_URI"),
    "kafka": ("KAFKA_BOOTSTRAP_SERVERS", "KAFKA_BROKERS"),
    "tcp": ("{N}_HOSTS", "{N}_ADDR"),
    "otlp": ("OTEL_EXPORTER_OTLP_ENDPOINT",),
    "nats": ("NATS_URL", "{N}_SERVERS"),
    "udp": ("STATSD_ADDR",),
}


@dataclass(frozen=True, slots=True)
class Call:
    """A caller's intent to reach ``callee`` through ``service``."""

    callee: Workload
    service: Service
    profile: Profile
    cross_cluster: bool = False


@dataclass(frozen=True, slots=True)
class StatedCall:
    """An env var of a caller's container that names the callee's Service."""

    var: str
    caller: Workload
    container: str
    init: bool
    callee: str  # workload key
    service: str  # service key


def host_for(call: Call, caller_namespace: str, rng: random.Random) -> str:
    svc, ns = call.service.name, call.service.namespace
    if call.cross_cluster:
        return f"{svc}.{ns}.{CLUSTERSET_SUFFIX}"
    forms = [f"{svc}.{ns}", f"{svc}.{ns}.svc", f"{svc}.{ns}.svc.cluster.local"]
    if ns == caller_namespace:
        forms = [svc, svc, *forms]
    return forms[rng.randrange(len(forms))]


def address(call: Call, caller_namespace: str, rng: random.Random) -> str:
    """One address of ``call`` in a form real manifests use for its protocol."""
    h = host_for(call, caller_namespace, rng)
    port = caller_port(call.profile)
    db = call.callee.name.split("-", 1)[0]
    style = call.profile.style
    if style == "http":
        pick = rng.randrange(3)
        if pick == 0 and not call.cross_cluster:
            return h
        if pick == 1:
            return f"{h}:{port}"
        where = h if port == 80 else f"{h}:{port}"
        return f"http://{where}{HTTP_PATHS[rng.randrange(len(HTTP_PATHS))]}"
    secret = PASSWORDS[rng.randrange(len(PASSWORDS))]
    if style == "postgres":
        if rng.random() < 0.6:
            return f"jdbc:postgresql://{h}:{port}/{db}?user={db}&password={secret}"
        return f"postgresql://{db}:{secret}@{h}:{port}/{db}?sslmode=disable"
    if style == "mysql":
        return f"jdbc:mysql://{h}:{port}/{db}?useSSL=false"
    if style == "redis":
        return f"redis://:{secret}@{h}:{port}/0" if rng.random() < 0.7 else f"{h}:{port}"
    if style == "mongo":
        return f"mongodb://{db}:{secret}@{h}:{port}/{db}?authSource=admin"
    if style == "otlp":
        return f"http://{h}:{port}"
    if style == "nats":
        return f"nats://{h}:{port}"
    return f"{h}:{port}"  # grpc, kafka, tcp, udp


def _var_name(container: Container, call: Call, value: str, rng: random.Random) -> str:
    stem = call.service.name.upper().replace("-", "_")
    style = call.profile.style
    if style == "postgres" and not value.startswith("jdbc:"):
        style = "postgres-url"
    patterns = _VAR_NAMES.get(style, _VAR_NAMES["tcp"])
    name = patterns[rng.randrange(len(patterns))].format(N=stem)
    if name in container.env:
        name = patterns[-1].format(N=stem)
    name = name.replace("_SERVICE_SERVICE_", "_SERVICE_")
    base, n = name, 2
    while name in container.env:
        name, n = f"{base}_{n}", n + 1
    return name


def stored_value(name: str, raw: str) -> str:
    """What an import keeps of env var ``name`` = ``raw`` (Services of the estate exist)."""
    kept = sanitise_value(name, raw)
    return kept.kept or kept.candidate or ""


def wire_calls(
    caller: Workload,
    container: Container,
    calls: list[Call],
    rng: random.Random,
    *,
    init: bool = False,
    list_share: float = 0.25,
) -> list[StatedCall]:
    """Write env vars into ``container`` naming each call's Service; return what they state.

    With probability ``list_share`` two or more plain HTTP calls share one comma-separated
    variable (``UPSTREAM_SERVICES=a:8080,b.other:8080``).
    """
    stated: list[StatedCall] = []
    plain = [c for c in calls if c.profile.style == "http" and not c.cross_cluster]
    grouped: list[Call] = []
    if len(plain) >= 2 and rng.random() < list_share:
        grouped = plain[: 2 + rng.randrange(len(plain) - 1)]
        var = LIST_VARS[rng.randrange(len(LIST_VARS))]
        while var in container.env:
            var += "_2"
        port_of = caller_port
        items = [f"{host_for(c, caller.namespace, rng)}:{port_of(c.profile)}" for c in grouped]
        container.env[var] = stored_value(var, ",".join(items))
        if container.env[var]:
            stated.extend(_stated(var, caller, container, init, c) for c in grouped)
    for call in calls:
        if any(call is g for g in grouped):
            continue
        value = address(call, caller.namespace, rng)
        var = _var_name(container, call, value, rng)
        container.env[var] = stored_value(var, value)
        if container.env[var]:
            stated.append(_stated(var, caller, container, init, call))
    return stated


def _stated(var: str, caller: Workload, container: Container, init: bool, call: Call) -> StatedCall:
    return StatedCall(var, caller, container.name, init, call.callee.key, call.service.key)


def add_plain_env(
    container: Container, rng: random.Random, *, secrets: bool, external: bool
) -> None:
    """Settings and secrets (the inventory keeps their names only) and, with ``external``,
    an address outside the estate."""
    chosen = [pair for pair in PLAIN_ENV if rng.random() < 0.4]
    if secrets:
        chosen.append(SECRET_ENV[rng.randrange(len(SECRET_ENV))])
    if external:
        chosen.append(EXTERNAL_ADDRESSES[rng.randrange(len(EXTERNAL_ADDRESSES))])
    for name, raw in chosen:
        if name not in container.env:
            container.env[name] = stored_value(name, raw)


def evidence_detail(s: StatedCall) -> str:
    where = f"{s.caller.kind} {s.caller.name}"
    if s.init:
        where += f" (init container {s.container})"
    return f"env {s.var} in {where}"


def dependencies_from(stated: list[StatedCall]) -> Dependencies:
    """One edge per (caller, callee), with every env var that states it as evidence."""
    deps = Dependencies()
    for s in stated:
        key = (s.caller.key, s.callee)
        edge = deps.edges.get(key)
        if edge is None:
            edge = Edge(s.caller.key, s.callee, [], ENV_CONFIDENCE, False, s.service)
            deps.add(edge)
        detail = evidence_detail(s)
        if all(e.detail != detail for e in edge.evidence):
            edge.evidence.append(Evidence("env", detail))
    return deps


def truth_of(stated: list[StatedCall]) -> set[tuple[str, str]]:
    return {(s.caller.key, s.callee) for s in stated}
