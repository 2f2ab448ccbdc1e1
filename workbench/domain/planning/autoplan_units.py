"""Groups of workloads that move together, and their order: the auto-planner's input.

A unit is a call cycle (restricted to the workloads being planned), or a whole
namespace when namespaces are kept whole. Units are ordered by environment stage
(non-production first), then by height in the unit graph (callees before callers),
then by namespace and key, so the same plan always gives the same order.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import networkx as nx

from workbench.domain.planning.catalogue import HIGH_FAN_IN
from workbench.domain.planning.context import PlanningContext
from workbench.domain.planning.graph import topological_order
from workbench.domain.planning.readiness_input import HIGH_RISK


@dataclass(slots=True)
class Unit:
    key: str  # the smallest member key: a stable id
    members: list[str]
    pods: int
    stage: int  # index in the environment order; -1 when unknown
    env: str | None
    risk: float
    fan_in: int
    height: int = 0
    namespace: str = ""

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def pilot_safe(self) -> bool:
        return self.risk < HIGH_RISK and self.fan_in < HIGH_FAN_IN


class _UnionFind:
    def __init__(self, keys: list[str]) -> None:
        self.parent = {k: k for k in keys}

    def find(self, key: str) -> str:
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            lo, hi = (ra, rb) if ra < rb else (rb, ra)
            self.parent[hi] = lo


def build_units(
    ctx: PlanningContext, keys: list[str], keep_namespaces: bool, env_order: tuple[str, ...]
) -> list[Unit]:
    """Units over ``keys`` (sorted), in planning order."""
    graph = ctx.graph
    uf = _UnionFind(keys)
    first_of: dict[object, str] = {}
    for key in keys:
        groups: list[object] = [("c", graph.component_of[key])]
        if keep_namespaces:
            groups.append(("n", ctx.namespace_of(key)))
        for g in groups:
            if g in first_of:
                uf.union(first_of[g], key)
            else:
                first_of[g] = key
    members: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        members[uf.find(key)].append(key)
    rank = {env: i for i, env in enumerate(env_order)}
    units: dict[str, Unit] = {}
    for root, ms in members.items():
        envs = [ctx.env_of(k) for k in ms]
        stages = [rank.get(e, -1) if e is not None else -1 for e in envs]
        stage = max(stages)
        units[root] = Unit(
            key=ms[0],
            members=ms,
            pods=sum(ctx.inventory.workloads[k].pods for k in ms),
            stage=stage,
            env=env_order[stage] if stage >= 0 else None,
            risk=max(ctx.readiness.risk_of(k) for k in ms),
            fan_in=max(graph.fan_in(k) for k in ms),
            namespace=ctx.namespace_of(ms[0]),
        )
    _heights(ctx, units, uf)
    return sorted(units.values(), key=lambda u: (u.stage, u.height, u.namespace, u.key))


def _heights(ctx: PlanningContext, units: dict[str, Unit], uf: _UnionFind) -> None:
    """Height of each unit in the unit graph, with cycles between units condensed."""
    roots = sorted(units)
    edges: set[tuple[str, str]] = set()
    for root in roots:
        for key in units[root].members:
            for callee in ctx.graph.callees[key]:
                if callee in uf.parent:
                    target = uf.find(callee)
                    if target != root:
                        edges.add((root, target))
    g: nx.DiGraph[str] = nx.DiGraph()
    g.add_nodes_from(roots)
    g.add_edges_from(sorted(edges))
    comps = sorted(tuple(sorted(c)) for c in nx.strongly_connected_components(g))
    comp_of = {r: i for i, c in enumerate(comps) for r in c}
    succ: list[set[int]] = [set() for _ in comps]
    pred: list[set[int]] = [set() for _ in comps]
    for a, b in edges:
        ca, cb = comp_of[a], comp_of[b]
        if ca != cb:
            succ[ca].add(cb)
            pred[cb].add(ca)
    succ_t = [tuple(sorted(s)) for s in succ]
    order = topological_order([tuple(sorted(p)) for p in pred], succ_t)
    height = [0] * len(comps)
    for c in reversed(order):
        for s in succ_t[c]:
            height[c] = max(height[c], height[s] + 1)
    for root, unit in units.items():
        unit.height = height[comp_of[root]]


def pick_pilot(units: list[Unit], size: int, max_pods: int | None) -> list[Unit]:
    """Lowest risk and lowest fan-in units of the earliest environment stage, up to
    ``size`` workloads (and ``max_pods`` pods)."""
    if size <= 0 or not units:
        return []
    first_stage = min(u.stage for u in units)
    eligible = [u for u in units if u.pilot_safe and u.stage == first_stage]
    eligible.sort(key=lambda u: (u.risk, u.fan_in, u.size, u.key))
    chosen: list[Unit] = []
    count = pods = 0
    for unit in eligible:
        if count + unit.size > size or (max_pods is not None and pods + unit.pods > max_pods):
            continue
        chosen.append(unit)
        count += unit.size
        pods += unit.pods
        if count == size:
            break
    return chosen


def pack(units: list[Unit], max_workloads: int | None, max_pods: int | None) -> list[list[Unit]]:
    """Fill waves in order, fewest waves under the capacity: a new wave starts only when
    nothing of the current height fits or the environment stage changes. A unit larger
    than the capacity gets a wave of its own (it cannot be split)."""
    waves: list[list[Unit]] = []
    current: list[Unit] = []
    count = pods = 0

    def fits(u: Unit) -> bool:
        return (max_workloads is None or count + u.size <= max_workloads) and (
            max_pods is None or pods + u.pods <= max_pods
        )

    def close() -> None:
        nonlocal current, count, pods
        if current:
            waves.append(current)
        current, count, pods = [], 0, 0

    groups: dict[tuple[int, int], list[Unit]] = defaultdict(list)
    for u in units:
        groups[(u.stage, u.height)].append(u)
    stage = None
    for (st, _), pending in sorted(groups.items()):
        if stage is not None and st != stage:
            close()
        stage = st
        while pending:
            rest: list[Unit] = []
            added = False
            for i, u in enumerate(pending):
                if max_workloads is not None and count >= max_workloads:
                    rest.extend(pending[i:])
                    break
                if fits(u):
                    current.append(u)
                    count += u.size
                    pods += u.pods
                    added = True
                else:
                    rest.append(u)
            if not added and rest:
                if not current:
                    current.append(rest.pop(0))
                close()
            pending = rest
    close()
    return waves
