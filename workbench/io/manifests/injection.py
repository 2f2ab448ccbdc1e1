"""The injection change of each wave: namespace labels, pod-template patches, restarts.

* A namespace whose workloads all join in one wave gets the namespace label of the
  plan's mode: ``istio-injection=enabled``, ``istio.io/rev=<revision>`` or, for an
  ambient wave, ``istio.io/dataplane-mode=ambient``.
* A namespace split across waves (or with workloads in no wave) is enrolled workload by
  workload with a pod-template label (``sidecar.istio.io/inject: "true"``, the revision
  label, or the ambient label); the wave that completes a namespace also labels it,
  so that workloads deployed later join too. ``pod-label`` mode never labels namespaces.
* Workloads whose init containers need the network, and Jobs, get the proxy as a native
  sidecar (``sidecar.istio.io/nativeSidecar: "true"``) where the target Istio and every
  node's Kubernetes allow it, so the proxy runs before their init containers and stops
  when the job ends.
* Injection labels never fight: a namespace that already carries ``istio.io/rev`` is not
  given ``istio-injection`` (which would win and ignore the revision, IST0123), and a
  revision label replaces an ``istio-injection`` label rather than sit beside it.
* When the plan's overhead profile differs from Istio's defaults, or a workload sets only
  some of the proxy resource annotations, all four are set together (Istio drops every
  default once one of them is present).

Existing objects are changed by patches (``kubectl patch``), each with the patch that
undoes it, never by applying whole objects.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from workbench.domain.assumptions import OverheadProfile
from workbench.domain.economics.overhead import PROXY_ANNOTATIONS
from workbench.domain.inventory import Workload
from workbench.io.manifests.context import ExportContext
from workbench.io.manifests.gate import NATIVE_ANNOTATION
from workbench.io.manifests.model import ManifestSet, Patch, Restart, Slot
from workbench.io.manifests.quantities import cpu_text, memory_text

INJECT_LABEL = "sidecar.istio.io/inject"
REVISION_LABEL = "istio.io/rev"
NAMESPACE_INJECTION = "istio-injection"
AMBIENT_LABEL = "istio.io/dataplane-mode"
# kind -> (apiVersion, path to the pod template)
POD_TEMPLATE = {
    "Deployment": ("apps/v1", ("spec", "template")),
    "StatefulSet": ("apps/v1", ("spec", "template")),
    "DaemonSet": ("apps/v1", ("spec", "template")),
    "CronJob": ("batch/v1", ("spec", "jobTemplate", "spec", "template")),
}
RESTART = {"Deployment": "rollout", "StatefulSet": "rollout", "DaemonSet": "rollout"}
RESTART |= {"CronJob": "next-run", "Job": "recreate", "Pod": "recreate"}


def labels_for(ctx: ExportContext, mode: str) -> tuple[tuple[str, str] | None, tuple[str, str]]:
    """(namespace label or None, pod label) that enrol workloads in ``mode``."""
    if mode == "ambient":
        return (AMBIENT_LABEL, "ambient"), (AMBIENT_LABEL, "ambient")
    if ctx.injection == "revision-label":
        return (REVISION_LABEL, ctx.revision), (REVISION_LABEL, ctx.revision)
    if ctx.injection == "pod-label":
        return None, (INJECT_LABEL, "true")
    return (NAMESPACE_INJECTION, "enabled"), (INJECT_LABEL, "true")


def proxy_annotations(ctx: ExportContext, w: Workload) -> dict[str, str] | None:
    """All four proxy resource annotations, or None when nothing needs setting."""
    profile = ctx.plan.assumptions.overhead
    present = [a for a in PROXY_ANNOTATIONS if a in w.annotations]
    if len(present) == len(PROXY_ANNOTATIONS):
        return None
    if not present and not _profile_overrides(profile):
        return None
    values = dict(
        zip(
            PROXY_ANNOTATIONS,
            (
                cpu_text(profile.sidecar_cpu_request_m),
                memory_text(profile.sidecar_memory_request_bytes),
                cpu_text(profile.sidecar_cpu_limit_m),
                memory_text(profile.sidecar_memory_limit_bytes),
            ),
            strict=True,
        )
    )
    values.update({a: w.annotations[a] for a in present})
    return values


def _profile_overrides(profile: OverheadProfile) -> bool:
    default = OverheadProfile()
    fields = (
        "sidecar_cpu_request_m",
        "sidecar_memory_request_bytes",
        "sidecar_cpu_limit_m",
        "sidecar_memory_limit_bytes",
    )
    return any(getattr(profile, f) != getattr(default, f) for f in fields)


class InjectionBuilder:
    def __init__(self, ctx: ExportContext, out: ManifestSet) -> None:
        self.ctx = ctx
        self.out = out
        self.ns_slots: dict[str, list[Slot]] = defaultdict(list)
        for slot in ctx.wave_slots:
            for keys in ctx.members(slot).values():
                for ns in sorted({ctx.workloads[k].namespace_key for k in keys}):
                    self.ns_slots[ns].append(slot)
        self.unjoined: set[str] = set()
        for ns, keys in ctx.ns_workloads.items():
            if any(k not in ctx.slot_of and not ctx.already_meshed(k) for k in keys):
                self.unjoined.add(ns)

    def build(self, slot: Slot) -> None:
        assert slot.wave is not None
        for cluster, keys in self.ctx.members(slot).items():
            by_ns: dict[str, list[str]] = defaultdict(list)
            for key in keys:
                by_ns[self.ctx.workloads[key].namespace_key].append(key)
            restarts: list[str] = []
            for ns_key in sorted(by_ns):
                restarts += self._namespace(slot, cluster, ns_key, by_ns[ns_key])
            graph = self.ctx.graph
            stage = self.out.stage(slot, cluster)
            for key in sorted(restarts, key=lambda k: (graph.height_of(k), k)):
                w = self.ctx.workloads[key]
                stage.restarts.append(Restart(w.kind, w.namespace, w.name, RESTART[w.kind]))

    def _namespace(self, slot: Slot, cluster: str, ns_key: str, keys: list[str]) -> list[str]:
        ctx, wave = self.ctx, slot.wave
        assert wave is not None
        ns_label, pod_label = labels_for(ctx, wave.mode)
        slots = self.ns_slots[ns_key]
        modes = {s.wave.mode for s in slots if s.wave is not None}
        whole = ns_key not in self.unjoined and len(modes) == 1
        ns_name = ns_key.rsplit("/", 1)[1]
        current = ctx.plan.inventory.namespaces.get(ns_key)
        ns_labels = current.labels if current is not None else {}
        labelled = ns_label is not None and ns_labels.get(ns_label[0]) == ns_label[1]
        conflict = _label_conflict(ns_label, ns_labels)
        if (
            ns_label is not None
            and ns_label[0] == NAMESPACE_INJECTION
            and REVISION_LABEL in ns_labels
        ):
            labelled = True  # the namespace's revision label injects already
            if slots[-1] is slot:
                self.out.stage(slot, cluster).notes.append(
                    f"Namespace {ns_name} carries {REVISION_LABEL}={ns_labels[REVISION_LABEL]}: "
                    f"left as it is ({NAMESPACE_INJECTION} would override the revision, IST0123)."
                )
        if ns_label is not None and not labelled and whole and slots[-1] is slot:
            key, value = ns_label
            body: dict[str, Any] = {key: value}
            undo: dict[str, Any] = {key: ns_labels.get(key)}
            if conflict is not None:
                body[conflict] = None
                undo[conflict] = ns_labels[conflict]
                self.out.stage(slot, cluster).notes.append(
                    f"Namespace {ns_name}: {conflict} removed, it would override {key} (IST0123)."
                )
            self.out.add_patch(
                slot,
                cluster,
                Patch(
                    "v1",
                    "Namespace",
                    None,
                    ns_name,
                    {"metadata": {"labels": body}},
                    {"metadata": {"labels": undo}},
                    "merge",
                    f"namespace-{ns_name}",
                ),
            )
        per_pod = ns_label is None or not (whole and len(slots) == 1)
        restarts: list[str] = []
        for key in keys:
            w = ctx.workloads[key]
            if w.host_network or _meshed(w, wave.mode):
                continue
            labels: dict[str, str] = {}
            if (per_pod and not labelled) or w.labels.get(INJECT_LABEL) == "false":
                labels[pod_label[0]] = pod_label[1]
            annotations = proxy_annotations(ctx, w) if wave.mode == "sidecar" else None
            if wave.mode == "sidecar" and key in ctx.gate.native_patch:
                annotations = {**(annotations or {}), NATIVE_ANNOTATION: "true"}
            self._patch(slot, cluster, w, labels, annotations or {})
            if wave.mode == "sidecar":
                restarts.append(key)
        return restarts

    def _patch(
        self,
        slot: Slot,
        cluster: str,
        w: Workload,
        labels: dict[str, str],
        annotations: dict[str, str],
    ) -> None:
        if not labels and not annotations:
            return
        if w.kind not in POD_TEMPLATE:
            what = ", ".join(f"{k}={v}" for k, v in sorted({**labels, **annotations}.items()))
            self.out.stage(slot, cluster).notes.append(
                f"{w.kind} {w.namespace}/{w.name} cannot be patched: re-create it with {what}"
            )
            return
        api_version, path = POD_TEMPLATE[w.kind]
        meta: dict[str, Any] = {}
        undo: dict[str, Any] = {}
        if labels:
            meta["labels"] = labels
            undo["labels"] = {k: w.labels.get(k) for k in labels}
        if annotations:
            meta["annotations"] = annotations
            undo["annotations"] = {k: w.annotations.get(k) for k in annotations}
        patch = Patch(
            api_version,
            w.kind,
            w.namespace,
            w.name,
            _nest(path, {"metadata": meta}),
            _nest(path, {"metadata": undo}),
            "strategic",
            "cronjob-template" if w.kind == "CronJob" else "pod-template",
        )
        self.out.add_patch(slot, cluster, patch)


def _label_conflict(ns_label: tuple[str, str] | None, labels: dict[str, str]) -> str | None:
    """The namespace label that would override ``ns_label`` (``istio-injection`` wins over
    ``istio.io/rev``), if the namespace carries one."""
    if ns_label is not None and ns_label[0] == REVISION_LABEL and NAMESPACE_INJECTION in labels:
        return NAMESPACE_INJECTION
    return None


def _meshed(w: Workload, mode: str) -> bool:
    return w.mesh.ambient if mode == "ambient" else w.mesh.injected


def _nest(path: tuple[str, ...], leaf: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = leaf
    for part in reversed(path):
        out = {part: out}
    return out
