"""Lookups every manifest builder shares, computed once per export.

Wave members with open readiness blockers are left out of their wave (their pods would
be rejected on restart) unless the export allows blockers. The wave folders (slots) in
apply order, when each workload is meshed (the planner's
convention: at its wave's end), the call graph, the namespace safe-STRICT dates, pod
selectors that pick out one workload, the Services selecting each workload, and which
names are fit for a manifest at all (a name that is not a valid Kubernetes name is left
out with a warning rather than written).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from datetime import date

from workbench.domain.findings import Finding
from workbench.domain.inventory import Service, Workload
from workbench.domain.plan import Plan
from workbench.domain.planning.context import ALREADY, PlanningContext
from workbench.domain.planning.outputs import StrictDate, namespace_strict_dates
from workbench.domain.planning.readiness_input import ReadinessInput
from workbench.domain.readiness import evaluate
from workbench.domain.simulation.facts import (
    GATEWAY_NAMESPACE,
    GATEWAY_SERVICE_ACCOUNT,
    estate_facts,
)
from workbench.io.manifests.gate import LockdownGate
from workbench.io.manifests.model import APPLY, LOCKDOWN, Slot
from workbench.io.manifests.names import (
    ManifestError,
    derived_name,
    is_dns_label,
    is_dns_subdomain,
    is_label_key,
    is_label_value,
    safe_label,
    slug,
)
from workbench.io.manifests.options import ApiVersions, ManifestOptions

# Labels that differ between pods of one workload or say nothing about which app it is.
VOLATILE_LABELS = frozenset(
    {
        "pod-template-hash",
        "controller-revision-hash",
        "statefulset.kubernetes.io/pod-name",
        "job-name",
        "controller-uid",
        "batch.kubernetes.io/job-name",
        "batch.kubernetes.io/controller-uid",
        "apps.kubernetes.io/pod-index",
        "helm.sh/chart",
        "app.kubernetes.io/managed-by",
        "security.istio.io/tlsMode",
        "service.istio.io/canonical-name",
        "service.istio.io/canonical-revision",
        "sidecar.istio.io/inject",
        "istio.io/rev",
        "istio.io/dataplane-mode",
    }
)
APP_LABELS = ("app", "app.kubernetes.io/name", "name", "k8s-app")
CLUSTER_DOMAIN = "svc.cluster.local"
GATEWAY_SELECTOR = {"istio": "ingressgateway"}
RESERVED_FOLDERS = frozenset({"rollback", "lockdown", "patches", "install"})


class ExportContext:
    def __init__(self, plan: Plan, options: ManifestOptions) -> None:
        options.check()
        mesh = plan.mesh
        self.plan = plan
        self.options = options
        self.istio_version = options.istio_version or mesh.istio_version
        self.api = ApiVersions.for_istio(self.istio_version)
        self.injection = options.injection or mesh.injection
        self.revision = options.revision or mesh.revision or "default"
        self.root_namespace = mesh.root_namespace
        self.trust_domain = mesh.trust_domain
        self._check_mesh_names()
        self.warnings: list[str] = []
        inv = plan.inventory
        self.planning = PlanningContext(plan, ReadinessInput())
        self.graph = self.planning.graph
        self.strict_dates: dict[str, StrictDate] = namespace_strict_dates(self.planning)
        self.workloads: dict[str, Workload] = {k: inv.workloads[k] for k in self.graph.nodes}
        self.nameable = {k for k, w in self.workloads.items() if self._nameable(w)}
        self._index_namespaces()
        self.blockers = self._blockers()
        self.facts = estate_facts(plan, self.istio_version)
        self.left_out_reasons: dict[str, str] = {}
        self._slots()
        self.cluster_dirs = {c: self._cluster_dir(c) for c in self.clusters()}
        self.gate = LockdownGate(self)

    # -- names ---------------------------------------------------------------------------
    @staticmethod
    def _cluster_dir(cluster: str) -> str:
        """The cluster's folder name: a DNS label that is never one of the fixed folders."""
        name = safe_label(cluster, 50)
        return f"cluster-{name}" if name in RESERVED_FOLDERS else name

    def _check_mesh_names(self) -> None:
        if not is_dns_label(self.root_namespace):
            raise ManifestError(
                f"plan.mesh.root_namespace {self.root_namespace[:80]!r} is not a namespace name"
            )
        if not is_dns_subdomain(self.trust_domain):
            raise ManifestError(
                f"plan.mesh.trust_domain {self.trust_domain[:80]!r} is not a DNS name"
            )
        if not is_label_value(self.revision) or not self.revision:
            raise ManifestError(f"the revision {self.revision[:80]!r} is not a label value")

    def _nameable(self, w: Workload) -> bool:
        return is_dns_label(w.namespace) and is_dns_subdomain(w.name)

    def skipped_names(self) -> list[str]:
        return sorted(set(self.workloads) - self.nameable)

    # -- namespaces, selectors, services --------------------------------------------------
    def _index_namespaces(self) -> None:
        inv = self.plan.inventory
        self.ns_workloads: dict[str, list[str]] = defaultdict(list)
        by_label: dict[str, dict[tuple[str, str], set[str]]] = defaultdict(lambda: defaultdict(set))
        for key in sorted(self.workloads):
            w = self.workloads[key]
            self.ns_workloads[w.namespace_key].append(key)
            for pair in w.labels.items():
                by_label[w.namespace_key][pair].add(key)
        self._by_label = by_label
        self.services_of: dict[str, list[Service]] = defaultdict(list)
        self.selected: dict[str, list[str]] = {}
        for skey in sorted(inv.services):
            svc = inv.services[skey]
            if not svc.selector or svc.external_name:
                continue
            found = self.matching(f"{svc.cluster}/{svc.namespace}", svc.selector)
            self.selected[skey] = found
            for key in found:
                self.services_of[key].append(svc)
        self.selectors: dict[str, dict[str, str] | None] = {
            k: self._selector(self.workloads[k]) for k in sorted(self.nameable)
        }

    def matching(self, ns_key: str, selector: dict[str, str]) -> list[str]:
        """Workloads of the namespace whose labels include every pair of ``selector``."""
        index = self._by_label.get(ns_key)
        if index is None or not selector:
            return []
        sets = sorted((index.get(pair, set()) for pair in selector.items()), key=len)
        found = set(sets[0]).intersection(*sets[1:])
        return sorted(found)

    def _selector(self, w: Workload) -> dict[str, str] | None:
        """Pod labels that pick out this workload in its namespace (its group when
        several workloads carry the same labels); None when it has no usable labels."""
        stable = {
            k: v
            for k, v in w.labels.items()
            if k not in VOLATILE_LABELS and is_label_key(k) and is_label_value(v)
        }
        if not stable:
            return None
        candidates = [{k: stable[k]} for k in APP_LABELS if k in stable]
        if "version" in stable:
            candidates += [
                {k: stable[k], "version": stable["version"]} for k in APP_LABELS if k in stable
            ]
        candidates.append(stable)
        for cand in candidates:
            if self.matching(w.namespace_key, cand) == [w.key]:
                return cand
        return stable

    # -- slots ----------------------------------------------------------------------------
    def _slots(self) -> None:
        waves = sorted(
            enumerate(self.plan.schedule.waves), key=lambda p: (p[1].start, p[1].end, p[0])
        )
        width = max(2, len(str(len(waves) + 1)))
        self.foundation = Slot(0, f"{0:0{width}d}-foundation", "Foundation")
        self.wave_slots: list[Slot] = []
        for i, (_, wave) in enumerate(waves, start=1):
            name = slug(wave.name, 48) or slug(wave.id, 48) or "wave"
            self.wave_slots.append(Slot(i, f"{i:0{width}d}-{name}", wave.name, wave))
        last = len(waves) + 1
        final_name = "mesh-wide-strict" if self.plan.mesh.final_mtls == "STRICT" else "final"
        self.final = Slot(last, f"{last:0{width}d}-{final_name}", "Mesh-wide lockdown", final=True)
        self.slot_of: dict[str, Slot] = {}
        self.left_out: dict[str, Slot] = {}  # members with open blockers, not meshed
        for slot in self.wave_slots:
            assert slot.wave is not None
            for key in slot.wave.members:
                if key in self.blockers and not self.options.allow_blockers:
                    self.left_out[key] = slot
                elif (why := self._server_first_hold(key, slot)) is not None:
                    self.left_out[key] = slot
                    self.left_out_reasons[key] = why
                elif key in self.nameable:
                    self.slot_of[key] = slot

    def _server_first_hold(self, key: str, slot: Slot) -> str | None:
        """Why a workload serving a server-first protocol on an undeclared port must not
        get its proxy yet: a caller would still send plaintext, which hangs under
        PERMISSIVE (the proxy waits for the client's first bytes)."""
        ports = self.facts.server_first.get(key)
        if not ports or slot.end is None:
            return None
        order = self._joins = getattr(self, "_joins", None) or {
            k: s.index for s in self.wave_slots if s.wave for k in s.wave.members
        }
        for caller in self.graph.callers.get(key, ()):
            w = self.workloads.get(caller)
            joins = order.get(caller)
            late = joins is None or joins > slot.index
            if self.planning.already_meshed(caller) and caller not in order:
                late = False
            blocked = caller in self.blockers and not self.options.allow_blockers
            if late or blocked or (w is not None and w.host_network):
                listed = ", ".join(map(str, sorted(ports)))
                return (
                    f"server-first protocol on undeclared port(s) {listed}"
                    f" and caller {caller} is not meshed by then; declare the port's protocol "
                    "(appProtocol: tcp) or move it after its callers"
                )
        return None

    def all_slots(self) -> list[Slot]:
        return [self.foundation, *self.wave_slots, self.final]

    def slot_for(self, day: date | None) -> Slot:
        """The wave folder for something safe from ``day``: the wave ending soonest on
        or after it (the later folder on a tie), or the final folder."""
        if day is None:
            return self.final
        best: Slot | None = None
        for slot in self.wave_slots:
            end = slot.end
            assert end is not None
            if end >= day and (best is None or end <= (best.end or end)):
                best = slot
        return best or self.final

    def enforce_step(self, day: date | None, first: Slot) -> tuple[Slot, str]:
        """Where a policy safe from ``day`` is enforced, never before ``first`` (the
        folder that first applies it): the lockdown step of a wave folder, or the final
        folder itself."""
        slot = self.slot_for(day)
        if slot.index < first.index:
            slot = first
        return slot, APPLY if slot.final else LOCKDOWN

    def members(self, slot: Slot) -> dict[str, list[str]]:
        """A wave's nameable members by cluster, in key order."""
        out: dict[str, list[str]] = defaultdict(list)
        if slot.wave is None:
            return out
        for key in sorted(slot.wave.members):
            if self.slot_of.get(key) is slot:
                out[self.workloads[key].cluster].append(key)
        return out

    def clusters(self) -> list[str]:
        """Every cluster of the plan (the mesh spans them all from the foundation on)."""
        found = set(self.plan.inventory.clusters) | {w.cluster for w in self.workloads.values()}
        return sorted(found or {"default"})

    # -- identities -----------------------------------------------------------------------
    def mesh_time(self, key: str) -> date | None:
        if key in self.left_out:
            return ALREADY if self.planning.already_meshed(key) else None
        return self.planning.mesh_time(key)

    def _blockers(self) -> dict[str, list[Finding]]:
        """Wave members with open (not muted) blockers, and those findings."""
        members = {k for w in self.plan.schedule.waves for k in w.members}
        if not members:
            return {}
        mesh = dataclasses.replace(self.plan.mesh, istio_version=self.istio_version)
        report = evaluate(dataclasses.replace(self.plan, mesh=mesh))  # the target's rules
        return {
            key: [f for f in report.for_item(key) if f.severity == "blocker"]
            for key in sorted(report.blocked() & members)
        }

    def principal(self, key: str) -> str | None:
        w = self.workloads[key]
        if not is_dns_label(w.namespace) or not is_dns_subdomain(w.service_account):
            return None
        return f"{self.trust_domain}/ns/{w.namespace}/sa/{w.service_account}"

    def gateway_principal(self) -> str:
        return f"{self.trust_domain}/ns/{GATEWAY_NAMESPACE}/sa/{GATEWAY_SERVICE_ACCOUNT}"

    def object_name(self, key: str) -> str:
        """The name of objects made for one workload: its own name, or name-kind when
        another workload of the namespace has the same name."""
        w = self.workloads[key]
        same = [k for k in self.ns_workloads[w.namespace_key] if self.workloads[k].name == w.name]
        if len(same) == 1:
            return w.name
        return derived_name(w.name, w.kind.lower())

    def fqdn(self, svc: Service) -> str:
        return f"{svc.name}.{svc.namespace}.{CLUSTER_DOMAIN}"

    def already_meshed(self, key: str) -> bool:
        return self.mesh_time(key) == ALREADY
