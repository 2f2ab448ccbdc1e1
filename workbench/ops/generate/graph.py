"""Who calls whom in a synthetic estate: mostly acyclic layers, a few cycles.

Frontends call APIs; APIs call APIs further down (later in their cluster's order, so
the bulk is acyclic), their datastores and the telemetry collector; workers and batch
jobs call datastores and APIs. A few APIs call back the API that calls them (a cycle),
some calls cross namespaces and, with several clusters, a few cross clusters.
"""

from __future__ import annotations

import random

from workbench.ops.generate.calls import Call
from workbench.ops.generate.layout import Member, Space

_FANOUT = (0, 1, 1, 2, 2, 3)
_STORES = (0, 1, 1, 1, 2)
CYCLE_SHARE = 0.04
CROSS_NAMESPACE_SHARE = 0.2
CROSS_CLUSTER_SHARE = 0.03


class _Index:
    def __init__(self, spaces: list[Space]) -> None:
        self.apis: dict[str, list[Member]] = {}
        self.stores: dict[str, list[Member]] = {}
        self.platform: dict[str, dict[str, Member]] = {}
        self.ns_apis: dict[str, list[Member]] = {}
        self.ns_stores: dict[str, list[Member]] = {}
        self.position: dict[str, int] = {}  # in the cluster's API order
        self.ns_position: dict[str, int] = {}  # in the namespace's API order
        for space in spaces:
            cluster, ns_key = space.namespace.cluster, space.namespace.key
            apis = self.apis.setdefault(cluster, [])
            stores = self.stores.setdefault(cluster, [])
            self.ns_apis[ns_key] = []
            self.ns_stores[ns_key] = []
            for m in space.members:
                if not m.services:
                    continue
                if m.profile.role == "api":
                    self.position[m.workload.key] = len(apis)
                    self.ns_position[m.workload.key] = len(self.ns_apis[ns_key])
                    apis.append(m)
                    self.ns_apis[ns_key].append(m)
                elif m.profile.role == "datastore":
                    stores.append(m)
                    self.ns_stores[ns_key].append(m)
                elif space.platform:
                    self.platform.setdefault(cluster, {})[m.recipe] = m


class _Calls:
    def __init__(self, caller: Member) -> None:
        self.caller = caller
        self.calls: list[Call] = []
        self.seen = {caller.workload.key}

    def add(self, target: Member, cross_cluster: bool = False) -> bool:
        key = target.workload.key
        if key in self.seen or not target.services:
            return False
        self.seen.add(key)
        self.calls.append(Call(target.workload, target.services[0], target.profile, cross_cluster))
        return True


def _choice(rng: random.Random, items: list[Member]) -> Member | None:
    return items[rng.randrange(len(items))] if items else None


def plan_calls(rng: random.Random, spaces: list[Space]) -> list[tuple[Member, list[Call]]]:
    """Each workload with the calls it makes, in the estate's order."""
    index = _Index(spaces)
    clusters = list(index.apis)
    back: dict[str, list[Member]] = {}
    result: list[tuple[Member, list[Call]]] = []
    for space in spaces:
        cluster, ns_key = space.namespace.cluster, space.namespace.key
        ns_apis, ns_stores = index.ns_apis[ns_key], index.ns_stores[ns_key]
        apis, stores = index.apis[cluster], index.stores[cluster]
        platform = index.platform.get(cluster, {})
        for m in space.members:
            c = _Calls(m)
            role = m.profile.role
            for caller in back.pop(m.workload.key, []):
                c.add(caller)
            if role == "web":
                for _ in range(1 + rng.randrange(3)):
                    t = (
                        _choice(rng, ns_apis)
                        if ns_apis and rng.random() < 0.7
                        else _choice(rng, apis)
                    )
                    if t is not None:
                        c.add(t)
            elif role == "api":
                _api_calls(rng, c, index, ns_apis, apis, back)
                for _ in range(_STORES[rng.randrange(len(_STORES))]):
                    t = _choice(rng, ns_stores if rng.random() < 0.9 else stores)
                    if t is not None:
                        c.add(t)
            elif role in {"worker", "batch"}:
                kafka = [s for s in ns_stores if s.recipe == "kafka"] or ns_stores
                for _ in range(1 + (role == "worker" and rng.random() < 0.5)):
                    t = _choice(rng, kafka if role == "worker" else ns_stores)
                    if t is not None:
                        c.add(t)
                if rng.random() < 0.5 or not c.calls:
                    t = _choice(rng, ns_apis or apis)
                    if t is not None:
                        c.add(t)
            elif m.recipe == "log-shipper" and "collector" in platform:
                c.add(platform["collector"])
            if role in {"web", "api", "worker"}:
                if "collector" in platform and rng.random() < 0.3:
                    c.add(platform["collector"])
                if "statsd" in platform and rng.random() < 0.1:
                    c.add(platform["statsd"])
                if len(clusters) > 1 and role != "worker" and rng.random() < CROSS_CLUSTER_SHARE:
                    other = clusters[rng.randrange(len(clusters))]
                    t = _choice(rng, index.apis[other]) if other != cluster else None
                    if t is not None:
                        c.add(t, cross_cluster=True)
            result.append((m, c.calls))
    return result


def _api_calls(
    rng: random.Random,
    c: _Calls,
    index: _Index,
    ns_apis: list[Member],
    apis: list[Member],
    back: dict[str, list[Member]],
) -> None:
    """Calls to APIs later in the order (acyclic); now and then a call back (a cycle)."""
    key = c.caller.workload.key
    q = index.ns_position[key]
    for _ in range(_FANOUT[rng.randrange(len(_FANOUT))]):
        t = ns_apis[q + 1 + rng.randrange(len(ns_apis) - q - 1)] if q + 1 < len(ns_apis) else None
        if t is not None and c.add(t) and rng.random() < CYCLE_SHARE:
            back.setdefault(t.workload.key, []).append(c.caller)
    p = index.position[key]
    if p + 1 < len(apis) and rng.random() < CROSS_NAMESPACE_SHARE:
        c.add(apis[p + 1 + rng.randrange(len(apis) - p - 1)])
