"""Small plans for the planning tests, built from domain classes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from workbench.domain.defaults import default_phases
from workbench.domain.dependencies import Edge
from workbench.domain.findings import Finding
from workbench.domain.inventory import Namespace, Workload
from workbench.domain.plan import Plan
from workbench.domain.planning.readiness_input import ReadinessInput
from workbench.domain.planning.validator import ScheduleValidator
from workbench.domain.schedule import Schedule, Wave

START = date(2027, 1, 1)  # foundation 2027-01..04, pilot 05..07, core 08..11, optimization 12..02


def key(name: str, ns: str = "shop", cluster: str = "c1") -> str:
    return f"{cluster}/{ns}/Deployment/{name}"


def make_plan(
    names: Iterable[str] = (),
    edges: Iterable[tuple[str, str]] = (),
    *,
    ns_labels: dict[str, dict[str, str]] | None = None,
    injection: str = "pod-label",
    pods: int = 1,
) -> Plan:
    """Workloads named ``name`` (namespace shop, cluster c1) or ``cluster/ns/name``;
    edges between those names."""
    plan = Plan(schedule=Schedule(phases=default_phases(START)))
    plan.mesh.injection = injection
    for name in names:
        add_workload(plan, name, pods=pods)
    for ns_key, labels in (ns_labels or {}).items():
        cluster, ns = ns_key.split("/")
        plan.inventory.namespaces[ns_key].labels.update(labels)
        assert plan.inventory.namespaces[ns_key].name == ns and cluster
    for a, b in edges:
        plan.dependencies.add(Edge(full(a), full(b)))
    return plan


def full(name: str) -> str:
    parts = name.split("/")
    if len(parts) == 3:
        return key(parts[2], parts[1], parts[0])
    if len(parts) == 2:
        return key(parts[1], parts[0])
    return key(name)


def add_workload(plan: Plan, name: str, pods: int = 1, **kw: object) -> Workload:
    k = full(name)
    cluster, ns, _, short = k.split("/")
    w = Workload(cluster, ns, "Deployment", short, replicas=pods, pods=pods, labels={"app": short})
    for attr, value in kw.items():
        setattr(w, attr, value)
    plan.inventory.add_workload(w)
    if f"{cluster}/{ns}" not in plan.inventory.namespaces:
        plan.inventory.add_namespace(Namespace(cluster, ns))
    return w


def add_wave(
    plan: Plan,
    wave_id: str,
    members: Iterable[str],
    *,
    phase: str = "core",
    start: date | None = None,
    days: int = 14,
    **kw: object,
) -> Wave:
    begin = start or plan.schedule.phase(phase).start
    wave = Wave(
        wave_id,
        wave_id,
        phase,
        begin,
        begin + timedelta(days=days - 1),
        members=[full(m) for m in members],
    )
    for attr, value in kw.items():
        setattr(wave, attr, value)
    plan.schedule.insert_wave(wave)
    return wave


def findings(plan: Plan, readiness: ReadinessInput | None = None) -> list[Finding]:
    return ScheduleValidator(plan, readiness or ReadinessInput()).findings()


def rules(plan: Plan, readiness: ReadinessInput | None = None) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for f in findings(plan, readiness):
        out.setdefault(f.rule, []).append(f)
    return out
