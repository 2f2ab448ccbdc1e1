"""Synthetic estates for demos, tests and benchmarks, deterministic by seed.

``generate_estate(1000, clusters=3, seed=7)`` builds a plan whose inventory looks like a
real estate (team namespaces in dev/staging/prod, Deployments, datastore StatefulSets,
node-agent DaemonSets, Jobs and CronJobs, Services with named and unnamed ports) and
whose env vars state a realistic call graph. The ground truth of that graph comes back
beside the plan, so dependency discovery can be measured against it.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta

from workbench.domain.defaults import add_months, default_assumptions, default_phases
from workbench.domain.errors import WorkbenchError
from workbench.domain.inventory import (
    Cluster,
    Container,
    Inventory,
    IstioInstall,
    NodeSummary,
)
from workbench.domain.plan import Meta, Plan
from workbench.domain.schedule import Phase, Schedule, Wave
from workbench.ops.generate.calls import (
    Call,
    StatedCall,
    add_plain_env,
    dependencies_from,
    truth_of,
    wire_calls,
)
from workbench.ops.generate.graph import plan_calls
from workbench.ops.generate.layout import (
    CLUSTER_NAMES,
    Member,
    Space,
    decorate_namespace,
    fill_namespace,
    plan_namespaces,
)
from workbench.ops.generate.pods import PodCountError, scale_replicas, settle
from workbench.ops.generate.shapes import resources

GENERATED_START = date(2026, 1, 1)
GENERATED_AT = "2026-01-01T00:00:00+00:00"
MAX_WORKLOADS = 100_000
MAX_PODS = 2_000_000
MAX_CLUSTERS = len(CLUSTER_NAMES)
PODS_PER_NODE = 30
NODE_CPU_M = 7910
NODE_MEMORY_BYTES = 30 * 1024**3
KUBELET_VERSIONS = ("v1.29.6", "v1.30.4", "v1.31.2", "v1.33.1")


class GenerateError(WorkbenchError, ValueError):
    """Arguments a synthetic estate cannot be built from."""


@dataclass(slots=True)
class GeneratedEstate:
    plan: Plan
    truth: set[tuple[str, str]]  # (caller, callee) workload keys the env vars state


def default_namespace_count(workloads: int, clusters: int) -> int:
    """About 25 workloads a namespace, at least one per cluster where possible."""
    return min(workloads, max(clusters, round(workloads / 25)))


def check_arguments(workloads: int, clusters: int, namespaces: int | None) -> None:
    if not 1 <= workloads <= MAX_WORKLOADS:
        raise GenerateError(f"workloads must be between 1 and {MAX_WORKLOADS}, got {workloads}")
    if not 1 <= clusters <= MAX_CLUSTERS:
        raise GenerateError(f"clusters must be between 1 and {MAX_CLUSTERS}, got {clusters}")
    if namespaces is not None and not 1 <= namespaces <= workloads:
        raise GenerateError(
            f"namespaces must be between 1 and the number of workloads ({workloads}), "
            f"got {namespaces}"
        )


def generate_estate(
    workloads: int,
    clusters: int = 1,
    seed: int = 0,
    namespaces: int | None = None,
    pods: int | None = None,
) -> GeneratedEstate:
    """A plan over a synthetic estate, and the call graph its env vars state; ``pods``
    sets the total pod count (Deployments' replicas carry the difference)."""
    check_arguments(workloads, clusters, namespaces)
    if pods is not None and not workloads <= pods <= MAX_PODS:
        raise GenerateError(f"pods must be between {workloads} and {MAX_PODS}, got {pods}")
    rng = random.Random(seed)
    names = list(CLUSTER_NAMES[:clusters])
    count = namespaces or default_namespace_count(workloads, clusters)
    spaces = plan_namespaces(rng, workloads, names, count)
    inventory = Inventory()
    daemonsets: dict[str, int] = {}
    for space in spaces:
        fill_namespace(rng, space, inventory.ingresses, daemonsets)
    members = [m.workload for s in spaces for m in s.members]
    if pods is not None:
        scale_replicas(members, pods)
    for i, name in enumerate(names):
        inventory.clusters[name] = _cluster(
            i, name, [s for s in spaces if s.namespace.cluster == name]
        )
    if pods is not None:
        try:
            settle(members, pods)
        except PodCountError as exc:
            raise GenerateError(str(exc)) from None
    stated: list[StatedCall] = []
    for space in spaces:
        decorate_namespace(rng, space)
    for member, calls in plan_calls(rng, spaces):
        stated.extend(_wire(rng, member, calls))
    for space in spaces:
        inventory.add_namespace(space.namespace)
        for m in space.members:
            inventory.add_workload(m.workload)
            for svc in m.services:
                inventory.add_service(svc)
    for name in names:
        if any(ns.injection_enabled for ns in inventory.namespaces.values() if ns.cluster == name):
            inventory.clusters[name].istio = IstioInstall("1.22.3", ["default"])
    phases = default_phases(GENERATED_START)
    plan = Plan(
        meta=Meta(
            title=f"Synthetic estate: {workloads} workloads, {clusters} cluster(s), seed {seed}",
            author="mesh-workbench generate",
            created=GENERATED_AT,
            modified=GENERATED_AT,
            notes=(
                f"Generated with 'mesh-workbench generate --workloads {workloads} "
                f"--clusters {clusters} --seed {seed}'. Every dependency edge is stated by an "
                "env var of the calling workload."
            ),
        ),
        inventory=inventory,
        dependencies=dependencies_from(stated),
        schedule=Schedule(
            phases=phases, waves=_waves(rng, spaces, workloads, phases[1], phases[2])
        ),
        assumptions=default_assumptions("istio-defaults"),
    )
    return GeneratedEstate(plan, truth_of(stated))


def generate_plan(
    workloads: int, clusters: int = 1, seed: int = 0, pods: int | None = None
) -> Plan:
    return generate_estate(workloads, clusters, seed, pods=pods).plan


def _cluster(index: int, name: str, spaces: list[Space]) -> Cluster:
    """Nodes enough for the cluster's pods; DaemonSets then run one pod per node."""
    members = [m for s in spaces for m in s.members]
    pods = sum(m.workload.pods for m in members if m.workload.kind != "DaemonSet")
    nodes = max(3, math.ceil(pods / PODS_PER_NODE))
    for m in members:
        if m.workload.kind == "DaemonSet":
            m.workload.replicas = m.workload.pods = nodes
    version = KUBELET_VERSIONS[index % len(KUBELET_VERSIONS)]
    return Cluster(
        name=name,
        server_version=version,
        nodes=NodeSummary(
            count=nodes,
            allocatable_cpu_m=nodes * NODE_CPU_M,
            allocatable_memory_bytes=nodes * NODE_MEMORY_BYTES,
            kubelet_versions=[version],
            os_images=["Ubuntu 22.04.4 LTS"],
        ),
    )


def _wire(rng: random.Random, member: Member, calls: list[Call]) -> list[StatedCall]:
    """Env vars for ``calls``; now and then a migration init container takes the DB one."""
    w = member.workload
    stated: list[StatedCall] = []
    db = next((c for c in calls if c.profile.style == "postgres"), None)
    if db is not None and member.profile.role == "api" and rng.random() < 0.1:
        init = Container("db-migrate", "flyway/flyway:10.11", resources=resources(100, 128, False))
        w.init_containers.append(init)
        stated.extend(wire_calls(w, init, [db], rng, init=True))
        calls = [c for c in calls if c is not db]
    stated.extend(wire_calls(w, w.containers[0], calls, rng))
    add_plain_env(
        w.containers[0],
        rng,
        secrets=any(c.profile.role == "datastore" for c in calls),
        external=member.profile.role in {"api", "worker"} and rng.random() < 0.05,
    )
    return stated


def _waves(
    rng: random.Random, spaces: list[Space], workloads: int, pilot: Phase, core: Phase
) -> list[Wave]:
    """Dev then staging in the pilot phase, two slices of prod in the core phase."""

    def candidates(env: str) -> list[str]:
        keys = [
            m.workload.key
            for s in spaces
            if s.env == env and not s.platform
            for m in s.members
            if m.workload.kind == "Deployment"
        ]
        rng.shuffle(keys)
        return keys

    pilot_mid = add_months(pilot.start, 1)
    core_mid = add_months(core.start, 2)
    prod = candidates("prod")
    slice_ = max(1, workloads // 10)
    day = timedelta(days=1)
    return [
        Wave("wave-01", "Pilot: dev namespaces", pilot.id, pilot.start, pilot_mid - day,
             members=candidates("dev")[: max(1, workloads // 50)]),
        Wave("wave-02", "Pilot: staging namespaces", pilot.id, pilot_mid, pilot.end,
             members=candidates("staging")[: max(1, workloads // 20)]),
        Wave("wave-03", "Core: prod, first slice", core.id, core.start, core_mid - day,
             members=prod[:slice_]),
        Wave("wave-04", "Core: prod, second slice", core.id, core_mid, core.end,
             members=prod[slice_ : 2 * slice_]),
    ]  # fmt: skip
