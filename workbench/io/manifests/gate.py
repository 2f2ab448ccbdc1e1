"""Which workloads may be locked down (STRICT mTLS, ALLOW by principal), and why not.

A lockdown rejects every call it does not know. So a workload is held back, kept
PERMISSIVE with its AuthorizationPolicy in dry-run and an "observe" step in the runbook,
while its callers are not known completely (runtime observation over the minimum
window, or a person's confirmation: :mod:`workbench.domain.evidence`) or any of them
would arrive in plaintext (an init container that runs before
a classic sidecar, a caller that addresses pod IPs). A workload reached from outside the
mesh waits for the named entry cut-over, after which its clients come through the
ingress gateway. So is a workload called by a Job or a bare Pod: those have no pod
template to patch and join only when re-created by hand, which a new import confirms.
Native sidecars, where the target Istio and the cluster's Kubernetes
allow them, let init containers and Jobs use the proxy, so they are set instead of
holding the callees back.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from workbench.domain.simulation.facts import minor

if TYPE_CHECKING:
    from workbench.io.manifests.context import ExportContext

NATIVE_ANNOTATION = "sidecar.istio.io/nativeSidecar"
NATIVE_ANNOTATION_ISTIO = (1, 20)  # the per-pod annotation
NATIVE_KUBERNETES = (1, 29)  # SidecarContainers on by default (beta)
NATIVE_KINDS = ("Job", "CronJob")
RECREATED_KINDS = ("Job", "Pod")  # no pod template to patch, no restart


class LockdownGate:
    def __init__(self, ctx: ExportContext) -> None:
        self.ctx = ctx
        facts = ctx.facts
        self.native_ok = self._native_clusters()
        self.native_patch: set[str] = set()
        for key, w in facts.workloads.items():
            wants = key in facts.network_init or w.kind in NATIVE_KINDS
            if (
                wants
                and w.cluster in self.native_ok
                and w.cluster not in facts.native_clusters
                and w.annotations.get(NATIVE_ANNOTATION) not in ("true", "false")
            ):
                self.native_patch.add(key)
        self.held: dict[str, list[str]] = defaultdict(list)
        for call in facts.calls:
            if call.what == "init" and not self.native(call.caller):
                names = ", ".join(facts.network_init[call.caller])
                self.held[call.callee].append(
                    f"init container(s) {names} of {call.caller} call it before their proxy runs"
                )
            elif call.what == "edge" and call.plaintext:
                self.held[call.callee].append(f"{call.caller}: {call.plaintext}")
            elif call.what == "edge" and facts.workloads[call.caller].host_network:
                self.held[call.callee].append(
                    f"{call.caller} uses the host network: it never gets a proxy"
                )
            elif call.what == "edge" and self._recreated(call.caller):
                kind = facts.workloads[call.caller].kind
                self.held[call.callee].append(
                    f"{call.caller} is a {kind}: it has a proxy only once re-created "
                    "(import again to confirm)"
                )
        self.peers = frozenset(c.callee for c in facts.calls if c.what == "peer")
        self.evidence = facts.evidence
        for key in facts.workloads:
            found = self.evidence.get(key)
            if found is not None and found.callers != "complete":
                why = found.reasons[0] if found.reasons else "no evidence"
                self.held[key].append(f"callers {found.callers}: {why}")
        self.exposed = frozenset(facts.exposed) | {
            k for k, e in self.evidence.items() if e.external_callers and k in facts.workloads
        }

    def _recreated(self, key: str) -> bool:
        """A workload whose pods only join when someone re-creates them by hand."""
        w = self.ctx.facts.workloads[key]
        return w.kind in RECREATED_KINDS and not (w.mesh.injected or w.mesh.ambient)

    def _native_clusters(self) -> set[str]:
        """Clusters where the per-pod native-sidecar annotation works."""
        istio = minor(self.ctx.istio_version)
        if istio is None or istio < NATIVE_ANNOTATION_ISTIO:
            return set()
        out = set()
        for name, cluster in self.ctx.plan.inventory.clusters.items():
            versions = [minor(v) for v in cluster.nodes.kubelet_versions]
            if not versions and cluster.server_version:
                versions = [minor(cluster.server_version)]
            if versions and all(v is not None and v >= NATIVE_KUBERNETES for v in versions):
                out.add(name)
        return out

    def native(self, key: str) -> bool:
        """Whether the workload's proxy starts before its init containers after the export."""
        w = self.ctx.facts.workloads[key]
        override = w.annotations.get(NATIVE_ANNOTATION)
        if override in ("true", "false"):
            return override == "true"
        return key in self.native_patch or w.cluster in self.ctx.facts.native_clusters

    def reasons(self, key: str) -> list[str]:
        """Why the workload cannot be locked down at all under this plan (for now)."""
        return sorted(set(self.held.get(key, ())))

    def entry(self, key: str) -> bool:
        """Reached from outside the mesh: its lockdown waits for the entry cut-over."""
        return key in self.exposed
