"""Latency the mesh adds along the longest call chains, once every scheduled wave is done.

A hop is one call from a caller workload to a callee. With both ends meshed it crosses
two proxies and adds the per-hop figure of the callee's data plane (sidecar; ambient
L4; ambient with a waypoint in the callee's namespace); with one end meshed, half of
that end's figure; with neither, nothing. Figures are in :class:`LatencySettings`
(Istio's published p90/p99 for two proxies). Chains start at entry points (workloads
nobody calls); call cycles are collapsed to one step, since a chain cannot loop forever.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from workbench.domain.assumptions import LatencySettings, OverheadProfile
from workbench.domain.dependencies import Dependencies
from workbench.domain.inventory import Inventory
from workbench.domain.schedule import Schedule

USE_WAYPOINT = "istio.io/use-waypoint"


@dataclass(frozen=True, slots=True)
class CallChain:
    workloads: tuple[str, ...]
    hops: int
    added_p90_ms: float
    added_p99_ms: float


def _side_figures(mode: str | None, waypoint: bool, s: LatencySettings) -> tuple[float, float]:
    if mode == "sidecar":
        return s.sidecar_p90_ms, s.sidecar_p99_ms
    if mode == "ambient":
        return (
            (s.waypoint_p90_ms, s.waypoint_p99_ms)
            if waypoint
            else (
                s.ambient_p90_ms,
                s.ambient_p99_ms,
            )
        )
    return 0.0, 0.0


def _modes(inventory: Inventory, schedule: Schedule) -> dict[str, str]:
    modes: dict[str, str] = {}
    for key, w in inventory.workloads.items():
        if w.mesh.ambient:
            modes[key] = "ambient"
        elif w.mesh.injected:
            modes[key] = "sidecar"
    for wave in schedule.waves:
        for key in wave.members:
            modes[key] = wave.mode
    return modes


def hop_latency(
    caller_mode: str | None,
    callee_mode: str | None,
    callee_waypoint: bool,
    s: LatencySettings,
) -> tuple[float, float]:
    """Added (p90, p99) milliseconds of one call."""
    if caller_mode and callee_mode:
        return _side_figures(callee_mode, callee_waypoint, s)
    if caller_mode or callee_mode:
        p90, p99 = _side_figures(caller_mode or callee_mode, callee_waypoint, s)
        return p90 / 2.0, p99 / 2.0
    return 0.0, 0.0


def longest_chains(
    inventory: Inventory,
    dependencies: Dependencies,
    schedule: Schedule,
    settings: LatencySettings,
    profile: OverheadProfile,
    limit: int = 5,
) -> list[CallChain]:
    """The chains with the most added p99 latency, one per end point, worst first."""
    modes = _modes(inventory, schedule)
    ns_labels = {k: ns.labels for k, ns in inventory.namespaces.items()}

    def waypoint(key: str) -> bool:
        w = inventory.workloads.get(key)
        if w is None:
            return False
        return (
            profile.waypoint_every_namespace
            or USE_WAYPOINT in w.labels
            or USE_WAYPOINT in ns_labels.get(w.namespace_key, {})
        )

    graph = nx.DiGraph()
    for e in dependencies.edges.values():
        if e.caller != e.callee:
            graph.add_edge(e.caller, e.callee)
    if graph.number_of_edges() == 0:
        return []
    dag = nx.condensation(graph)
    members = {n: sorted(dag.nodes[n]["members"]) for n in dag.nodes}
    best: dict[int, tuple[float, float, int, int | None]] = {}
    for node in nx.topological_sort(dag):
        entry = (0.0, 0.0, 0, None)
        for pred in dag.predecessors(node):
            p90, p99, hops, _ = best[pred]
            callee = members[node][0]
            callers = [c for c in members[pred] if graph.has_edge(c, callee)] or members[pred]
            h90, h99 = hop_latency(
                modes.get(callers[0]), modes.get(callee), waypoint(callee), settings
            )
            cand = (p90 + h90, p99 + h99, hops + 1, pred)
            if (cand[1], cand[2]) > (entry[1], entry[2]):
                entry = cand
        best[node] = entry
    ends = sorted(
        (n for n in dag.nodes if dag.out_degree(n) == 0 and best[n][2] > 0),
        key=lambda n: (-best[n][1], -best[n][2], members[n][0]),
    )[:limit]
    chains = []
    for end in ends:
        path: list[str] = []
        step: int | None = end
        while step is not None:
            path.append(members[step][0])
            step = best[step][3]
        p90, p99, hops, _ = best[end]
        chains.append(CallChain(tuple(reversed(path)), hops, p90, p99))
    return chains
