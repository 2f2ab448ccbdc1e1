"""Groups of workloads that move together, and their order: the auto-planner's input.

A unit is a call cycle (restricted to the workloads being planned), or a whole
namespace for the namespaces kept whole. A unit larger than a wave is cut into pieces
that fit (:func:`fit_capacity`), so the capacity always holds. Units are ordered by
environment stage (non-production first), then by height in the unit graph (callees before callers),
then by namespace and key, so the same plan always gives the same order.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

import networkx as nx

from workbench.domain.planning.context import PlanningContext
from workbench.domain.planning.graph import topological_order
from workbench.domain.planning.maintenance import ALL_DAYS


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
    critical: bool = False  # a member is critical (business metadata): planned late
    team: str = ""  # owner team (business metadata): a team's units side by side
    # weekdays every member's maintenance window allows (business metadata); empty when
    # the members' windows share no day
    days: frozenset[int] = ALL_DAYS

    @property
    def size(self) -> int:
        return len(self.members)


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
    ctx: PlanningContext,
    keys: list[str],
    whole_namespaces: set[str] | frozenset[str],
    env_order: tuple[str, ...],
) -> list[Unit]:
    """Units over ``keys`` (sorted), in planning order; a namespace in
    ``whole_namespaces`` is one unit with every call cycle it touches."""
    graph = ctx.graph
    uf = _UnionFind(keys)
    first_of: dict[object, str] = {}
    for key in keys:
        groups: list[object] = [("c", graph.component_of[key])]
        ns = ctx.namespace_of(key)
        if ns in whole_namespaces:
            groups.append(("n", ns))
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


def fit_capacity(
    ctx: PlanningContext, units: list[Unit], max_workloads: int | None, max_pods: int | None
) -> tuple[list[Unit], list[Unit]]:
    """Cut every unit larger than a wave into consecutive pieces that fit, keeping its
    place in the order; returns the units and those in which a call cycle larger than a
    wave was cut (the schedule rules report it). Pieces keep the call cycles within a
    unit (a namespace kept whole) together when they fit a wave. A single workload with
    more pods than ``max_pods`` stays a piece of its own: it cannot be cut."""
    out: list[Unit] = []
    cut: list[Unit] = []
    pods_of = {k: ctx.inventory.workloads[k].pods for u in units for k in u.members}
    caps = (max_workloads, max_pods)
    for unit in units:
        if _fits(unit.size, unit.pods, max_workloads, max_pods):
            out.append(unit)
            continue
        piece: list[str] = []
        pods = 0
        for cycle in _cycles(ctx, unit.members):
            size = sum(pods_of[k] for k in cycle)
            whole = _fits(len(cycle), size, max_workloads, max_pods)
            if not whole and len(cycle) > 1 and (not cut or cut[-1] is not unit):
                cut.append(unit)  # a call cycle larger than a wave: it is cut
            if piece and whole and not _fits(len(piece) + len(cycle), pods + size, *caps):
                out.append(_piece(unit, piece, pods))  # a cycle that fits stays whole
                piece, pods = [], 0
            for key in cycle:
                if piece and not _fits(len(piece) + 1, pods + pods_of[key], *caps):
                    out.append(_piece(unit, piece, pods))
                    piece, pods = [], 0
                piece.append(key)
                pods += pods_of[key]
        out.append(_piece(unit, piece, pods))
    return out, cut


def _cycles(ctx: PlanningContext, members: list[str]) -> list[list[str]]:
    """The unit's members grouped by call cycle, in the order of their first member."""
    groups: dict[int, list[str]] = {}
    for key in members:
        groups.setdefault(ctx.graph.component_of[key], []).append(key)
    return list(groups.values())


def _fits(count: int, pods: int, max_workloads: int | None, max_pods: int | None) -> bool:
    return (max_workloads is None or count <= max_workloads) and (
        max_pods is None or pods <= max_pods
    )


def _piece(unit: Unit, members: list[str], pods: int) -> Unit:
    """A part of ``unit``: everything else it knows (stage, risk, team, windows) carries over."""
    return replace(unit, key=members[0], members=members, pods=pods)


def pack(units: list[Unit], max_workloads: int | None, max_pods: int | None) -> list[list[Unit]]:
    """Fill waves in order, fewest waves under the capacity: a new wave starts only when
    nothing of the current height fits or the environment stage changes. A unit larger
    than the capacity (kept whole on request) gets a wave of its own. Units join a wave
    only while their maintenance windows still share a weekday with it."""
    waves: list[list[Unit]] = []
    current: list[Unit] = []
    count = pods = 0
    days = ALL_DAYS

    def fits(u: Unit) -> bool:
        return (
            (max_workloads is None or count + u.size <= max_workloads)
            and (max_pods is None or pods + u.pods <= max_pods)
            and (not u.days or bool(days & u.days))
        )

    def close() -> None:
        nonlocal current, count, pods, days
        if current:
            waves.append(current)
        current, count, pods, days = [], 0, 0, ALL_DAYS

    groups: dict[tuple[int, bool, int], list[Unit]] = defaultdict(list)
    for u in units:
        groups[(u.stage, u.critical, u.height)].append(u)
    stage = None
    for (st, _, _), pending in sorted(groups.items()):
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
                    days = days & u.days if u.days else days
                    added = True
                else:
                    rest.append(u)
            if not added and rest:
                if not current:
                    current.append(rest.pop(0))  # over the capacity on its own
                close()
            pending = rest
    close()
    return waves
