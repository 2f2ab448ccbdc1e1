"""PeerAuthentication: PERMISSIVE as a namespace joins, STRICT when the plan allows.

* ``default`` in each namespace, PERMISSIVE in the first wave that meshes any of its
  workloads (accepts plaintext and mTLS while callers join).
* STRICT for the namespace on the plan's own date for it (``schedule.namespace_strict``)
  or, when the plan ends in STRICT, on the planner's safe date (every meshed workload of
  the namespace and every caller of those meshed), in the lockdown step of the wave
  that ends first on or after that day.
* A wave whose mTLS target is STRICT gets a workload-level STRICT policy per member at
  its end (unless its namespace is STRICT by then).
* Mesh-wide STRICT: ``default`` in the root namespace, in the final folder.
"""

from __future__ import annotations

from datetime import date

from workbench.io.manifests.context import ExportContext
from workbench.io.manifests.model import APPLY, LOCKDOWN, MANAGED_BY, ManifestSet, Obj, Slot
from workbench.io.manifests.names import derived_name


def peer_authentication(
    ctx: ExportContext,
    namespace: str,
    name: str,
    mode: str,
    selector: dict[str, str] | None = None,
) -> Obj:
    spec: Obj = {"mtls": {"mode": mode}}
    if selector:
        spec["selector"] = {"matchLabels": dict(selector)}
    return {
        "apiVersion": ctx.api.security,
        "kind": "PeerAuthentication",
        "metadata": {"name": name, "namespace": namespace, "labels": dict(MANAGED_BY)},
        "spec": spec,
    }


def _later(a: date | None, b: date) -> date:
    return b if a is None or b > a else a


class PeerAuthBuilder:
    def __init__(self, ctx: ExportContext, out: ManifestSet) -> None:
        self.ctx = ctx
        self.out = out
        self.first: dict[str, tuple[Slot, str]] = {}  # namespace key -> (slot, cluster)
        for slot in ctx.wave_slots:
            for cluster, keys in ctx.members(slot).items():
                for key in keys:
                    self.first.setdefault(ctx.workloads[key].namespace_key, (slot, cluster))
        self.strict_slot: dict[str, Slot] = {}

    def build(self) -> None:
        ctx = self.ctx
        for ns_key, (slot, cluster) in sorted(self.first.items()):
            ns = ns_key.rsplit("/", 1)[1]
            self.out.add(slot, cluster, peer_authentication(ctx, ns, "default", "PERMISSIVE"))
        for ns_key in sorted(self.first):
            self._namespace_strict(ns_key)
        for slot in ctx.wave_slots:
            if slot.wave is not None and slot.wave.mtls == "STRICT":
                self._wave_strict(slot)
        if ctx.plan.mesh.final_mtls == "STRICT":
            self._mesh_wide()

    def _namespace_strict(self, ns_key: str) -> None:
        ctx = self.ctx
        day = ctx.plan.schedule.namespace_strict.get(ns_key)
        safe = ctx.strict_dates.get(ns_key)
        if day is None and ctx.plan.mesh.final_mtls == "STRICT" and safe is not None:
            day = safe.date
            if day is None and not safe.already:
                self.out.warn(f"namespace {ns_key} is never safe for STRICT: {safe.reason}")
        elif day is not None and safe is not None and (safe.date is None or safe.date > day):
            self.out.warn(
                f"namespace {ns_key}: the plan sets STRICT on {day.isoformat()}, before it is "
                f"safe ({safe.reason})"
            )
        if day is None:
            return
        first, cluster = self.first[ns_key]
        slot = ctx.slot_for(day)
        if slot.index < first.index:
            slot = first
        ns = ns_key.rsplit("/", 1)[1]
        step = APPLY if slot.final else LOCKDOWN
        self.out.add(slot, cluster, peer_authentication(ctx, ns, "default", "STRICT"), step)
        stage = self.out.stage(slot, cluster, step)
        stage.date = _later(stage.date, day)
        self.strict_slot[ns_key] = slot

    def _wave_strict(self, slot: Slot) -> None:
        ctx = self.ctx
        assert slot.wave is not None
        for cluster, keys in ctx.members(slot).items():
            for key in keys:
                w = ctx.workloads[key]
                ns_slot = self.strict_slot.get(w.namespace_key)
                if ns_slot is not None and ns_slot.index <= slot.index:
                    continue
                selector = ctx.selectors.get(key)
                if selector is None:
                    self.out.warn(f"{key}: no pod labels to select it; no STRICT policy for it")
                    continue
                name = derived_name(ctx.object_name(key), "strict")
                pa = peer_authentication(ctx, w.namespace, name, "STRICT", selector)
                self.out.add(slot, cluster, pa, LOCKDOWN)
                stage = self.out.stage(slot, cluster, LOCKDOWN)
                stage.date = _later(stage.date, slot.wave.end)

    def _mesh_wide(self) -> None:
        ctx = self.ctx
        milestone: date | None = None
        never = []
        for ns_key in sorted(self.first):
            safe = ctx.strict_dates.get(ns_key)
            if safe is None or safe.already:
                continue
            if safe.date is None:
                never.append(ns_key)
            else:
                milestone = _later(milestone, safe.date)
        for cluster in ctx.clusters():
            pa = peer_authentication(ctx, ctx.root_namespace, "default", "STRICT")
            self.out.add(ctx.final, cluster, pa)
            stage = self.out.stage(ctx.final, cluster)
            if never:
                stage.notes.append(
                    "Mesh-wide STRICT is not safe under this schedule: "
                    + ", ".join(never[:5])
                    + (f" and {len(never) - 5} more" if len(never) > 5 else "")
                    + " never reach a safe STRICT date (see the planner's findings)."
                )
            elif milestone is not None:
                stage.date = _later(stage.date, milestone)
