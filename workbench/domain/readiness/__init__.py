"""Readiness: rules that read the inventory and say what will break when a workload
joins the mesh, with a risk score per workload.

One module per group of rules (network, security, protocols, clustered, lifecycle,
capacity, mesh_state, exposure); :mod:`.report` holds the registry ``RULES`` and
:func:`evaluate`.
"""

from workbench.domain.readiness.report import (
    RULES,
    RULES_BY_ID,
    ReadinessReport,
    evaluate,
    risk_score,
)

__all__ = ["RULES", "RULES_BY_ID", "ReadinessReport", "evaluate", "risk_score"]
