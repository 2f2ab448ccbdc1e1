"""The call graph as the planner reads it: cycles, layers, fan-in, entry points, chains.

Nodes are the inventory's current (not vanished) workloads; an edge caller -> callee
exists for every dependency whose ends are both current. Strongly connected components
(cycles of calls) must move together. The condensation of the components is acyclic:
its *layer* counts from the entry side (0: called by nothing), its *height* from the
leaves (0: calls nothing), so ordering by height puts callees before their callers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from workbench.domain.inventory import Inventory, namespace_key
from workbench.domain.plan import Plan

EXTERNAL_SERVICE_TYPES = ("LoadBalancer", "NodePort")


@dataclass(frozen=True, slots=True)
class CallChain:
    """The longest run of calls that starts at an entry point."""

    entry: str
    keys: tuple[str, ...]  # workloads along the chain, the entry point first

    @property
    def length(self) -> int:
        """Number of calls (edges) along the chain."""
        return len(self.keys) - 1


class CallGraph:
    """Graph analysis over one plan's inventory and dependencies (read-only snapshot)."""

    def __init__(self, plan: Plan) -> None:
        inv = plan.inventory
        live = sorted(k for k, w in inv.workloads.items() if not w.vanished)
        self.nodes: tuple[str, ...] = tuple(live)
        callers: dict[str, list[str]] = {k: [] for k in live}
        callees: dict[str, list[str]] = {k: [] for k in live}
        for caller, callee in plan.dependencies.edges:
            if caller != callee and caller in callers and callee in callers:
                callers[callee].append(caller)
                callees[caller].append(callee)
        self.callers: dict[str, tuple[str, ...]] = {k: tuple(sorted(v)) for k, v in callers.items()}
        self.callees: dict[str, tuple[str, ...]] = {k: tuple(sorted(v)) for k, v in callees.items()}
        self._cluster = {k: inv.workloads[k].cluster for k in live}
        self._components()
        self.exposed: frozenset[str] = frozenset(_exposed_workloads(inv))
        self.entry_points: frozenset[str] = frozenset(
            k for k in live if not self.callers[k] or k in self.exposed
        )

    # -- components and layers ---------------------------------------------------------
    def _components(self) -> None:
        graph: nx.DiGraph[str] = nx.DiGraph()
        graph.add_nodes_from(self.nodes)
        graph.add_edges_from((a, b) for a, bs in self.callees.items() for b in bs)
        comps = sorted(tuple(sorted(c)) for c in nx.strongly_connected_components(graph))
        self.components: tuple[tuple[str, ...], ...] = tuple(comps)
        self.component_of: dict[str, int] = {k: i for i, c in enumerate(comps) for k in c}
        succ: list[set[int]] = [set() for _ in comps]
        pred: list[set[int]] = [set() for _ in comps]
        for a, bs in self.callees.items():
            ca = self.component_of[a]
            for b in bs:
                cb = self.component_of[b]
                if ca != cb:
                    succ[ca].add(cb)
                    pred[cb].add(ca)
        self._succ = [tuple(sorted(s)) for s in succ]
        self._pred = [tuple(sorted(p)) for p in pred]
        order = topological_order(self._pred, self._succ)
        layer = [0] * len(comps)
        for c in order:
            for s in self._succ[c]:
                layer[s] = max(layer[s], layer[c] + 1)
        height = [0] * len(comps)
        for c in reversed(order):
            for s in self._succ[c]:
                height[c] = max(height[c], height[s] + 1)
        self.layer: tuple[int, ...] = tuple(layer)
        self.height: tuple[int, ...] = tuple(height)
        self._order = order

    def cycles(self) -> list[tuple[str, ...]]:
        """Components of two or more workloads: call cycles that must move together."""
        return [c for c in self.components if len(c) > 1]

    def component(self, key: str) -> tuple[str, ...]:
        return self.components[self.component_of[key]]

    def height_of(self, key: str) -> int:
        return self.height[self.component_of[key]]

    def layer_of(self, key: str) -> int:
        return self.layer[self.component_of[key]]

    def layers(self) -> list[list[str]]:
        """Workloads by topological layer of the condensation, entry side first."""
        out: list[list[str]] = [[] for _ in range(max(self.layer, default=-1) + 1)]
        for key in self.nodes:
            out[self.layer_of(key)].append(key)
        return out

    # -- degrees and entry points -----------------------------------------------------
    def fan_in(self, key: str) -> int:
        return len(self.callers[key])

    def fan_out(self, key: str) -> int:
        return len(self.callees[key])

    def cross_cluster_peers(self, key: str) -> list[str]:
        """Callers and callees of the workload that run in another cluster."""
        home = self._cluster[key]
        return [k for k in (*self.callers[key], *self.callees[key]) if self._cluster[k] != home]

    def longest_chains(self, limit: int | None = 10) -> list[CallChain]:
        """From each entry point, one longest chain of calls; longest first."""
        depth = [0] * len(self.components)
        step: list[int | None] = [None] * len(self.components)
        for c in reversed(self._order):
            for s in self._succ[c]:
                if depth[s] + 1 > depth[c]:
                    depth[c], step[c] = depth[s] + 1, s
        chains = [self._chain(entry, step) for entry in sorted(self.entry_points)]
        chains.sort(key=lambda ch: (-ch.length, ch.entry))
        return chains if limit is None else chains[:limit]

    def _chain(self, entry: str, step: list[int | None]) -> CallChain:
        keys = [entry]
        comp = self.component_of[entry]
        nxt = step[comp]
        while nxt is not None:
            members = self.components[comp]
            callee = min(b for a in members for b in self.callees[a] if self.component_of[b] == nxt)
            keys.append(callee)
            comp, nxt = nxt, step[nxt]
        return CallChain(entry, tuple(keys))


def topological_order(pred: list[tuple[int, ...]], succ: list[tuple[int, ...]]) -> list[int]:
    """Kahn's order of an acyclic graph given as adjacency lists (deterministic)."""
    indegree = [len(p) for p in pred]
    ready = [i for i, d in enumerate(indegree) if d == 0]
    order: list[int] = []
    while ready:
        node = ready.pop()
        order.append(node)
        for s in succ[node]:
            indegree[s] -= 1
            if indegree[s] == 0:
                ready.append(s)
    return order


def _exposed_workloads(inv: Inventory) -> Iterable[str]:
    """Workloads clients outside the mesh reach directly: LoadBalancer or NodePort
    Services, and backends of Ingresses served by a controller other than Istio."""
    by_namespace: dict[str, list[tuple[str, dict[str, str]]]] = {}
    for w in inv.workloads.values():
        if not w.vanished:
            by_namespace.setdefault(w.namespace_key, []).append((w.key, w.labels))
    backends: set[str] = set()
    for ing in inv.ingresses:
        if "istio" not in (ing.ingress_class or "").lower():
            backends.update(f"{ing.cluster}/{ing.namespace}/{b}" for b in ing.backends)
    for svc in inv.services.values():
        if not svc.selector or (svc.type not in EXTERNAL_SERVICE_TYPES and svc.key not in backends):
            continue
        sel = svc.selector.items()
        for key, labels in by_namespace.get(namespace_key(svc.cluster, svc.namespace), ()):
            if all(labels.get(k) == v for k, v in sel):
                yield key
