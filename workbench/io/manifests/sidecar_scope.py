"""Sidecar egress scoping: one ``default`` Sidecar per namespace.

The proxies of a namespace only receive configuration for the namespaces their
workloads call (from the dependency graph), their own namespace (``./*``, which also
holds the namespace's ServiceEntries) and the root namespace. Written in the first
sidecar-mode wave of the namespace and covering every workload of the namespace, so
that later waves never need a wider one. Scoping prunes configuration; it is not a
security control (out-of-scope destinations pass through unless the mesh's outbound
policy is REGISTRY_ONLY).
"""

from __future__ import annotations

from workbench.io.manifests.context import ExportContext
from workbench.io.manifests.model import MANAGED_BY, ManifestSet, Obj
from workbench.io.manifests.names import is_dns_label


def egress_hosts(ctx: ExportContext, ns_key: str) -> list[str]:
    own = ns_key.rsplit("/", 1)[1]
    hosts = {"./*", f"{ctx.root_namespace}/*"}
    for key in ctx.ns_workloads.get(ns_key, ()):
        for callee in ctx.graph.callees.get(key, ()):
            ns = ctx.workloads[callee].namespace
            if ns != own and is_dns_label(ns):
                hosts.add(f"{ns}/*")
    return sorted(hosts)


def sidecar(ctx: ExportContext, ns_key: str) -> Obj:
    ns = ns_key.rsplit("/", 1)[1]
    return {
        "apiVersion": ctx.api.networking,
        "kind": "Sidecar",
        "metadata": {"name": "default", "namespace": ns, "labels": dict(MANAGED_BY)},
        "spec": {"egress": [{"hosts": egress_hosts(ctx, ns_key)}]},
    }


def build_sidecars(ctx: ExportContext, out: ManifestSet) -> None:
    done: set[str] = set()
    for slot in ctx.wave_slots:
        if slot.wave is None or slot.wave.mode != "sidecar":
            continue
        for cluster, keys in ctx.members(slot).items():
            for ns_key in sorted({ctx.workloads[k].namespace_key for k in keys}):
                if ns_key not in done:
                    done.add(ns_key)
                    out.add(slot, cluster, sidecar(ctx, ns_key))
