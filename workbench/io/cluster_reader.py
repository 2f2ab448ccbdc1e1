"""Reading one cluster's inventory lists over the Kubernetes API.

The official ``kubernetes`` client does the connection work (kubeconfig credentials,
TLS, token refresh), but list bodies are read as raw JSON and parsed with orjson:
building the client's model objects costs several times more than the transfer on
large lists, and the inventory builder wants plain dicts anyway.

Behaviour, per context:

- every list in :data:`RESOURCES` is paginated (``limit``/``continue``); a 410 Gone
  (expired continue token) restarts that list, skipping objects already delivered;
- a 401/403 on one list (or one namespace's list) records an :class:`ImportGap` and the
  import goes on; so does a list the server does not serve or keeps failing with 5xx;
- a server that cannot be reached, does not answer in time, drops connections or fails
  the TLS handshake stops the context with one :class:`ClusterUnreachable` naming the
  context and the server;
- progress is reported after each page; cancellation is checked before every request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from workbench.domain.inventory import ImportGap
from workbench.io.cluster_api import CancelCheck as CancelCheck
from workbench.io.cluster_api import ClusterApi, HttpStatusError, never_cancelled
from workbench.io.cluster_api import ClusterUnreachable as ClusterUnreachable
from workbench.io.cluster_api import ReadOptions as ReadOptions
from workbench.io.cluster_resources import RESOURCES, ResourceSpec
from workbench.io.kubeconfig import Kubeconfig, KubeContext

Progress = Callable[[float, str], None]
Sink = Callable[[ResourceSpec, list[dict[str, Any]]], None]
MAX_RESTARTS = 3


@dataclass(slots=True)
class ReadReport:
    """What reading one context produced besides the objects themselves."""

    context: str
    cluster: str
    server_version: str | None = None
    gaps: list[ImportGap] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # objects delivered, by kind
    requests: int = 0


@dataclass(frozen=True, slots=True)
class _Step:
    spec: ResourceSpec
    version: str
    namespace: str | None  # None: one cluster-wide list


class ClusterReader:
    """Reads one context; objects go to ``sink`` page by page as raw dicts."""

    def __init__(
        self,
        kubeconfig: Kubeconfig,
        context: KubeContext,
        cluster: str,
        options: ReadOptions | None = None,
        *,
        progress: Progress | None = None,
        cancel: CancelCheck | None = None,
    ) -> None:
        self.kubeconfig = kubeconfig
        self.context = context
        self.options = options or ReadOptions()
        self.progress = progress or (lambda _f, _m: None)
        self.cancelled = cancel.is_cancelled if cancel is not None else never_cancelled
        self.report = ReadReport(context=context.name, cluster=cluster)
        self._chosen = set(self.options.namespaces)

    def read(self, sink: Sink) -> ReadReport:
        api = ClusterApi(self.kubeconfig, self.context, self.options, self.cancelled)
        try:
            self._read(api, sink)
        finally:
            self.report.requests = api.requests
            api.close()
        return self.report

    def _read(self, api: ClusterApi, sink: Sink) -> None:
        name = self.context.name
        self.progress(0.0, f"{name}: connecting to {self.context.server}")
        self.report.server_version = self._server_version(api)
        steps = list(self._plan(api))
        denied: list[int] = []
        for done, step in enumerate(steps):
            where = f" in {step.namespace}" if step.namespace else ""
            base, share = done / len(steps), 1 / len(steps)
            self.progress(base, f"{name}: reading {step.spec.title}{where}")
            try:
                self._read_list(api, step, sink, self._page_progress(base, share, step))
            except HttpStatusError as exc:
                if exc.status in (401, 403):
                    denied.append(exc.status)
                self._gap(step, exc)
        if steps and len(denied) == len(steps):
            if 401 in denied:
                raise api.unreachable("the server rejected the credentials (401 Unauthorized)")
            raise api.unreachable("every list was refused (403 Forbidden): no read access")
        self.progress(1.0, f"{name}: done")

    def _page_progress(self, base: float, share: float, step: _Step) -> Callable[[float], None]:
        def page_done(fraction: float) -> None:
            count = self.report.counts.get(step.spec.kind, 0)
            message = f"{self.context.name}: {step.spec.title} ({count})"
            self.progress(base + share * fraction, message)

        return page_done

    def _gap(self, step: _Step, exc: HttpStatusError) -> None:
        where = f" in namespace {step.namespace}" if step.namespace else ""
        reason = f"{exc.status} {exc.message}"
        self.report.gaps.append(
            ImportGap(self.report.cluster, step.spec.plural, reason, step.namespace)
        )
        self.report.warnings.append(
            f"{self.context.name}: could not read {step.spec.plural}{where}: {reason}"
        )

    def _server_version(self, api: ClusterApi) -> str | None:
        try:
            doc = api.get("/version")
        except HttpStatusError as exc:
            if exc.status == 401:
                raise api.unreachable(f"the server rejected the credentials ({exc})") from None
            return None
        version = doc.get("gitVersion")
        return str(version) if version else None

    def _served(self, api: ClusterApi) -> dict[str, list[str]] | None:
        """Group name -> served versions, or None when discovery is refused."""
        try:
            doc = api.get("/apis")
        except HttpStatusError as exc:
            self.report.warnings.append(
                f"{self.context.name}: API discovery refused ({exc}); optional resources skipped"
            )
            return None
        groups: dict[str, list[str]] = {}
        for group in doc.get("groups") or []:
            versions = [str(v.get("version")) for v in group.get("versions") or []]
            groups[str(group.get("name"))] = versions
        return groups

    def _plan(self, api: ClusterApi) -> Iterator[_Step]:
        served = self._served(api)
        resources: dict[str, set[str]] = {}
        for spec in RESOURCES:
            if spec.supplement and not self._chosen:
                continue
            version = self._version(api, spec, served, resources)
            if version is None:
                continue
            if spec.namespaced and self._chosen and not spec.supplement:
                for ns in self.options.namespaces:
                    yield _Step(spec, version, ns)
            else:
                yield _Step(spec, version, None)

    def _version(
        self,
        api: ClusterApi,
        spec: ResourceSpec,
        served: dict[str, list[str]] | None,
        resources: dict[str, set[str]],
    ) -> str | None:
        if not spec.group:
            return spec.versions[0]
        if served is None:
            return None if spec.optional else spec.versions[0]
        version = next((v for v in spec.versions if v in served.get(spec.group, [])), None)
        if version is None or not spec.optional:
            return version
        group_version = f"{spec.group}/{version}"
        if group_version not in resources:
            try:
                doc = api.get(f"/apis/{group_version}")
            except HttpStatusError:
                doc = {}
            names = {str(r.get("name")) for r in doc.get("resources") or []}
            resources[group_version] = names
        return version if spec.plural in resources[group_version] else None

    def _read_list(
        self, api: ClusterApi, step: _Step, sink: Sink, page_done: Callable[[float], None]
    ) -> None:
        spec = step.spec
        path = spec.list_path(step.version, step.namespace)
        api_version, kind = spec.api_version(step.version), spec.kind
        seen: set[tuple[str, str]] = set()
        token: str | None = None
        restarts, got = 0, 0
        while True:
            query: list[tuple[str, Any]] = [("limit", self.options.page_size)]
            if token:
                query.append(("continue", token))
            if spec.label_selector:
                query.append(("labelSelector", spec.label_selector))
            try:
                doc = api.get(path, query)
            except HttpStatusError as exc:
                if exc.status != 410 or not token or restarts >= MAX_RESTARTS:
                    raise
                restarts += 1
                token = None  # the snapshot expired: list again from the start
                continue
            items = self._fresh(doc.get("items") or [], seen, spec)
            for item in items:
                item["apiVersion"] = api_version
                item["kind"] = kind
            if items:
                got += len(items)
                self.report.counts[kind] = self.report.counts.get(kind, 0) + len(items)
                sink(spec, items)
            meta = doc.get("metadata") or {}
            token = meta.get("continue") or None
            if not token:
                return
            remaining = meta.get("remainingItemCount")
            if isinstance(remaining, int) and remaining >= 0:
                page_done(got / (got + remaining) if got + remaining else 1.0)

    def _fresh(
        self, raw: list[Any], seen: set[tuple[str, str]], spec: ResourceSpec
    ) -> list[dict[str, Any]]:
        """Items not delivered before (a restarted list repeats them), within the choice."""
        out = []
        limited = bool(self._chosen)
        for item in raw:
            if not isinstance(item, dict):
                continue
            meta = item.get("metadata") or {}
            namespace, name = meta.get("namespace"), meta.get("name")
            if type(namespace) is not str or type(name) is not str:
                namespace, name = str(namespace or ""), str(name or "")
            key = (namespace, name)
            if key in seen:
                continue
            seen.add(key)
            if limited and (
                (spec.kind == "Namespace" and name not in self._chosen)
                or (spec.supplement and namespace in self._chosen)
            ):
                continue
            out.append(item)
        return out
