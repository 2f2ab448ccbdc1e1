"""Use-case: import live clusters (one per kubeconfig context) into a plan.

Each context is read on a thread of its own, so several clusters import in the time of
the slowest. Objects go straight from each page into that cluster's inventory builder.
Progress is reported on the calling thread; Cancel is honoured within a fraction of a
second even while a server is slow to answer (the readers stop at their next request and
their half-built results are dropped). A context that cannot be read at all does not stop
the others: its failure becomes a warning and a gap, unless no context could be read.
"""

from __future__ import annotations

import dataclasses
import os
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from workbench.domain.discovery import discover_dependencies
from workbench.domain.errors import WorkbenchError
from workbench.domain.inventory import ImportGap, Inventory
from workbench.domain.jobs import CancelToken, JobCancelled, Progress, no_progress
from workbench.domain.merge import MergeReport, merge_import
from workbench.domain.plan import Plan
from workbench.io.cluster_reader import ClusterReader, ReadOptions, ReadReport
from workbench.io.cluster_resources import ResourceSpec
from workbench.io.collector import collector_paused
from workbench.io.k8s_objects import ImportResult, InventoryBuilder
from workbench.io.kubeconfig import Kubeconfig, KubeContext, cluster_name_for, load_kubeconfig
from workbench.io.object_checks import object_problem
from workbench.ops.import_files import new_plan

TICK_S = 0.05
READ_SHARE = 0.9  # of the progress bar; the rest is building the plan


@dataclass(slots=True)
class ContextOutcome:
    """How one context went: its report, or the error that stopped it."""

    context: str
    cluster: str
    report: ReadReport | None = None
    error: str | None = None
    objects: int = 0


