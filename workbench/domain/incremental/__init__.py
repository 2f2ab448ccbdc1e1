"""Incremental readiness: after an edit, re-evaluate only the subjects it can affect."""

from workbench.domain.incremental.readiness import IncrementalReadiness
from workbench.domain.incremental.scope import Scope, schedule_signature

__all__ = ["IncrementalReadiness", "Scope", "schedule_signature"]
