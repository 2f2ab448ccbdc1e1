"""The generated manifests before they are written: folders (stages), objects, patches.

A *slot* is one top-level folder in apply order: ``00-foundation``, one per wave, and a
final one. Within a slot, a *stage* holds what one cluster applies at one step: at the
wave's start (``apply``) or once its workloads are in and the date allows (``lockdown``).
Every object is validated as it is added, and each addition is remembered per object
identity so that a slot's rollback can restore the version an earlier slot applied or
delete what the slot created.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from workbench.domain.schedule import Wave
from workbench.io.manifests.names import short_hash
from workbench.io.manifests.validate import ObjectValidator

Obj = dict[str, Any]
APPLY = "apply"
MONITORING = "monitoring"  # optional: needs the Prometheus Operator's CRDs
LOCKDOWN = "lockdown"
CUTOVER = "cutover"  # entry traffic moves to the ingress gateway, then its lockdown
ROLLBACK = "rollback"
STEPS = (APPLY, MONITORING, LOCKDOWN, CUTOVER, ROLLBACK)
MANAGED_BY = {"app.kubernetes.io/managed-by": "mesh-workbench"}
FILE_OF_KIND = {
    "AuthorizationPolicy": "authorization-policies.yaml",
    "DestinationRule": "destination-rules.yaml",
    "Gateway": "gateways.yaml",
    "PeerAuthentication": "peer-authentications.yaml",
    "PrometheusRule": "prometheus-rules.yaml",
    "RequestAuthentication": "request-authentications.yaml",
    "ServiceEntry": "service-entries.yaml",
    "Sidecar": "sidecars.yaml",
    "Telemetry": "telemetry.yaml",
    "VirtualService": "virtual-services.yaml",
}


@dataclass(frozen=True, slots=True)
class Slot:
    index: int  # apply order; 0 is the foundation
    folder: str  # e.g. "01-non-critical-services"
    title: str
    wave: Wave | None = None
    final: bool = False

    @property
    def end(self) -> date | None:
        return self.wave.end if self.wave is not None else None


@dataclass(slots=True)
class Patch:
    """A change to an object that exists already, applied with ``kubectl patch``.

    Patches with the same content in one folder share one file (named after what it
    changes and a hash of its content), so a wave of thousands of workloads writes a
    handful of patch files and one command per workload.
    """

    api_version: str
    kind: str
    namespace: str | None
    name: str
    body: Obj  # what the patch sets
    undo: Obj  # the patch that restores what was there (None values delete keys)
    patch_type: str  # "merge" or "strategic"
    prefix: str  # what the file changes, e.g. "pod-template" or "namespace-shop"

    def identity(self) -> Obj:
        meta: Obj = {"name": self.name}
        if self.namespace is not None:
            meta["namespace"] = self.namespace
        return {"apiVersion": self.api_version, "kind": self.kind, "metadata": meta}

    def content_key(self) -> str:
        return json.dumps([self.body, self.undo], sort_keys=True)

    def path(self) -> tuple[str, ...]:
        digest = short_hash(json.dumps(self.body, sort_keys=True))
        file = f"{self.prefix}-{digest}.yaml"
        if self.namespace is None:
            return ("patches", file)
        return ("patches", self.namespace, file)

    def inverse(self) -> Patch:
        return Patch(
            self.api_version,
            self.kind,
            self.namespace,
            self.name,
            self.undo,
            self.body,
            self.patch_type,
            self.prefix,
        )


@dataclass(slots=True)
class Restart:
    """A workload to restart (or re-create) after its patch, in order."""

    kind: str
    namespace: str
    name: str
    how: str  # "rollout", "next-run" (CronJob), "recreate" (Job, Pod)


@dataclass(slots=True)
class Stage:
    slot: Slot
    cluster: str  # the cluster's name in the plan
    cluster_dir: str  # its folder name
    step: str
    objects: dict[str, list[Obj]] = field(default_factory=dict)  # file name -> objects
    patches: list[Patch] = field(default_factory=list)
    restarts: list[Restart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # for the runbook
    deletes: list[Obj] = field(default_factory=list)  # objects this step removes
    observe: list[tuple[str, str]] = field(default_factory=list)  # (workload key, why)
    date: date | None = None  # lockdown: not before this day

    def path(self) -> tuple[str, ...]:
        if self.step == ROLLBACK:
            return (self.slot.folder, ROLLBACK, self.cluster_dir)
        if self.step.startswith(ROLLBACK):  # the rollback of one step, e.g. the lockdown
            return (self.slot.folder, ROLLBACK, self.cluster_dir, self.step[len(ROLLBACK) + 1 :])
        base = (self.slot.folder, self.cluster_dir)
        return base if self.step == APPLY else (*base, self.step)

    def count(self) -> int:
        return sum(len(v) for v in self.objects.values())

    def not_before(self, day: datetime.date | None) -> None:
        """The step waits for ``day`` too: its date becomes the later of the two."""
        if day is not None and (self.date is None or day > self.date):
            self.date = day


def _step_order(step: str) -> tuple[int, str]:
    return (STEPS.index(step), "") if step in STEPS else (len(STEPS), step)


def identity(cluster: str, obj: Obj) -> tuple[str, str, str, str, str]:
    meta = obj["metadata"]
    group = obj["apiVersion"].split("/")[0] if "/" in obj["apiVersion"] else ""
    return (cluster, group, obj["kind"], meta.get("namespace", ""), meta["name"])


@dataclass(slots=True)
class ManifestSet:
    validator: ObjectValidator
    slots: list[Slot] = field(default_factory=list)
    stages: dict[tuple[int, str, str], Stage] = field(default_factory=dict)
    texts: dict[tuple[str, ...], str] = field(default_factory=dict)  # other files
    warnings: list[str] = field(default_factory=list)
    # identity -> [(slot index, step position, object)] in the order added
    history: dict[tuple[str, str, str, str, str], list[tuple[int, int, Obj]]] = field(
        default_factory=dict
    )
    cluster_dirs: dict[str, str] = field(default_factory=dict)
    _patches_checked: set[tuple[str, str, str | None, str]] = field(default_factory=set)

    def stage(self, slot: Slot, cluster: str, step: str = APPLY) -> Stage:
        key = (slot.index, cluster, step)
        found = self.stages.get(key)
        if found is None:
            found = Stage(slot, cluster, self.cluster_dirs[cluster], step)
            self.stages[key] = found
        return found

    def add(self, slot: Slot, cluster: str, obj: Obj, step: str = APPLY) -> bool:
        """Validate ``obj`` and put it in the slot's stage for ``cluster``; False (and a
        warning) when the stage holds an object of that kind and name already."""
        stage = self.stage(slot, cluster, step)
        where = "/".join(stage.path())
        ident = identity(cluster, obj)
        versions = self.history.setdefault(ident, [])
        position = STEPS.index(step)
        if any(i == slot.index and p == position for i, p, _ in versions):
            self.warn(f"{where}: a second {ident[2]} {ident[3]}/{ident[4]} was left out")
            return False
        self.validator.check(obj, where)
        stage.objects.setdefault(FILE_OF_KIND[obj["kind"]], []).append(obj)
        versions.append((slot.index, position, obj))
        return True

    def remove(self, slot: Slot, cluster: str, obj: Obj, step: str = APPLY) -> None:
        """Have the step delete ``obj`` (an object an earlier step applied)."""
        stage = self.stage(slot, cluster, step)
        if all(identity(cluster, o) != identity(cluster, obj) for o in stage.deletes):
            stage.deletes.append(obj)

    def add_patch(self, slot: Slot, cluster: str, patch: Patch) -> None:
        """Validate the patch and its inverse (once per distinct content: the target's
        name has passed the name checks already) and add it to the slot's stage."""
        stage = self.stage(slot, cluster, APPLY)
        key = (patch.api_version, patch.kind, patch.namespace, patch.content_key())
        if key not in self._patches_checked:
            where = "/".join((*stage.path(), *patch.path()))
            self.validator.check({**patch.identity(), **patch.body}, where, patch=True)
            self.validator.check({**patch.identity(), **patch.undo}, where, patch=True)
            self._patches_checked.add(key)
        stage.patches.append(patch)

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def stages_of(self, slot: Slot) -> list[Stage]:
        found = [s for (i, _, _), s in self.stages.items() if i == slot.index]
        return sorted(found, key=lambda s: (s.cluster_dir, _step_order(s.step)))

    def object_count(self) -> int:
        return sum(s.count() for s in self.stages.values())