@dataclass(slots=True)
class ClusterImportOutcome:
    plan: Plan
    contexts: list[ContextOutcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    gaps: list[ImportGap] = field(default_factory=list)
    unknown_kinds: dict[str, int] = field(default_factory=dict)
    system_namespaces: list[str] = field(default_factory=list)  # namespace keys
    merge: MergeReport | None = None
    seconds: float = 0.0

    @property
    def partial(self) -> bool:
        return bool(self.gaps)

    def summary(self) -> str:
        """One line per context, then the plan's totals."""
        inv, deps = self.plan.inventory, self.plan.dependencies
        lines = []
        for ctx in self.contexts:
            if ctx.report is None:
                lines.append(f"{ctx.context}: not imported: {ctx.error}")
                continue
            counts = ctx.report.counts
            version = ctx.report.server_version or "unknown version"
            lines.append(
                f"{ctx.context} -> cluster {ctx.cluster} ({version}): {ctx.objects} object(s), "
                f"{counts.get('Namespace', 0)} namespace(s), {ctx.report.requests} request(s), "
                f"{len(ctx.report.gaps)} gap(s)"
            )
        system = f" ({len(self.system_namespaces)} system)" if self.system_namespaces else ""
        text = (
            f"plan: {len(inv.clusters)} cluster(s), {len(inv.namespaces)} namespace(s){system}, "
            f"{len(inv.workloads)} workload(s), {len(inv.services)} service(s), "
            f"{len(deps.edges)} dependency edge(s), {len(deps.unresolved)} unresolved "
            f"address(es) in {self.seconds:.1f} s"
        )
        if self.merge is not None:
            text += f"; merged: {self.merge.summary()}"
        return "\n".join([*lines, text])


class _ContextJob:
    """Reads one context on a worker thread into its own inventory builder."""

    def __init__(
        self,
        kubeconfig: Kubeconfig,
        context: KubeContext,
        cluster: str,
        options: ReadOptions,
        stop: CancelToken,
    ) -> None:
        self.outcome = ContextOutcome(context.name, cluster)
        self._read = (kubeconfig, context, cluster, options, stop)
        self.result: ImportResult | None = None
        self.failure: BaseException | None = None
        self.skipped: list[str] = []  # invalid objects, with why
        self.fraction, self.message = 0.0, f"{context.name}: waiting"
        self.thread = threading.Thread(target=self._run, name=f"import {context.name}")
        self.thread.daemon = True  # a reader stuck on a slow server must not block exit

    def _progress(self, fraction: float, message: str) -> None:
        self.fraction, self.message = fraction, message

    def _run(self) -> None:
        # the reader and the builder live on this thread only: their working state (raw
        # pages, pod templates, ConfigMap addresses) is freed as soon as the read ends
        kubeconfig, context, cluster, options, stop = self._read
        reader = ClusterReader(
            kubeconfig, context, cluster, options, progress=self._progress, cancel=stop
        )
        builder = InventoryBuilder(cluster)

        def sink(spec: ResourceSpec, items: list[dict[str, Any]]) -> None:
            valid = []
            for item in items:
                problem = object_problem(item)
                if problem is None:
                    valid.append(item)
                else:  # skipped with a warning naming the object and the field
                    self.skipped.append(f"{_object_name(spec, item)} skipped: {problem}")
            builder.add_many(valid)

        try:
            self.outcome.report = reader.read(sink)
            self.result = builder.result()
            self.outcome.objects = self.result.objects
        except JobCancelled as exc:
            self.failure = exc
        except WorkbenchError as exc:
            self.outcome.error = str(exc)
            self.failure = exc
        except BaseException as exc:  # a defect: re-raised on the calling thread
            self.failure = exc
        self.fraction = 1.0


def _object_name(spec: ResourceSpec, item: dict[str, Any]) -> str:
    meta = item.get("metadata")
    meta = meta if isinstance(meta, dict) else {}
    name, namespace = meta.get("name"), meta.get("namespace")
    where = f"{namespace}/" if isinstance(namespace, str) else ""
    return f"{spec.kind} {where}{name if isinstance(name, str) else '?'}"


def available_contexts(
    kubeconfig: str | os.PathLike[str] | None = None, *, env: Mapping[str, str] | None = None
) -> tuple[list[KubeContext], str | None]:
    """The contexts an import can choose from, and the current one (for pickers)."""
    config = load_kubeconfig(kubeconfig, env=env)
    return list(config.contexts), config.current_context


def import_clusters(
    contexts: Sequence[str] = (),
    *,
    kubeconfig: str | os.PathLike[str] | None = None,
    namespaces: Sequence[str] = (),
    into: Plan | None = None,
    options: ReadOptions | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
    env: Mapping[str, str] | None = None,
) -> ClusterImportOutcome:
    """Import the named contexts (default: the current one), all or the chosen namespaces.

    With ``into``, the clusters are merged into a copy of that plan (assignments and
    hand-made edges survive); otherwise a new plan is made. ``into`` is never modified.
    """
    with collector_paused():
        return _import_clusters(
            contexts, kubeconfig, namespaces, into, options, progress, cancel, env
        )


def _import_clusters(
    contexts: Sequence[str],
    kubeconfig: str | os.PathLike[str] | None,
    namespaces: Sequence[str],
    into: Plan | None,
    options: ReadOptions | None,
    progress: Progress,
    cancel: CancelToken | None,
    env: Mapping[str, str] | None,
) -> ClusterImportOutcome:
    started = time.monotonic()
    cancel = cancel or CancelToken()
    config = load_kubeconfig(kubeconfig, env=env)
    chosen = config.select(contexts)
    options = dataclasses.replace(options or ReadOptions(), namespaces=tuple(namespaces))
    stop = CancelToken()
    jobs = [
        _ContextJob(config, ctx, cluster, options, stop)
        for ctx, cluster in zip(chosen, _cluster_names(chosen), strict=True)
    ]
    for job in jobs:
        job.thread.start()
    _wait(jobs, progress, cancel, stop)
    for job in jobs:
        if job.failure is not None and job.outcome.error is None:
            raise job.failure  # a defect, not a user-facing failure
    done = [job for job in jobs if job.result is not None]
    if not done:
        if len(jobs) == 1 and jobs[0].failure is not None:
            raise jobs[0].failure
        raise WorkbenchError(
            "no context could be imported: " + "; ".join(str(j.outcome.error) for j in jobs)
        )
    progress(READ_SHARE, "building the plan")
    outcome = _assemble(jobs, options)
    outcome.plan, outcome.merge = _plan_from(
        _combined(jobs),
        into,
        [job.outcome.context for job in done],
        [job.outcome.cluster for job in done],
        options.namespaces,
    )
    outcome.seconds = time.monotonic() - started
    progress(1.0, f"imported {len(done)} of {len(jobs)} context(s)")
    return outcome


def _cluster_names(contexts: Sequence[KubeContext]) -> list[str]:
    names: list[str] = []
    for ctx in contexts:
        base = name = cluster_name_for(ctx)
        n = 2
        while name in names:
            name, n = f"{base}-{n}", n + 1
        names.append(name)
    return names


def _wait(
    jobs: Sequence[_ContextJob], progress: Progress, cancel: CancelToken, stop: CancelToken
) -> None:
    last: tuple[float, str] | None = None
    while any(job.thread.is_alive() for job in jobs):
        if cancel.is_cancelled():
            stop.cancel()
            deadline = time.monotonic() + 0.5
            for job in jobs:
                job.thread.join(timeout=max(0.0, deadline - time.monotonic()))
            raise JobCancelled("the cluster import was cancelled; the plan is unchanged")
        fraction = sum(job.fraction for job in jobs) / len(jobs) * READ_SHARE
        busy = [job for job in jobs if job.thread.is_alive()]
        current = (round(fraction, 3), busy[0].message if busy else "")
        if current != last:
            progress(*current)
            last = current
        busy[0].thread.join(timeout=TICK_S)
    cancel.check("the cluster import")


def _combined(jobs: Sequence[_ContextJob]) -> Inventory:
    """One inventory holding every cluster read, with the gaps the readers met."""
    inventory = Inventory()
    for job in jobs:
        if job.result is None or job.outcome.report is None:
            # a context that could not be read is a gap in the plan, like a forbidden list
            reason = job.outcome.error or "not read"
            inventory.gaps.append(ImportGap(job.outcome.cluster, "*", reason))
            continue
        part = job.result.inventory
        report = job.outcome.report
        cluster = part.clusters.get(report.cluster)
        if cluster is not None and cluster.server_version is None:
            cluster.server_version = report.server_version
        part.gaps.extend(report.gaps)
        for f in dataclasses.fields(Inventory):
            mine, theirs = getattr(inventory, f.name), getattr(part, f.name)
            if isinstance(mine, dict):
                mine.update(theirs)
            elif isinstance(mine, list):
                mine.extend(theirs)
    return inventory


def _assemble(jobs: Sequence[_ContextJob], options: ReadOptions) -> ClusterImportOutcome:
    outcome = ClusterImportOutcome(plan=Plan())
    chosen = set(options.namespaces)
    for job in jobs:
        outcome.contexts.append(job.outcome)
        if job.result is None or job.outcome.report is None:
            cluster = job.outcome.cluster
            reason = job.outcome.error or "not read"
            outcome.warnings.append(reason)
            outcome.gaps.append(ImportGap(cluster, "*", reason))
            continue
        if chosen:
            _drop_unchosen(job.result.inventory, chosen)
        report = job.outcome.report
        outcome.warnings.extend(report.warnings)
        outcome.warnings.extend(f"{job.outcome.context}: {w}" for w in job.result.warnings)
        outcome.warnings.extend(f"{job.outcome.context}: {w}" for w in job.skipped)
        outcome.gaps.extend(report.gaps)
        for kind, n in job.result.unknown_kinds.items():
            outcome.unknown_kinds[kind] = outcome.unknown_kinds.get(kind, 0) + n
        read_ns = {ns.name for ns in job.result.inventory.namespaces.values()}
        for missing in sorted(chosen - read_ns):
            outcome.warnings.append(f"{job.outcome.context}: namespace {missing} was not found")
        outcome.system_namespaces.extend(
            key for key, ns in sorted(job.result.inventory.namespaces.items()) if ns.is_system
        )
    return outcome


def _drop_unchosen(inventory: Inventory, chosen: set[str]) -> None:
    """Keep only the chosen namespaces (the control-plane lookup reads a few objects more)."""
    inventory.workloads = {k: w for k, w in inventory.workloads.items() if w.namespace in chosen}
    inventory.services = {k: s for k, s in inventory.services.items() if s.namespace in chosen}
    inventory.namespaces = {k: n for k, n in inventory.namespaces.items() if n.name in chosen}


def _plan_from(
    inventory: Inventory,
    into: Plan | None,
    contexts: Sequence[str],
    clusters: Sequence[str],
    namespaces: Sequence[str],
) -> tuple[Plan, MergeReport | None]:
    if into is None:
        plan = new_plan(f"Live import of {', '.join(contexts)}")
        plan.inventory = inventory
        plan.dependencies = discover_dependencies(inventory)
        return plan, None
    plan, report = merge_import(into, inventory, clusters=clusters, namespaces=namespaces or None)
    plan.meta.modified = datetime.now(UTC).replace(microsecond=0).isoformat()
    return plan, report
