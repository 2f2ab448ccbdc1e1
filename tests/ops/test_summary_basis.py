"""The economics say what they rest on: the parts of the business case still at the
shipped defaults, and the calls the trace figure has no measured rate for."""

from __future__ import annotations

from workbench.domain.defaults import untouched_defaults
from workbench.ops.economics import compute, report_as_dict
from workbench.ops.generate import generate_plan
from workbench.ops.summary import plan_summary


def test_the_summary_names_the_defaults_its_figures_rest_on() -> None:
    plan = generate_plan(30, 1, seed=2)
    untouched = untouched_defaults(plan.assumptions)
    assert untouched, "a generated plan keeps the shipped business case"
    assert plan_summary(plan)["defaults_untouched"] == untouched
    plan.assumptions.benefit_lines[0].annual += 1000.0
    assert "benefit lines" not in plan_summary(plan)["defaults_untouched"]


def test_the_trace_figure_says_how_many_calls_have_no_measured_rate() -> None:
    plan = generate_plan(30, 1, seed=2)
    edges = list(plan.dependencies.edges.values())
    assert len(edges) > 4
    for i, edge in enumerate(edges):
        edge.requests_per_second = 5.0 if i % 2 else None
    plan.dependencies.revision += 1
    data = report_as_dict(compute(plan))["observability"]
    assert isinstance(data, dict)
    assert data["edges_without_rate"] == len(edges[::2])
    assert (
        data["default_requests_per_second"]
        == plan.assumptions.observability.default_requests_per_second
    )
