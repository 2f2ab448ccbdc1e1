"""The summary's economics say what of the business case they rest on: figures from the
shipped defaults are named as such."""

from __future__ import annotations

from workbench.domain.defaults import untouched_defaults
from workbench.ops.generate import generate_plan
from workbench.ops.summary import plan_summary


def test_the_summary_names_the_defaults_its_figures_rest_on() -> None:
    plan = generate_plan(30, 1, seed=2)
    untouched = untouched_defaults(plan.assumptions)
    assert untouched, "a generated plan keeps the shipped business case"
    assert plan_summary(plan)["defaults_untouched"] == untouched
    plan.assumptions.benefit_lines[0].annual += 1000.0
    assert "benefit lines" not in plan_summary(plan)["defaults_untouched"]
