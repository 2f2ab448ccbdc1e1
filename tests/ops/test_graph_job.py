"""The graph layout as a job: the same layout and routes in a worker process as here, a
worker chosen only for large layouts, cancel ends the worker, and the plan snapshot
read in slices equals the one read at once."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.domain.jobs import CancelToken, JobCancelled
from workbench.domain.plan import Plan
from workbench.io.plan_file import load_plan
from workbench.ops.background.jobs import JobSpec, Workers, run_job
from workbench.ops.background.usecases import GRAPH_LAYOUT
from workbench.ops.generate import generate_plan
from workbench.ops.graph_job import (
    WORKER_EDGES,
    WORKER_NODES,
    lay_out_graph,
    layout_size,
    wants_a_worker,
)
from workbench.ops.graph_layout import (
    GraphInput,
    LayoutOptions,
    compute_layout,
    graph_input,
    read_graph_input,
)


@pytest.fixture(scope="module")
def workers() -> Iterator[Workers]:
    pool = Workers(keep=1)
    yield pool
    pool.close()


@pytest.fixture(scope="module")
def sample(sample_plan_path: Path) -> GraphInput:
    return graph_input(load_plan(sample_plan_path))


@pytest.fixture(scope="module")
def estate() -> GraphInput:
    return graph_input(generate_plan(5000, 3, seed=0))


def test_a_worker_lays_the_graph_out_and_routes_it_as_this_process_does(
    sample: GraphInput, workers: Workers
) -> None:
    options = LayoutOptions(collapse=False)
    here = lay_out_graph(sample, options)
    seen: list[str] = []
    spec = JobSpec(GRAPH_LAYOUT, options={"graph": sample, "options": options})
    there = run_job(spec, lambda _f, message: seen.append(message), workers=workers)
    assert there.process_id != os.getpid() and here.process_id == os.getpid()
    assert there.layout == here.layout == compute_layout(sample, options)
    edges = [(here.layout.nodes[e.source], here.layout.nodes[e.target]) for e in here.layout.edges]
    assert any(len(here.routes.route(a, b)) > 2 for a, b in edges)  # some edges bend
    assert [there.routes.route(a, b) for a, b in edges] == [
        here.routes.route(a, b) for a, b in edges
    ]
    assert "Routing edges around the boxes" in seen  # progress streamed from the worker


def test_only_large_layouts_take_a_worker(sample: GraphInput, estate: GraphInput) -> None:
    expanded = LayoutOptions(collapse=False)
    assert layout_size(sample, expanded) == (len(sample.workloads), len(sample.edges))
    assert not wants_a_worker(sample, expanded)  # the sample: quicker than a process start
    nodes, edges = layout_size(estate, LayoutOptions())  # collapsed to its namespaces
    assert nodes < WORKER_NODES and not wants_a_worker(estate, LayoutOptions())
    assert edges > WORKER_EDGES  # ... but past routing: its edges stay straight, cheap
    assert layout_size(estate, expanded)[0] == 5000 and wants_a_worker(estate, expanded)
    # a few hundred workloads expanded: edges to route around boxes cost the time
    routed = graph_input(generate_plan(400, 3, seed=0))
    nodes, edges = layout_size(routed, expanded)
    assert nodes < WORKER_NODES and edges > WORKER_EDGES and wants_a_worker(routed, expanded)
    # a namespace filter counts only what it shows
    one = LayoutOptions(namespaces=frozenset({estate.workloads[0].namespace}), collapse=False)
    assert not wants_a_worker(estate, one)


def test_cancel_ends_the_layout_worker(estate: GraphInput, workers: Workers) -> None:
    workers.warm_up()
    (pid,) = workers.idle_pids()  # the worker the job will take
    token = CancelToken()

    def progress(fraction: float, _message: str) -> None:
        if fraction > 0.2:
            token.cancel()  # well into the layout

    options = {"graph": estate, "options": LayoutOptions(collapse=False)}
    with pytest.raises(JobCancelled):
        run_job(JobSpec(GRAPH_LAYOUT, options=options), progress, token, workers=workers)
    assert workers.idle_pids() == []  # not kept for another job
    assert not Path(f"/proc/{pid}").exists()  # ended


def test_the_snapshot_read_in_slices_equals_the_one_read_at_once() -> None:
    plan = generate_plan(1200, 3, seed=2)
    steps = read_graph_input(plan, chunk=100)
    pauses = 0
    while True:
        try:
            next(steps)
            pauses += 1
        except StopIteration as done:
            sliced = done.value
            break
    assert sliced == graph_input(plan)
    assert pauses == -(-len(plan.inventory.workloads) // 100) + -(
        -len(plan.dependencies.edges) // 100
    )
    with pytest.raises(StopIteration):
        next(read_graph_input(Plan()))  # nothing to read: no pause
