"""``rollback/``: the set that undoes one folder (a wave, the foundation or the final one).

For every object the folder applies or deletes (in any step), the rollback restores the
version an earlier folder applied, or deletes it when the folder created it (``delete.yaml``,
used with ``kubectl delete -f``). Every patch of the folder has its inverse, which puts
back the labels and annotations the plan recorded (or removes them).
"""

from __future__ import annotations

from workbench.io.manifests import yaml_text
from workbench.io.manifests.model import (
    FILE_OF_KIND,
    ROLLBACK,
    ManifestSet,
    Obj,
    Patch,
    Restart,
    Slot,
    identity,
)

DELETE_FILE = "delete.yaml"


def stub(obj: Obj) -> Obj:
    meta = obj["metadata"]
    keep = {k: meta[k] for k in ("name", "namespace") if k in meta}
    return {"apiVersion": obj["apiVersion"], "kind": obj["kind"], "metadata": keep}


def build_rollback(out: ManifestSet, slot: Slot) -> None:
    by_cluster: dict[str, list[tuple[str, list[Obj], list[Patch], list[Restart]]]] = {}
    for stage in out.stages_of(slot):
        if stage.step == ROLLBACK:
            continue
        objs = [o for group in stage.objects.values() for o in group] + stage.deletes
        by_cluster.setdefault(stage.cluster, []).append(
            (stage.step, objs, stage.patches, stage.restarts)
        )
    for cluster, parts in sorted(by_cluster.items()):
        _cluster(out, slot, cluster, parts)


def _cluster(
    out: ManifestSet,
    slot: Slot,
    cluster: str,
    parts: list[tuple[str, list[Obj], list[Patch], list[Restart]]],
) -> None:
    seen: set[tuple[str, str, str, str, str]] = set()
    restore: list[Obj] = []
    delete: list[Obj] = []
    patches: list[Patch] = []
    restarts: list[Restart] = []
    for _, objs, step_patches, step_restarts in parts:
        for obj in objs:
            ident = identity(cluster, obj)
            if ident in seen:
                continue
            seen.add(ident)
            earlier = [o for i, _, o in out.history[ident] if i < slot.index]
            if earlier:
                restore.append(earlier[-1])
            else:
                delete.append(stub(obj))
        patches += [p.inverse() for p in step_patches]
        restarts += step_restarts
    if not (restore or delete or patches):
        return
    stage = out.stage(slot, cluster, ROLLBACK)
    for obj in restore:
        stage.objects.setdefault(FILE_OF_KIND[obj["kind"]], []).append(obj)
    stage.patches = patches
    stage.restarts = list(reversed(restarts))
    if delete:
        # identities (kind, name, namespace) of objects validated when they were added
        delete.sort(
            key=lambda o: (o["kind"], o["metadata"].get("namespace", ""), o["metadata"]["name"])
        )
        out.texts[(*stage.path(), DELETE_FILE)] = yaml_text.dump_all(delete)
