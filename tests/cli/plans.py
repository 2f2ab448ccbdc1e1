"""Plans for the command-line tests, complete enough to be saved."""

from __future__ import annotations

from workbench.domain.inventory import Cluster
from workbench.domain.plan import Plan


def with_clusters(plan: Plan) -> Plan:
    """``plan`` with an entry for every cluster its inventory names (a plan file lists
    them); the planning tests' small plans leave them out."""
    inv = plan.inventory
    named = {e.cluster for e in (*inv.namespaces.values(), *inv.workloads.values())}
    for name in sorted(named - set(inv.clusters)):
        inv.clusters[name] = Cluster(name)
    return plan
