"""Use-case: import Kubernetes objects from files and folders into a new or existing plan.

    outcome = import_files(["dump.json", "manifests/"], into=None, progress=..., cancel=...)
    save_plan(outcome.plan, "estate.meshplan")

Files are read one after another (JSON fast path, safe YAML), their objects go into one
inventory builder (one cluster), and dependencies are discovered from what the objects
state. With ``into`` the result is merged into a copy of that plan (assignments and
hand-made edges survive, new workloads arrive unassigned, vanished ones are flagged);
``into`` itself is never modified. Cancel is honoured between files and every few
thousand objects; a cancelled import changes nothing.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from workbench.domain.defaults import default_assumptions, default_phases
from workbench.domain.discovery import discover_dependencies
from workbench.domain.jobs import CancelToken, Progress, no_progress
from workbench.domain.merge import MergeReport, add_edges, add_unresolved, merge_import
from workbench.domain.plan import Meta, Plan
from workbench.domain.schedule import Schedule
from workbench.io.collector import collector_paused
from workbench.io.k8s_objects import ImportResult, InventoryBuilder
from workbench.io.manifest_files import (
    DEFAULT_LIMITS,
    STDIN,
    LoadLimits,
    ManifestError,
    ManifestStream,
    manifest_paths,
)
from workbench.ops.import_files_split import (
    OWN_SHARE,
    SPLIT_BYTES,
    ObjectReader,
    TailReader,
    can_split,
    read_split,
    start_worker,
)

DEFAULT_CLUSTER = "default"
READ_SHARE = 0.85


@dataclass(slots=True)
class ImportOutcome:
    plan: Plan
    files: int = 0
    objects: int = 0
    warnings: list[str] = field(default_factory=list)
    unknown_kinds: dict[str, int] = field(default_factory=dict)
    skipped_secrets: int = 0
    merge: MergeReport | None = None

    def summary(self) -> str:
        inv, deps = self.plan.inventory, self.plan.dependencies
        text = (
            f"{self.files} file(s), {self.objects} object(s): {len(inv.workloads)} workload(s), "
            f"{len(inv.services)} service(s), {len(deps.edges)} dependency edge(s), "
            f"{len(deps.unresolved)} unresolved address(es)"
        )
        if self.merge is not None:
            text += f"; merged: {self.merge.summary()}"
        return text


def _sizes(paths: list[str]) -> list[int]:
    sizes = []
    for path in paths:
        try:
            sizes.append(0 if path == STDIN else os.stat(path).st_size)
        except OSError:
            sizes.append(0)
    return sizes


def new_plan(title: str) -> Plan:
    """An empty plan with the default phases (from next month) and assumptions."""
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    today = date.today()
    start = date(today.year + today.month // 12, today.month % 12 + 1, 1)
    return Plan(
        meta=Meta(title=title, created=now, modified=now),
        schedule=Schedule(phases=default_phases(start)),
        assumptions=default_assumptions(),
    )


def import_files(
    paths: Sequence[str],
    *,
    into: Plan | None = None,
    cluster: str = DEFAULT_CLUSTER,
    namespace: str = "default",
    limits: LoadLimits = DEFAULT_LIMITS,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> ImportOutcome:
    """Import every object in ``paths`` as cluster ``cluster``.

    Objects without a namespace (typical of Helm output) land in ``namespace``.
    """
    cancel = cancel or CancelToken()
    with collector_paused():
        return _import_files(paths, into, cluster, namespace, limits, progress, cancel)


def _import_files(
    paths: Sequence[str],
    into: Plan | None,
    cluster: str,
    namespace: str,
    limits: LoadLimits,
    progress: Progress,
    cancel: CancelToken,
) -> ImportOutcome:
    found = manifest_paths(list(paths))
    files = [p for p, _ in found]
    sizes = _sizes(files)
    total = max(sum(sizes), 1)
    builder = InventoryBuilder(cluster, default_namespace=namespace)
    warnings: list[str] = []
    done_bytes = 0
    used = 0
    progress(0.0, f"reading {len(files)} file(s)")
    for (path, explicit), size in zip(found, sizes, strict=True):
        cancel.check("the import")
        if _read_file(path, explicit, limits, builder, warnings, cancel):
            used += 1
        done_bytes += size
        progress(READ_SHARE * done_bytes / total, f"read {path}")
    cancel.check("the import")
    progress(READ_SHARE, "finding dependencies")
    result = builder.result()
    outcome = _plan_from(result, into, files)
    cancel.check("the import")
    outcome.files = used
    outcome.warnings = warnings + result.warnings
    progress(1.0, outcome.summary())
    return outcome


def _read_file(
    path: str,
    explicit: bool,
    limits: LoadLimits,
    builder: InventoryBuilder,
    warnings: list[str],
    cancel: CancelToken,
) -> bool:
    """Add one file's valid objects to ``builder``; True when it held any.

    An invalid object is skipped with a warning naming the file, the document and the
    field; a file found in a folder that cannot be read at all is skipped with a warning,
    one named explicitly is an error. Warnings never quote the file's content. A large
    YAML file is read by two processes (:mod:`.import_files_split`), with the same
    outcome."""

    def note(document: int, text: str) -> None:
        warnings.append(f"{stream.path}: document {document}: {text}")

    reader = ObjectReader(builder, note, cancel)
    worker: TailReader | None = None
    try:
        stream = ManifestStream(path, limits)
        tail = stream.split_off(SPLIT_BYTES, OWN_SHARE) if can_split() else None
        worker = start_worker(tail, builder) if tail is not None else None
        reader.read(stream)
        if tail is not None:
            read_split(stream, tail, reader, worker, cancel)
        warnings.extend(stream.warnings)
    except ManifestError as exc:
        if explicit:
            raise
        warnings.append(f"skipped {exc}")
    finally:
        if worker is not None:
            worker.stop()
    return reader.added > 0


def _plan_from(result: ImportResult, into: Plan | None, files: list[str]) -> ImportOutcome:
    if into is None:
        title = f"Import of {files[0]}" if len(files) == 1 else f"Import of {len(files)} files"
        plan = new_plan(title)
        plan.inventory = result.inventory
        plan.dependencies = discover_dependencies(result.inventory)
        report = None
    else:
        plan, report = merge_import(into, result.inventory)
        plan.meta.modified = datetime.now(UTC).replace(microsecond=0).isoformat()
    return ImportOutcome(
        plan=plan,
        objects=result.objects,
        unknown_kinds=result.unknown_kinds,
        skipped_secrets=result.skipped_secrets,
        merge=report,
    )


@dataclass(slots=True)
class EdgeImportOutcome:
    plan: Plan
    format: str  # "csv", "kiali", "prometheus"
    added: int = 0
    updated: int = 0
    unresolved: int = 0
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.format}: {self.added} edge(s) added, {self.updated} updated, "
            f"{self.unresolved} unresolved"
        )


def import_edges(
    plan: Plan, source: str, *, limits: LoadLimits = DEFAULT_LIMITS, timeout: float = 15.0
) -> EdgeImportOutcome:
    """Edges from a CSV file, a Kiali graph, a saved Prometheus result or a live
    Prometheus URL, merged into a copy of ``plan`` (which is not modified)."""
    from workbench.io.edges_csv import edges_from_csv
    from workbench.io.kiali_graph import is_kiali_graph, kiali_edges
    from workbench.io.manifest_files import ManifestError, read_limited
    from workbench.io.prometheus_edges import (
        is_prometheus_result,
        prometheus_edges,
        query_prometheus,
    )

    if source.startswith(("http://", "https://")):
        fmt, found = (
            "prometheus",
            prometheus_edges(query_prometheus(source, timeout=timeout), plan.inventory, source),
        )
    else:
        data = read_limited(source, limits.max_file_bytes)
        head = data.lstrip()[:1]
        if source.lower().endswith(".csv") or head not in (b"{", b"["):
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise ManifestError(f"{source}: not a UTF-8 text file") from None
            fmt, found = "csv", edges_from_csv(text, plan.inventory, source)
        else:
            import orjson

            try:
                doc = orjson.loads(data)
            except orjson.JSONDecodeError as exc:
                raise ManifestError(f"{source}: not valid JSON: {exc.msg}") from None
            if is_kiali_graph(doc):
                fmt, found = "kiali", kiali_edges(doc, plan.inventory, source)
            elif is_prometheus_result(doc):
                fmt, found = "prometheus", prometheus_edges(doc, plan.inventory, source)
            else:
                raise ManifestError(
                    f"{source}: neither a Kiali graph nor a Prometheus query result"
                )
    updated_plan = copy.deepcopy(plan)
    if fmt == "kiali":
        from workbench.ops.runtime_import import kiali_observation

        observation = kiali_observation(doc, found.edges, source)
        if observation is not None:
            updated_plan.dependencies.observations.append(observation)
    added, updated = add_edges(updated_plan.dependencies, found.edges)
    add_unresolved(updated_plan.dependencies, found.unresolved)
    updated_plan.dependencies.edges = dict(sorted(updated_plan.dependencies.edges.items()))
    return EdgeImportOutcome(
        updated_plan, fmt, added, updated, len(found.unresolved), list(found.warnings)
    )
