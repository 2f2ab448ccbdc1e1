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
Calls = dict[tuple[str, str], list[int]]


class CallIndex:
    def __init__(self, facts: EstateFacts, root: str) -> None:
        self.root = root
        self.by_workload: dict[str, list[int]] = defaultdict(list)
        self.by_ns_key: dict[str, list[int]] = defaultdict(list)  # either end's namespace
        # (cluster, namespace) -> calls, and cluster -> calls, for each end
        self.callee_ns: Calls = defaultdict(list)
        self.caller_ns: Calls = defaultdict(list)
        self.callee_cluster: dict[str, list[int]] = defaultdict(list)
        self.caller_cluster: dict[str, list[int]] = defaultdict(list)
        # (callee's cluster, caller's namespace name) -> calls: DestinationRules
        self.caller_ns_in_callee_cluster: Calls = defaultdict(list)
        self.by_cutover: dict[str, list[int]] = defaultdict(list)
        workloads = facts.workloads
        for i, call in enumerate(facts.calls):
            t = workloads[call.callee]
            self.by_workload[call.callee].append(i)
            self.by_ns_key[t.namespace_key].append(i)
            self.callee_ns[(t.cluster, t.namespace)].append(i)
            self.callee_cluster[t.cluster].append(i)
            if call.caller == EXTERNAL:
                self.by_cutover[t.cluster].append(i)
                continue
            c = workloads[call.caller]
            if call.caller != call.callee:
                self.by_workload[call.caller].append(i)
            if c.namespace_key != t.namespace_key:
                self.by_ns_key[c.namespace_key].append(i)
            self.caller_ns[(c.cluster, c.namespace)].append(i)
            self.caller_cluster[c.cluster].append(i)
            self.caller_ns_in_callee_cluster[(t.cluster, c.namespace)].append(i)

    def _objects(self, cluster: str, kind: str, ns: str) -> list[int]:
        """The calls that read objects of ``kind`` in ``cluster``/``ns``."""
        if kind == "Sidecar":
            if ns == self.root:
                return self.caller_cluster.get(cluster, [])
            return self.caller_ns.get((cluster, ns), [])
        if ns == self.root:
            return self.callee_cluster.get(cluster, [])
        found = self.callee_ns.get((cluster, ns), [])
        if kind == "DestinationRule":
            found = found + self.caller_ns_in_callee_cluster.get((cluster, ns), [])
        return found

    def affected(self, dirty: Dirty) -> list[int]:
        """The calls whose verdict the changes in ``dirty`` can alter, in call order."""
        found: set[int] = set()
        for key in dirty.workloads:
            found.update(self.by_workload.get(key, ()))
        for ns_key in dirty.namespaces:
            found.update(self.by_ns_key.get(ns_key, ()))
        for cluster, kind, ns in dirty.objects:
            found.update(self._objects(cluster, kind, ns))
        for cluster in dirty.cutover:
            found.update(self.by_cutover.get(cluster, ()))
        return sorted(found)
