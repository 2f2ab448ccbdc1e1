"""Which calls a step can affect, from what it changed.

A call's verdict reads the labels of its two workloads and their namespaces, the
PeerAuthentication and AuthorizationPolicy objects of the callee's namespace and the
root namespace, the DestinationRules of the caller's, the callee's and the root
namespace in the callee's cluster, the Sidecars of the caller's namespace and the root
namespace in the caller's cluster, and, for a client outside the mesh, whether the
callee's cluster has cut entry traffic over. Each call is indexed once under all of
those; a step re-judges the calls indexed under what it changed.
"""

from __future__ import annotations

from collections import defaultdict

from workbench.domain.simulation.facts import EXTERNAL, EstateFacts
from workbench.domain.simulation.state import Dirty

CALLEE_KINDS = ("PeerAuthentication", "AuthorizationPolicy")


class CallIndex:
    def __init__(self, facts: EstateFacts, root: str) -> None:
        self.by_workload: dict[str, list[int]] = defaultdict(list)
        self.by_namespace: dict[str, list[int]] = defaultdict(list)  # namespace labels
        self.by_objects: dict[tuple[str, str, str], list[int]] = defaultdict(list)
        self.by_cutover: dict[str, list[int]] = defaultdict(list)
        workloads = facts.workloads
        for i, call in enumerate(facts.calls):
            t = workloads[call.callee]
            reads = {(t.cluster, kind, ns) for kind in CALLEE_KINDS for ns in (t.namespace, root)}
            ends = [call.callee]
            if call.caller == EXTERNAL:
                self.by_cutover[t.cluster].append(i)
            else:
                c = workloads[call.caller]
                ends.append(call.caller)
                for ns in (c.namespace, t.namespace, root):
                    reads.add((t.cluster, "DestinationRule", ns))
                reads |= {(c.cluster, "Sidecar", c.namespace), (c.cluster, "Sidecar", root)}
            for end in set(ends):
                self.by_workload[end].append(i)
                self.by_namespace[workloads[end].namespace_key].append(i)
            for where in reads:
                self.by_objects[where].append(i)

    def affected(self, dirty: Dirty) -> list[int]:
        """The calls whose verdict the changes in ``dirty`` can alter, in call order."""
        found: set[int] = set()
        for key in dirty.workloads:
            found.update(self.by_workload.get(key, ()))
        for ns in dirty.namespaces:
            found.update(self.by_namespace.get(ns, ()))
        for where in dirty.objects:
            found.update(self.by_objects.get(where, ()))
        for cluster in dirty.cutover:
            found.update(self.by_cutover.get(cluster, ()))
        return sorted(found)
