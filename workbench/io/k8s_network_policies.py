"""NetworkPolicy objects to the inventory's model, and the pass that resolves the ports
a policy names (``http``) against the pods it selects, once every object is read."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from workbench.domain.inventory import NetworkPolicy, NetworkPolicyRule, PolicyPeer, Workload
from workbench.io.k8s_resources import match_labels
from workbench.io.k8s_workloads import as_dict, as_list


def _peer(raw: object) -> PolicyPeer:
    raw = as_dict(raw)
    block = as_dict(raw.get("ipBlock")).get("cidr")
    return PolicyPeer(
        pod_selector=match_labels(raw["podSelector"]) if "podSelector" in raw else None,
        namespace_selector=(
            match_labels(raw["namespaceSelector"]) if "namespaceSelector" in raw else None
        ),
        ip_block=str(block) if block else None,
    )


def network_policy(cluster: str, ns: str, name: str, obj: dict[str, Any]) -> NetworkPolicy:
    spec = as_dict(obj.get("spec"))
    types = [str(t) for t in as_list(spec.get("policyTypes"))]
    if not types:
        types = ["Ingress"] + (["Egress"] if "egress" in spec else [])
    rules = []
    for rule in as_list(spec.get("ingress")):
        rule = as_dict(rule)
        ports: list[int] = []
        names: list[str] = []
        for entry in map(as_dict, as_list(rule.get("ports"))):
            port = entry.get("port")
            if isinstance(port, str) and port.isdigit():
                port = int(port)
            if isinstance(port, int) and not isinstance(port, bool):
                ports.append(port)
            elif isinstance(port, str) and port and port not in names:
                names.append(port)  # resolved against the selected pods once all are read
        peers = [_peer(p) for p in as_list(rule.get("from"))]
        rules.append(NetworkPolicyRule(peers, ports, names))
    return NetworkPolicy(
        cluster=cluster,
        namespace=ns,
        name=name,
        pod_selector=match_labels(spec.get("podSelector")),
        policy_types=types,
        ingress_from=[p for r in rules for p in r.peers],
        ingress_ports=sorted({p for r in rules for p in r.ports}),
        ingress_rules=rules,
    )


def resolve_named_ports(policies: list[NetworkPolicy], workloads: Iterable[Workload]) -> None:
    """Named ports of the policies' rules -> the numbers their selected pods give them.

    A name no selected pod declares stays in ``named_ports`` (it admits nothing there).
    """
    policies = [np for np in policies if any(r.named_ports for r in np.ingress_rules)]
    if not policies:
        return
    by_namespace: dict[str, list[Workload]] = {}
    for w in workloads:
        by_namespace.setdefault(w.namespace, []).append(w)
    for policy in policies:
        selector = policy.pod_selector.items()
        numbers: dict[str, set[int]] = {}
        for w in by_namespace.get(policy.namespace, ()):
            if not all(w.labels.get(k) == v for k, v in selector):
                continue
            for c in (*w.containers, *w.init_containers):
                for p in c.ports:
                    if p.name:
                        numbers.setdefault(p.name, set()).add(p.container_port)
        for rule in policy.ingress_rules:
            unresolved = []
            for name in rule.named_ports:
                if name in numbers:
                    rule.ports.extend(n for n in sorted(numbers[name]) if n not in rule.ports)
                else:
                    unresolved.append(name)
            rule.ports.sort()
            rule.named_ports = unresolved
        policy.ingress_ports = sorted({p for r in policy.ingress_rules for p in r.ports})
