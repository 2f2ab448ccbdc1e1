"""External entry points: where a workload can be called from outside the cluster or mesh,
as the inventory states it (LoadBalancer/NodePort Services, hostPorts, Ingress backends)."""

from __future__ import annotations

from collections import defaultdict

from workbench.domain.inventory import Inventory, Service, Workload

EXPOSED_SERVICE_TYPES = ("LoadBalancer", "NodePort")


def _selects(svc: Service, w: Workload) -> bool:
    sel = svc.selector.items()
    return bool(sel) and all(w.labels.get(k) == v for k, v in sel)


def entry_points(inventory: Inventory) -> dict[str, list[str]]:
    """Workload key -> why it can be called from outside (only workloads that can)."""
    found: dict[str, list[str]] = defaultdict(list)
    by_ns: dict[tuple[str, str], list[Workload]] = defaultdict(list)
    for w in inventory.workloads.values():
        by_ns[(w.cluster, w.namespace)].append(w)
        for c in w.containers:
            for p in c.ports:
                if p.host_port:
                    found[w.key].append(f"hostPort {p.host_port} on container {c.name}")
    services = {(s.cluster, s.namespace, s.name): s for s in inventory.services.values()}

    def selected(svc: Service) -> list[Workload]:
        return [w for w in by_ns.get((svc.cluster, svc.namespace), ()) if _selects(svc, w)]

    for svc in inventory.services.values():
        if svc.type in EXPOSED_SERVICE_TYPES:
            for w in selected(svc):
                found[w.key].append(f"{svc.type} Service {svc.namespace}/{svc.name}")
    for ing in inventory.ingresses:
        for backend in sorted(set(ing.backends)):
            target = services.get((ing.cluster, ing.namespace, backend))
            if target is None:
                continue
            for w in selected(target):
                found[w.key].append(f"Ingress {ing.namespace}/{ing.name} (Service {backend})")
    return {k: sorted(set(v)) for k, v in sorted(found.items())}
