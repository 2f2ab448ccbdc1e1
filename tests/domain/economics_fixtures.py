"""Plans built from domain classes for the economics tests."""

from __future__ import annotations

from datetime import date

from workbench.domain.assumptions import Assumptions, BenefitLine, CostLine, Ramp
from workbench.domain.inventory import Cluster, Namespace, NodeSummary, Workload
from workbench.domain.plan import Plan
from workbench.domain.schedule import Phase, Wave

SEED_COSTS = [
    ("Platform Team", 500_000, 800_000),
    ("Infrastructure", 200_000, 400_000),
    ("Training", 300_000, 100_000),
    ("Migration Effort", 1_000_000, 200_000),
    ("Tools & Licensing", 100_000, 150_000),
]
SEED_BENEFITS = [
    ("Incident Reduction", 1_000_000),
    ("Debug Time Reduction", 800_000),
    ("Compliance Automation", 500_000),
    ("Security Improvements", 200_000),
    ("Development Velocity", 1_200_000),
    ("Reduced Complexity", 400_000),
    ("Improved Testing", 200_000),
    ("Improved Reliability", 800_000),
    ("Better Performance", 400_000),
]


def seed_assumptions(ramp: Ramp | None = None) -> Assumptions:
    return Assumptions(
        cost_lines=[CostLine(n, float(o), float(a)) for n, o, a in SEED_COSTS],
        benefit_lines=[BenefitLine(n, float(v)) for n, v in SEED_BENEFITS],
        ramp=ramp or Ramp("full"),
    )


def estate_plan(
    workloads: int = 100,
    pods_each: int = 10,
    waves: int = 2,
    start: date = date(2027, 1, 1),
    nodes: int = 10,
    namespaces: int = 5,
) -> Plan:
    """One cluster, ``workloads`` Deployments split evenly over ``waves`` monthly waves."""
    plan = Plan()
    plan.inventory.clusters["c1"] = Cluster("c1", nodes=NodeSummary(count=nodes))
    keys = []
    for i in range(workloads):
        w = Workload(
            "c1", f"ns{i % namespaces}", "Deployment", f"w{i}", replicas=pods_each, pods=pods_each
        )
        plan.inventory.add_workload(w)
        keys.append(w.key)
    for n in range(min(namespaces, workloads)):  # a saved plan lists every namespace it uses
        plan.inventory.add_namespace(Namespace("c1", f"ns{n}"))
    plan.schedule.phases.append(Phase("core", "Core", start, date(start.year + 2, 12, 31)))
    size = -(-workloads // waves) if waves else 0
    for k in range(waves):
        s = (
            date(start.year, 1 + 2 * k, 1)
            if 1 + 2 * k <= 12
            else date(start.year + 1, 2 * k - 11, 1)
        )
        e = date(s.year, s.month, 28)
        plan.schedule.insert_wave(
            Wave(
                f"wave-{k + 1:02d}",
                f"wave {k + 1}",
                "core",
                s,
                e,
                members=keys[k * size : (k + 1) * size],
            )
        )
    plan.assumptions = seed_assumptions()
    plan.assumptions.start = start
    return plan
