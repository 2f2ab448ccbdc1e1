"""The orders behind the layered graph layout: which edges point back, and who stands where.

- :func:`acyclic_order`: the strongly connected components in topological order (an edge
  between two components always points forward), each component ordered by
  :func:`feedback_order`, the greedy heuristic of Eades, Lin and Smyth (sinks to the back,
  sources to the front, otherwise the node with the most outgoing minus incoming weight),
  kept O((V + E) log V) with heaps.
- :func:`assign_layers`: longest path over the forward edges; a node nobody calls stands
  just left of its nearest callee; a node without edges joins the emptiest layer of its
  group (a group without edges stays in layer 0, free to be put anywhere).
- :func:`compact_layers`: each node moves, as far as its edges allow, toward the middle
  layer of its group, so namespace boxes stay narrow.
- :func:`sweep_orders` and :func:`order_within`: barycentre sweeps, down and up the
  layers, that order each layer by the mean position of its neighbours (fewer crossings).

Deterministic: ties break by the nodes' ids.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping

_SWEEPS = 4
_COMPACT_ROUNDS = 6
_BIG_CYCLE = 12  # a cycle of more nodes than this has its layers squeezed
Point = tuple[float, float]


def acyclic_order(
    ids: list[str], edges: Mapping[tuple[str, str], float]
) -> tuple[list[str], dict[str, int]]:
    """An order of ``ids`` in which every edge outside a cycle points forward, and each
    node's strongly connected component (its members stand together in the order)."""
    succ: dict[str, list[str]] = {v: [] for v in ids}
    for a, b in sorted(edges):
        succ[a].append(b)
    component = _components(ids, succ)
    # components in topological order (Kahn, smallest member first among the ready)
    members: dict[int, list[str]] = {}
    for v in ids:
        members.setdefault(component[v], []).append(v)
    after: dict[int, set[int]] = {c: set() for c in members}
    indegree = dict.fromkeys(members, 0)
    for a, b in edges:
        ca, cb = component[a], component[b]
        if ca != cb and cb not in after[ca]:
            after[ca].add(cb)
            indegree[cb] += 1
    ready = [(min(members[c]), c) for c in members if indegree[c] == 0]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        _, c = heapq.heappop(ready)
        group = members[c]
        if len(group) == 1:
            order.extend(group)
        else:
            inside = set(group)
            local = [
                (a, b, w) for (a, b), w in sorted(edges.items()) if a in inside and b in inside
            ]
            order.extend(feedback_order(sorted(group), local))
        for d in sorted(after[c]):
            indegree[d] -= 1
            if indegree[d] == 0:
                heapq.heappush(ready, (min(members[d]), d))
    return order, component


