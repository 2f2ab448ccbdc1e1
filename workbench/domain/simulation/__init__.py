"""Rollout simulator: replays a migration step by step and tells which calls would break."""

from workbench.domain.simulation.facts import EXTERNAL, GATEWAY, estate_calls
from workbench.domain.simulation.model import (
    AT_RISK,
    BROKEN,
    Call,
    LabelChange,
    RolloutStep,
    SimulationReport,
    StepResult,
    Verdict,
)
from workbench.domain.simulation.replay import simulate

__all__ = [
    "AT_RISK",
    "BROKEN",
    "EXTERNAL",
    "GATEWAY",
    "Call",
    "LabelChange",
    "RolloutStep",
    "SimulationReport",
    "StepResult",
    "Verdict",
    "estate_calls",
    "simulate",
]
