"""An independent reading of env var addresses, used to check generated call graphs.

``stated_edges`` resolves every address in every env var of an inventory to the workloads
its Service selects, without using the generator's own code.
"""

from __future__ import annotations

import re

from workbench.domain.inventory import Inventory, Workload

_SCHEME = re.compile(r"^[a-z][a-z0-9+.:-]*://")
CLUSTERSET = ".svc.clusterset.local"
CLUSTER_LOCAL = ".svc.cluster.local"


def hosts_of(value: str) -> list[str]:
    """The host names an env value lists (``jdbc:postgresql://h:5432`` -> ``h``)."""
    hosts = []
    for item in value.split(","):
        item = _SCHEME.sub("", item.strip())
        item = re.split(r"[/?;]", item, maxsplit=1)[0]
        item = item.rpartition("@")[2]
        host = item.rsplit(":", 1)[0] if re.search(r":\d+$", item) else item
        if host:
            hosts.append(host)
    return hosts


def resolve(inv: Inventory, caller: Workload, host: str) -> str | None:
    """The Service key a host names from ``caller``'s point of view, or None."""
    cluster = caller.cluster
    if host.endswith(CLUSTERSET):
        svc, ns = host[: -len(CLUSTERSET)].split(".")
        owners = [n.cluster for n in inv.namespaces.values() if n.name == ns]
        if len(owners) != 1:
            return None
        cluster = owners[0]
    else:
        for suffix in (CLUSTER_LOCAL, ".svc"):
            if host.endswith(suffix):
                host = host[: -len(suffix)]
                break
        labels = host.split(".")
        if len(labels) > 2:
            return None
        svc, ns = labels[0], (labels[1] if len(labels) == 2 else caller.namespace)
    key = f"{cluster}/{ns}/{svc}"
    return key if key in inv.services else None


def stated_edges(inv: Inventory) -> dict[tuple[str, str], set[str]]:
    """(caller, callee) -> env var names whose values name a Service selecting the callee."""
    edges: dict[tuple[str, str], set[str]] = {}
    for w in inv.workloads.values():
        for c in (*w.containers, *w.init_containers):
            for var, value in c.env.items():
                for host in hosts_of(value) if value else []:
                    svc = resolve(inv, w, host)
                    if svc is None:
                        continue
                    for callee in inv.selected_workloads(inv.services[svc]):
                        edges.setdefault((w.key, callee.key), set()).add(var)
    return edges


def test_hosts_of_reads_the_usual_forms() -> None:
    assert hosts_of("orders-api") == ["orders-api"]
    assert hosts_of("orders-api.orders:8080") == ["orders-api.orders"]
    assert hosts_of("jdbc:postgresql://db.ns.svc.cluster.local:5432") == ["db.ns.svc.cluster.local"]
    assert hosts_of("http://a:8080,b.x:9090") == ["a", "b.x"]
    assert hosts_of("redis://cache:6379/0") == ["cache"]
