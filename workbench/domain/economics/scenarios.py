"""Scenarios side by side: the base case and every named scenario, evaluated alike."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from workbench.domain.assumption_paths import with_overrides
from workbench.domain.assumptions import Assumptions, Scenario
from workbench.domain.economics.metrics import Metrics


@dataclass(frozen=True, slots=True)
class ScenarioResult:
    name: str  # "" for the base case
    description: str
    metrics: Metrics
    risk_adjusted: Metrics


def apply_scenario(base: Assumptions, scenario: Scenario) -> Assumptions:
    """The base assumptions under a scenario: its own lines if any, then its overrides
    (which may name those lines)."""
    if scenario.cost_lines is None and scenario.benefit_lines is None:
        return with_overrides(base, scenario.overrides)
    lines = replace(
        base,
        cost_lines=base.cost_lines if scenario.cost_lines is None else scenario.cost_lines,
        benefit_lines=(
            base.benefit_lines if scenario.benefit_lines is None else scenario.benefit_lines
        ),
    )
    return with_overrides(lines, scenario.overrides)  # a deep copy


def compare_scenarios(
    base: Assumptions,
    scenarios: list[Scenario],
    evaluate: Callable[[Assumptions], tuple[Metrics, Metrics]],
) -> list[ScenarioResult]:
    """The base case first, then the scenarios in the plan's order."""
    results = [ScenarioResult("", "the plan's assumptions", *evaluate(base))]
    for s in scenarios:
        results.append(ScenarioResult(s.name, s.description, *evaluate(apply_scenario(base, s))))
    return results
