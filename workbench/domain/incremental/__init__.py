"""Incremental readiness: after an edit, re-evaluate only the subjects it can affect.

:mod:`.scope` decides WHAT an edit can affect (the workloads whose inputs changed,
their graph neighbours, and the services, namespaces and clusters around them);
:mod:`.readiness` keeps the readiness rules' findings per subject, re-runs the rules
of :mod:`workbench.domain.readiness` for exactly those subjects and merges the results
into a report equal to a full evaluation. The rules themselves are not touched.
"""

from workbench.domain.incremental.readiness import IncrementalReadiness
from workbench.domain.incremental.scope import Scope, schedule_signature

__all__ = ["IncrementalReadiness", "Scope", "schedule_signature"]
