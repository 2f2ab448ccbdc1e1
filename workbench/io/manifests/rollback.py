"""``rollback/``: the sets that undo one folder (a wave, the foundation or the final one).

* ``rollback/<cluster>/`` undoes the whole folder: for every object the folder applies
  or deletes (in any step), it restores the version an earlier folder applied, or
  deletes it when the folder created it (``delete.yaml``, used with
  ``kubectl delete -f``); every patch of the folder has its inverse, which puts back the
  labels and annotations the plan recorded (or removes them).
* ``rollback/<cluster>/lockdown/`` undoes only the folder's lockdown (and entry
  cut-over): its objects go back to what the folder's own apply step (or an earlier
  folder) set, so the wave stays meshed and PERMISSIVE.
* ``rollback/<cluster>/monitoring/`` removes the optional alert rules.
* A namespace's shared objects (its ``default`` PeerAuthentication, say) are created by
  the first wave meshing the namespace; rolling that wave back never deletes them while
  a later wave meshes more of the namespace: the last such wave's rollback does.

Rollbacks go in reverse order: a folder's rollback assumes every later folder has been
rolled back already.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workbench.io.manifests import yaml_text
from workbench.io.manifests.model import (
    APPLY,
    CUTOVER,
    FILE_OF_KIND,
    LOCKDOWN,
    MONITORING,
    ROLLBACK,
    STEPS,
    ManifestSet,
    Obj,
    Patch,
    Restart,
    Slot,
    Stage,
    identity,
)

DELETE_FILE = "delete.yaml"
LOCKDOWN_STEPS = (LOCKDOWN, CUTOVER)
Ident = tuple[str, str, str, str, str]


def stub(obj: Obj) -> Obj:
    meta = obj["metadata"]
    keep = {k: meta[k] for k in ("name", "namespace") if k in meta}
    return {"apiVersion": obj["apiVersion"], "kind": obj["kind"], "metadata": keep}


@dataclass(slots=True)
class _Undo:
    restore: list[Obj] = field(default_factory=list)
    delete: list[Obj] = field(default_factory=list)
    patches: list[Patch] = field(default_factory=list)
    restarts: list[Restart] = field(default_factory=list)

    def empty(self) -> bool:
        return not (self.restore or self.delete or self.patches)


def shared(obj: Obj) -> bool:
    """An object for a whole namespace (no workload selector), shared by its waves."""
    spec = obj.get("spec") or {}
    return obj["kind"] in ("PeerAuthentication", "Sidecar") and not spec.get("selector")


def build_rollbacks(out: ManifestSet, last_wave: dict[tuple[str, str], Slot]) -> None:
    """The rollbacks of every folder; ``last_wave`` names, per (cluster, namespace),
    the last wave folder meshing workloads of that namespace."""
    deferred: dict[int, dict[str, list[Obj]]] = {}  # slot index -> cluster -> deletes
    for slot in out.slots:
        for cluster, all_stages in _by_cluster(out, slot).items():
            stages = [s for s in all_stages if s.step != MONITORING]
            monitoring = [s for s in all_stages if s.step == MONITORING]
            if monitoring:  # apart: deleting them needs the Prometheus Operator's CRDs
                part = _undo(out, slot, cluster, monitoring, None)
                _write(out, out.stage(slot, cluster, ROLLBACK_MONITORING), part, slot)
            whole = _undo(out, slot, cluster, stages, None)
            keep: list[Obj] = []
            for obj in whole.delete:
                later = last_wave.get((cluster, obj["metadata"].get("namespace", "")))
                if shared(obj) and later is not None and later.index > slot.index:
                    deferred.setdefault(later.index, {}).setdefault(cluster, []).append(obj)
                else:
                    keep.append(obj)
            whole.delete = keep + deferred.get(slot.index, {}).pop(cluster, [])
            _write(out, out.stage(slot, cluster, ROLLBACK), whole, slot)
            locked = [s for s in stages if s.step in LOCKDOWN_STEPS]
            if locked and any(s.step == APPLY for s in stages):
                part = _undo(out, slot, cluster, locked, STEPS.index(LOCKDOWN))
                _write(out, out.stage(slot, cluster, ROLLBACK_LOCKDOWN), part, slot)


ROLLBACK_LOCKDOWN = f"{ROLLBACK}-{LOCKDOWN}"
ROLLBACK_MONITORING = f"{ROLLBACK}-{MONITORING}"


def _by_cluster(out: ManifestSet, slot: Slot) -> dict[str, list[Stage]]:
    found: dict[str, list[Stage]] = {}
    for stage in out.stages_of(slot):
        if not stage.step.startswith(ROLLBACK):
            found.setdefault(stage.cluster, []).append(stage)
    return dict(sorted(found.items()))


def _undo(
    out: ManifestSet, slot: Slot, cluster: str, stages: list[Stage], before: int | None
) -> _Undo:
    """What undoes ``stages``: versions from before ``slot`` (or, with ``before``, also
    from the slot's own steps up to that position)."""
    undo = _Undo()
    seen: set[Ident] = set()
    for stage in stages:
        objs = [o for group in stage.objects.values() for o in group] + stage.deletes
        for obj in objs:
            ident = identity(cluster, obj)
            if ident in seen:
                continue
            seen.add(ident)
            earlier = [
                o
                for i, p, o in out.history[ident]
                if i < slot.index or (before is not None and i == slot.index and p < before)
            ]
            if earlier:
                undo.restore.append(earlier[-1])
            else:
                undo.delete.append(stub(obj))
        undo.patches += [p.inverse() for p in stage.patches]
        undo.restarts += stage.restarts
    undo.restarts.reverse()
    return undo


def _write(out: ManifestSet, stage: Stage, undo: _Undo, slot: Slot) -> None:
    if undo.empty():
        del out.stages[(slot.index, stage.cluster, stage.step)]
        return
    for obj in undo.restore:
        stage.objects.setdefault(FILE_OF_KIND[obj["kind"]], []).append(obj)
    stage.patches = undo.patches
    stage.restarts = undo.restarts
    if undo.delete:
        # identities (kind, name, namespace) of objects validated when they were added
        undo.delete.sort(
            key=lambda o: (o["kind"], o["metadata"].get("namespace", ""), o["metadata"]["name"])
        )
        out.texts[(*stage.path(), DELETE_FILE)] = yaml_text.dump_all(undo.delete)