def _components(ids: list[str], succ: Mapping[str, list[str]]) -> dict[str, int]:
    """Tarjan's strongly connected components, iteratively (no recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    component: dict[str, int] = {}
    counter = 0
    found = 0
    for root in ids:
        if root in index:
            continue
        work = [(root, 0)]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            v, i = work[-1]
            nexts = succ[v]
            if i < len(nexts):
                work[-1] = (v, i + 1)
                u = nexts[i]
                if u not in index:
                    index[u] = low[u] = counter
                    counter += 1
                    stack.append(u)
                    on_stack.add(u)
                    work.append((u, 0))
                elif u in on_stack:
                    low[v] = min(low[v], index[u])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
            if low[v] == index[v]:
                while True:
                    u = stack.pop()
                    on_stack.discard(u)
                    component[u] = found
                    if u == v:
                        break
                found += 1
    return component


def feedback_order(ids: list[str], edges: list[tuple[str, str, float]]) -> list[str]:
    """An order of ``ids`` in which heavy edges mostly point forward (Eades-Lin-Smyth)."""
    out: dict[str, dict[str, float]] = {v: {} for v in ids}
    inc: dict[str, dict[str, float]] = {v: {} for v in ids}
    for a, b, w in edges:
        out[a][b] = out[a].get(b, 0.0) + w
        inc[b][a] = inc[b].get(a, 0.0) + w
    out_w = {v: sum(out[v].values()) for v in ids}
    in_w = {v: sum(inc[v].values()) for v in ids}
    out_n = {v: len(out[v]) for v in ids}
    in_n = {v: len(inc[v]) for v in ids}
    remaining = set(ids)
    front: list[str] = []
    back: list[str] = []
    sinks = [v for v in ids if out_n[v] == 0]
    sources = [v for v in ids if in_n[v] == 0 and out_n[v] > 0]
    heapq.heapify(sinks)
    heapq.heapify(sources)
    delta = [(-(out_w[v] - in_w[v]), v) for v in ids]
    heapq.heapify(delta)

    def remove(v: str) -> None:
        remaining.discard(v)
        for u, w in out[v].items():
            if u in remaining:
                in_w[u] -= w
                in_n[u] -= 1
                heapq.heappush(delta, (-(out_w[u] - in_w[u]), u))
                if in_n[u] == 0:
                    heapq.heappush(sources, u)
        for u, w in inc[v].items():
            if u in remaining:
                out_w[u] -= w
                out_n[u] -= 1
                heapq.heappush(delta, (-(out_w[u] - in_w[u]), u))
                if out_n[u] == 0:
                    heapq.heappush(sinks, u)

    while remaining:
        if sinks:
            v = heapq.heappop(sinks)
            if v in remaining and out_n[v] == 0:
                back.append(v)
                remove(v)
            continue
        if sources:
            v = heapq.heappop(sources)
            if v in remaining and in_n[v] == 0:
                front.append(v)
                remove(v)
            continue
        score, v = heapq.heappop(delta)
        if v in remaining and -score == out_w[v] - in_w[v]:
            front.append(v)
            remove(v)
    return front + back[::-1]


def sweep_orders(
    layer: Mapping[str, int], count: int, forward: list[tuple[str, str]]
) -> dict[str, float]:
    """Each node's place in its layer (0 to 1) after barycentre sweeps down and up."""
    layers: list[list[str]] = [[] for _ in range(count)]
    for v in sorted(layer):
        layers[layer[v]].append(v)
    pred: dict[str, list[str]] = {}
    succ: dict[str, list[str]] = {}
    for a, b in forward:
        succ.setdefault(a, []).append(b)
        pred.setdefault(b, []).append(a)
    position: dict[str, float] = {}

    def number(members: list[str]) -> None:
        for j, v in enumerate(members):
            position[v] = (j + 0.5) / len(members)

    for members in layers:
        number(members)
    for sweep in range(_SWEEPS):
        down = sweep % 2 == 0
        links = pred if down else succ
        for members in layers if down else reversed(layers):

            def centre(v: str, links: Mapping[str, list[str]] = links) -> float:
                near = links.get(v)
                if not near:
                    return position[v]
                return sum(position[u] for u in near) / len(near)

            members.sort(key=lambda v: (centre(v), v))
            number(members)
    return position


