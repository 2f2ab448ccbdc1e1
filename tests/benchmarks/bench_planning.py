"""Planning at the scale to plan for: 10,000 workloads, 50,000 call edges.

Targets: auto-plan plus full validation <= 3 s; re-validation after moving one
workload <= 50 ms. Run with
``pytest tests/benchmarks/bench_planning.py -o python_files='bench_*.py' -s``.
"""

from __future__ import annotations

import random
import statistics
import time

from workbench.domain.commands import AssignWorkloads
from workbench.domain.dependencies import Edge
from workbench.domain.plan import Plan
from workbench.domain.planning.autoplan import AutoPlanOptions, propose
from workbench.domain.planning.graph import CallGraph
from workbench.domain.planning.readiness_input import readiness_input
from workbench.domain.planning.validator import ScheduleValidator
from workbench.ops.generate import generate_plan

WORKLOADS = 10_000
EDGES = 50_000
AUTO_PLAN_TARGET_S = 3.0
REVALIDATE_TARGET_MS = 50.0


def _estate() -> Plan:
    plan = generate_plan(WORKLOADS, clusters=3, seed=11)
    graph = CallGraph(plan)  # order the added calls along the estate's own call graph
    keys = sorted(graph.nodes, key=lambda k: (-graph.height_of(k), k))
    rng = random.Random(5)
    while len(plan.dependencies.edges) < EDGES:
        a, b = sorted(rng.sample(range(len(keys)), 2))
        plan.dependencies.add(Edge(keys[a], keys[b]))  # callers before callees: no new cycles
        if rng.random() < 0.005:  # and a few short cycles
            c = min(a + rng.randint(1, 3), len(keys) - 1)
            plan.dependencies.add(Edge(keys[c], keys[a]))
            plan.dependencies.add(Edge(keys[a], keys[c]))
    return plan


def test_auto_plan_and_validation_at_scale() -> None:
    plan = _estate()
    t0 = time.perf_counter()
    readiness = readiness_input(plan)
    t1 = time.perf_counter()
    graph = CallGraph(plan)
    proposal = propose(plan, AutoPlanOptions(keep_assignments=False), readiness, graph)
    proposal.command().do(plan)
    t2 = time.perf_counter()
    live = ScheduleValidator(plan, readiness)
    found = live.findings()
    t3 = time.perf_counter()
    serious = [f for f in found if f.severity in ("blocker", "high")]
    planning = t3 - t1
    print(
        f"\n{len(plan.inventory.workloads)} workloads, {len(plan.dependencies.edges)} edges, "
        f"{len(graph.cycles())} cycles, {len(proposal.waves)} waves"
        f"\nreadiness evaluation      {t1 - t0:6.2f} s (readiness engine, shared with check)"
        f"\ngraph + auto-plan + apply {t2 - t1:6.2f} s"
        f"\nfull schedule validation  {t3 - t2:6.2f} s ({len(found)} findings, "
        f"{len(serious)} blocker/high)"
        f"\nauto-plan + validation    {planning:6.2f} s (target <= {AUTO_PLAN_TARGET_S} s); "
        f"with readiness {t3 - t0:.2f} s"
    )
    assert serious == []
    assert planning <= AUTO_PLAN_TARGET_S

    rng = random.Random(1)
    keys = sorted(k for k in plan.schedule.assigned())
    waves = [w.id for w in plan.schedule.waves]
    times = []
    for _ in range(50):
        change = AssignWorkloads([rng.choice(keys)], rng.choice(waves)).do(plan)
        t = time.perf_counter()
        live.update(change)
        times.append((time.perf_counter() - t) * 1000)
    print(
        f"re-validation after one move: median {statistics.median(times):.1f} ms, "
        f"max {max(times):.1f} ms (target <= {REVALIDATE_TARGET_MS} ms)"
    )
    assert statistics.median(times) <= REVALIDATE_TARGET_MS
