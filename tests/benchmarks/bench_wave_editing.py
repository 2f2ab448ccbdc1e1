"""Wave editing and graph edge routing benchmarks.

Targets: on a 10,000-workload plan with waves of 1,000 workloads, a new wave, a split and
a merge each do and undo in under 100 ms (an instant to the eye). Routing every edge of
the sample plan's graph around its 12 namespace boxes takes under 1 s, and the
1,000-edge cap (the most the view routes) stays under 1.5 s.
Run: pytest tests/benchmarks/bench_wave_editing.py -o python_files='bench_*.py' -s
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta

from workbench.domain.commands import Command
from workbench.domain.commands_waves import MergeWaves, NewWave, SplitWave
from workbench.domain.plan import Plan
from workbench.domain.schedule import Phase, Wave
from workbench.io.plan_file import load_plan
from workbench.ops.generate import generate_plan
from workbench.ops.graph_layout import GraphInput, LayoutOptions, compute_layout, graph_input
from workbench.ops.graph_routes import MAX_EDGES, EdgeRouter
from workbench.ui.resources import sample_plan_path

EDIT_TARGET_MS = 100.0
ROUTE_TARGET_MS = 1000.0
ROUTE_CAP_TARGET_MS = 1500.0


def _plan() -> Plan:
    plan = generate_plan(10_000, 3, 0)
    sched = plan.schedule
    for wave in list(sched.waves):
        sched.pop_wave(wave.id)
    sched.phases[:] = [Phase("core", "Core", date(2027, 1, 1), date(2028, 12, 31))]
    keys = sorted(plan.inventory.workloads)
    for i in range(10):
        start = date(2027, 1, 1) + timedelta(days=30 * i)
        members = keys[i * 1000 : (i + 1) * 1000]
        sched.insert_wave(
            Wave(f"w{i}", f"Wave {i}", "core", start, start + timedelta(days=27), members=members)
        )
    return plan


def _do_undo_ms(plan: Plan, make: Callable[[], Command], runs: int = 9) -> float:
    times = []
    for _ in range(runs):
        command = make()
        t0 = time.perf_counter()
        command.do(plan)
        command.undo(plan)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def _route_all(layout_edges: int, router: EdgeRouter, layout: object) -> float:
    from workbench.ops.graph_layout import GraphLayout

    assert isinstance(layout, GraphLayout)
    t0 = time.perf_counter()
    for edge in layout.edges[:layout_edges]:
        a, b = layout.nodes[edge.source], layout.nodes[edge.target]
        router.route(a.centre, b.centre, {a.id, b.id, a.namespace, b.namespace})
    return (time.perf_counter() - t0) * 1000


def test_wave_edits_on_a_10000_workload_plan() -> None:
    plan = _plan()
    keys = list(plan.schedule.wave("w3").members[:500])
    cases: dict[str, Callable[[], Command]] = {
        "new wave with 500 workloads": lambda: NewWave("x", keys),
        "split a 1,000-workload wave": lambda: SplitWave("w4"),
        "merge two 1,000-workload waves": lambda: MergeWaves(["w5", "w6"]),
    }
    measured = {name: _do_undo_ms(plan, make) for name, make in cases.items()}
    for name, ms in measured.items():
        print(f"\n{name}, do + undo: {ms:.1f} ms median (target < {EDIT_TARGET_MS:.0f} ms)")
    assert max(measured.values()) < EDIT_TARGET_MS


def test_edge_routing_on_the_sample_and_at_the_cap() -> None:
    layout = compute_layout(graph_input(load_plan(sample_plan_path())))
    t0 = time.perf_counter()
    router = EdgeRouter.for_layout(layout)
    build = (time.perf_counter() - t0) * 1000
    ms = build + _route_all(len(layout.edges), router, layout)
    print(
        f"\nroutes for the sample ({len(layout.groups)} boxes, {len(layout.edges)} edges): "
        f"{ms:.0f} ms incl. {build:.0f} ms corner graph (target < {ROUTE_TARGET_MS:.0f} ms)"
    )
    assert ms < ROUTE_TARGET_MS
    graph = graph_input(generate_plan(1500, 1, 0))
    capped = compute_layout(
        GraphInput(graph.workloads, graph.edges[:MAX_EDGES]), LayoutOptions(collapse=False)
    )
    t0 = time.perf_counter()
    router = EdgeRouter.for_layout(capped)
    ms = (time.perf_counter() - t0) * 1000 + _route_all(len(capped.edges), router, capped)
    print(
        f"routes at the cap ({len(capped.groups)} boxes, {len(capped.edges)} edges, "
        f"routing {'on' if router.enabled else 'off'}): {ms:.0f} ms "
        f"(target < {ROUTE_CAP_TARGET_MS:.0f} ms)"
    )
    assert ms < ROUTE_CAP_TARGET_MS
