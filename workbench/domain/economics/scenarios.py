"""Scenarios side by side: the base case and every named scenario, evaluated alike."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from workbench.domain.assumption_paths import with_overrides
from workbench.domain.assumptions import Assumptions, Scenario
from workbench.domain.economics.metrics import Metrics


@dataclass(frozen=True, slots=True)
class ScenarioResult:
    name: str  # "" for the base case
    description: str
    metrics: Metrics
    risk_adjusted: Metrics


def compare_scenarios(
    base: Assumptions,
    scenarios: list[Scenario],
    evaluate: Callable[[Assumptions], tuple[Metrics, Metrics]],
) -> list[ScenarioResult]:
    """The base case first, then the scenarios in the plan's order."""
    results = [ScenarioResult("", "the plan's assumptions", *evaluate(base))]
    for s in scenarios:
        results.append(
            ScenarioResult(s.name, s.description, *evaluate(with_overrides(base, s.overrides)))
        )
    return results