def assign_layers(
    order: list[str],
    forward: list[tuple[str, str]],
    component: Mapping[str, int],
    linked: set[str],
    groups: list[list[str]],
) -> dict[str, int]:
    """Each node's layer: an edge between two components goes from a lower layer to a
    higher one; inside a large cycle the layers are squeezed to about the square root of
    its size (a long chain of edges that are all in one cycle would make a ribbon)."""
    size: dict[int, int] = {}
    for v in order:
        size[component[v]] = size.get(component[v], 0) + 1
    hard_pred: dict[str, list[str]] = {}
    soft_pred: dict[str, list[str]] = {}
    for a, b in forward:
        (hard_pred if component[a] != component[b] else soft_pred).setdefault(b, []).append(a)
    layer = dict.fromkeys(order, 0)
    start = 0
    while start < len(order):  # one component at a time, in topological order
        c = component[order[start]]
        end = start + size[c]
        chunk = order[start:end]
        entry = {v: max((layer[p] + 1 for p in hard_pred.get(v, ())), default=0) for v in chunk}
        depth = dict.fromkeys(chunk, 0)
        for v in chunk:
            depth[v] = max((depth[p] + 1 for p in soft_pred.get(v, ())), default=0)
        deepest = max(depth.values()) + 1
        cap = max(2, math.ceil(math.sqrt(len(chunk))))
        if len(chunk) > _BIG_CYCLE and deepest > cap:
            depth = {v: d * cap // deepest for v, d in depth.items()}
        base = max(entry[v] - depth[v] for v in chunk)
        for v in chunk:
            layer[v] = base + depth[v]
        start = end
    strict = [(a, b) for a, b in forward if layer[a] < layer[b]]
    succ: dict[str, list[str]] = {}
    pred: dict[str, list[str]] = {}
    for a, b in strict:
        succ.setdefault(a, []).append(b)
        pred.setdefault(b, []).append(a)
    for v in reversed(order):  # nobody calls it: stand just left of the nearest callee
        if v not in pred and v in succ:
            layer[v] = min(layer[u] for u in succ[v]) - 1
    compact_layers(order, layer, pred, succ, [g for g in groups if len(g) > 1], linked)
    used = sorted({layer[v] for v in order if v in linked}) or [0]
    renumber = {n: i for i, n in enumerate(used)}
    for v in order:
        layer[v] = renumber.get(layer[v], 0)
    for members in groups:
        placed = [layer[v] for v in members if v in linked]
        if not placed:
            for v in members:
                layer[v] = 0
            continue
        middle = sorted(placed)[len(placed) // 2]
        tally = {n: placed.count(n) for n in range(min(placed), max(placed) + 1)}
        for v in members:
            if v not in linked:
                spot = min(tally, key=lambda n: (tally[n], abs(n - middle), n))
                layer[v] = spot
                tally[spot] += 1
    return layer


def compact_layers(
    order: list[str],
    layer: dict[str, int],
    pred: Mapping[str, list[str]],
    succ: Mapping[str, list[str]],
    groups: list[list[str]],
    linked: set[str],
) -> None:
    """Move each node, within what its edges allow, toward the middle layer of its group,
    so that namespace boxes stay narrow. Every move keeps callers left of callees."""
    if not groups:
        return
    last = max(layer.values())
    group_of = {v: i for i, members in enumerate(groups) for v in members if v in linked}
    for _ in range(_COMPACT_ROUNDS):
        middle: dict[int, int] = {}
        for i, members in enumerate(groups):
            placed = sorted(layer[v] for v in members if v in linked)
            if placed:
                middle[i] = placed[len(placed) // 2]
        moved = False
        for v in order:
            group = group_of.get(v)
            if group is None:
                continue
            low = max((layer[u] + 1 for u in pred.get(v, ())), default=0)
            high = min((layer[u] - 1 for u in succ.get(v, ())), default=last)
            spot = min(max(middle[group], low), high)
            if spot != layer[v]:
                layer[v] = spot
                moved = True
        if not moved:
            return


def order_within(
    members_at: Mapping[tuple[str, int], list[str]],
    slots_of: Mapping[str, list[Point]],
    spots: dict[str, Point],
    forward: list[tuple[str, str]],
    heights: Mapping[str, float],
) -> dict[str, Point]:
    """Reorder the members of each group and layer by the height of their neighbours
    (``slots_of`` holds each group and layer's places, keyed ``group\0layer``)."""
    pred: dict[str, list[str]] = {}
    succ: dict[str, list[str]] = {}
    for a, b in forward:
        succ.setdefault(a, []).append(b)
        pred.setdefault(b, []).append(a)
    keys = sorted(members_at, key=lambda k: (k[1], k[0]))
    for sweep in range(3):
        links = succ if sweep % 2 else pred
        for block, n in keys if sweep % 2 == 0 else reversed(keys):
            members = members_at[(block, n)]
            if len(members) < 2:
                continue
            points = slots_of[f"{block}\0{n}"]

            def centre(v: str, links: Mapping[str, list[str]] = links) -> float:
                near = links.get(v)
                if not near:
                    return spots[v][1]
                return sum(spots[u][1] + heights[u] / 2 for u in near) / len(near)

            ranked = sorted(members, key=lambda v: (centre(v), v))
            for v, p in zip(ranked, sorted(points, key=lambda p: (p[1], p[0])), strict=True):
                spots[v] = p
    return spots
