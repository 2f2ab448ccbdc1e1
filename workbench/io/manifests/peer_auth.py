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
from workbench.io.manifests.model import (
    APPLY,
    CUTOVER,
    LOCKDOWN,
    MANAGED_BY,
    ManifestSet,
    Obj,
    Slot,
)
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


ENTRY = "reached from outside the mesh until the entry cut-over"


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
        self.exceptions: dict[str, Obj] = {}  # workload key -> its PERMISSIVE exception

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
        for key, pa in sorted(self.exceptions.items()):
            if ctx.gate.entry(key) and self.held(key) == ENTRY:
                # clients come through the gateway after the cut-over
                self.out.remove(ctx.final, ctx.workloads[key].cluster, pa, CUTOVER)

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
        slot, step = ctx.enforce_step(day, first)
        ns = ns_key.rsplit("/", 1)[1]
        if not self._exceptions(ns_key, slot, cluster, step):
            return
        self.out.add(slot, cluster, peer_authentication(ctx, ns, "default", "STRICT"), step)
        self.out.stage(slot, cluster, step).not_before(day)
        self.strict_slot[ns_key] = slot

    def held(self, key: str) -> str | None:
        """Why a meshed workload must stay PERMISSIVE under a STRICT namespace, if so."""
        ctx = self.ctx
        reasons = ctx.gate.reasons(key)
        if reasons:
            return reasons[0]
        never = [c for c in ctx.graph.callers.get(key, ()) if ctx.mesh_time(c) is None]
        if never:
            return f"caller {never[0]} is in no wave"
        return ENTRY if ctx.gate.entry(key) else None

    def _exceptions(self, ns_key: str, slot: Slot, cluster: str, step: str) -> bool:
        """A workload-level PERMISSIVE policy for each meshed workload of the namespace
        that must not go STRICT yet; False when one of them has no selector (then the
        namespace cannot go STRICT at all)."""
        ctx = self.ctx
        for key in ctx.ns_workloads.get(ns_key, ()):
            if ctx.mesh_time(key) is None or key not in ctx.nameable:
                continue
            why = self.held(key)
            if why is None:
                continue
            selector = ctx.selectors.get(key)
            if selector is None:
                self.out.warn(f"{ns_key} stays PERMISSIVE: {key} has no pod labels ({why})")
                return False
            w = ctx.workloads[key]
            name = derived_name(ctx.object_name(key), "permissive")
            pa = peer_authentication(ctx, w.namespace, name, "PERMISSIVE", selector)
            if self.out.add(slot, cluster, pa, step):
                self.out.stage(slot, cluster, step).notes.append(f"{key} stays PERMISSIVE: {why}")
                self.exceptions[key] = pa
        return True

    def _wave_strict(self, slot: Slot) -> None:
        ctx = self.ctx
        assert slot.wave is not None
        for cluster, keys in ctx.members(slot).items():
            for key in keys:
                w = ctx.workloads[key]
                ns_slot = self.strict_slot.get(w.namespace_key)
                if ns_slot is not None and ns_slot.index <= slot.index:
                    continue
                late = [
                    c
                    for c in ctx.graph.callers.get(key, ())
                    if (t := ctx.mesh_time(c)) is None or t > slot.wave.end
                ]
                why = self.held(key) or (f"caller {late[0]} is meshed later" if late else None)
                if why is not None:
                    self.out.stage(slot, cluster, LOCKDOWN).notes.append(
                        f"{key} stays PERMISSIVE: {why}"
                    )
                    continue
                selector = ctx.selectors.get(key)
                if selector is None:
                    self.out.warn(f"{key}: no pod labels to select it; no STRICT policy for it")
                    continue
                name = derived_name(ctx.object_name(key), "strict")
                pa = peer_authentication(ctx, w.namespace, name, "STRICT", selector)
                self.out.add(slot, cluster, pa, LOCKDOWN)
                self.out.stage(slot, cluster, LOCKDOWN).not_before(slot.wave.end)

    def _mesh_wide(self) -> None:
        """Root-namespace STRICT, taking effect: each namespace still PERMISSIVE loses
        its ``default`` (which would override the root's) and keeps workload-level
        PERMISSIVE exceptions only where a workload must not go STRICT yet."""
        ctx = self.ctx
        milestone: date | None = None
        for ns_key in sorted(self.first):
            safe = ctx.strict_dates.get(ns_key)
            if safe is not None and safe.date is not None and not safe.already:
                milestone = safe.date if milestone is None else max(milestone, safe.date)
        final = ctx.final
        kept: list[str] = []
        for ns_key in sorted(ctx.ns_workloads):
            keys = [k for k in ctx.ns_workloads[ns_key] if k in ctx.nameable]
            if ns_key in self.strict_slot or all(ctx.mesh_time(k) is None for k in keys):
                continue
            cluster, ns = ns_key.rsplit("/", 1)
            permissive = peer_authentication(ctx, ns, "default", "PERMISSIVE")
            if not self._exceptions(ns_key, final, cluster, APPLY):
                kept.append(ns_key)
                if ns_key not in self.first:
                    self.out.add(final, cluster, permissive)
            elif ns_key in self.first:
                self.out.remove(final, cluster, permissive)
        for cluster in ctx.clusters():
            pa = peer_authentication(ctx, ctx.root_namespace, "default", "STRICT")
            self.out.add(final, cluster, pa)
            stage = self.out.stage(final, cluster)
            stage.not_before(milestone)
            mine = [k for k in kept if k.startswith(cluster + "/")]
            if mine:
                stage.notes.append(
                    "Mesh-wide STRICT does not reach "
                    + ", ".join(mine[:5])
                    + (f" and {len(mine) - 5} more" if len(mine) > 5 else "")
                    + ": they keep their PERMISSIVE default (see the warnings)."
                )
