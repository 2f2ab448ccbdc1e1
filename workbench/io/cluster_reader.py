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

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

import orjson
import urllib3
from kubernetes.client import Configuration
from kubernetes.client.exceptions import ApiException
from kubernetes.config import kube_config
from kubernetes.config.config_exception import ConfigException

from workbench.domain.errors import WorkbenchError
from workbench.domain.inventory import ImportGap
from workbench.domain.jobs import JobCancelled
from workbench.io.cluster_resources import RESOURCES, ResourceSpec
from workbench.io.kubeconfig import Kubeconfig, KubeconfigError, KubeContext

new_client: Any = kube_config.new_client_from_config
Progress = Callable[[float, str], None]
Sink = Callable[[ResourceSpec, list[dict[str, Any]]], None]
MAX_RESTARTS = 3
MAX_ATTEMPTS = 3  # per request, on dropped connections, 429 and 5xx


class CancelCheck(Protocol):
    def is_cancelled(self) -> bool: ...


class ClusterUnreachable(WorkbenchError):
    """A context's API server cannot be used at all (down, timing out, broken TLS ...)."""


@dataclass(frozen=True, slots=True)
class ReadOptions:
    namespaces: tuple[str, ...] = ()  # empty: all namespaces
    page_size: int = 500
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 30.0


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


class _HttpStatus(Exception):
    def __init__(self, status: int, message: str, body: dict[str, Any] | None = None) -> None:
        super().__init__(f"{status} {message}")
        self.status = status
        self.message = message
        self.body = body or {}


def _never_cancelled() -> bool:
    return False


class _Api:
    """GET requests returning parsed JSON, with errors turned into clear categories."""

    def __init__(
        self, kubeconfig: Kubeconfig, context: KubeContext, options: ReadOptions, cancelled: Any
    ) -> None:
        self.context = context
        self.options = options
        self.cancelled: Callable[[], bool] = cancelled
        self.requests = 0
        cfg = Configuration()
        cfg.retries = False  # retries are decided here, per failure kind
        try:
            # the client is untyped; ``Any`` keeps strict type checking to this module's code
            self.client: Any = new_client(
                config_file=kubeconfig.config_file,
                context=context.name,
                persist_config=False,
                client_configuration=cfg,
            )
        except (ConfigException, OSError, ValueError, TypeError) as exc:
            raise KubeconfigError(
                f"cannot use context {context.name!r} from kubeconfig {kubeconfig.where}: {exc}"
            ) from None

    def close(self) -> None:
        self.client.close()

    def unreachable(self, what: str) -> ClusterUnreachable:
        return ClusterUnreachable(
            f"cannot import context {self.context.name!r} from {self.context.server}: {what}"
        )

    def get(self, path: str, query: list[tuple[str, Any]] | None = None) -> dict[str, Any]:
        attempt = 0
        while True:
            attempt += 1
            self.check_cancel()
            try:
                return self._get_once(path, query)
            except _HttpStatus as exc:
                if exc.status not in (429, 500, 502, 503, 504) or attempt >= MAX_ATTEMPTS:
                    raise
                self.sleep(min(2.0, 0.2 * attempt))
            except urllib3.exceptions.ProtocolError as exc:
                if attempt >= MAX_ATTEMPTS:
                    raise self.unreachable(
                        f"the server closed the connection ({_reason(exc)})"
                    ) from None

    def check_cancel(self) -> None:
        if self.cancelled():
            raise JobCancelled(f"import of context {self.context.name!r} cancelled")

    def sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.check_cancel()
            time.sleep(min(0.05, max(0.0, deadline - time.monotonic())))

    def _get_once(self, path: str, query: list[tuple[str, Any]] | None) -> dict[str, Any]:
        method, url, headers, _body, _post = self.client.param_serialize(
            "GET",
            path,
            query_params=query or None,
            # gzip as kubectl asks for it: large lists shrink about tenfold on the wire
            header_params={"Accept": "application/json", "Accept-Encoding": "gzip"},
            auth_settings=["BearerToken"],
        )
        timeout = (self.options.connect_timeout_s, self.options.read_timeout_s)
        self.requests += 1
        try:
            response = self.client.call_api(
                method, url, header_params=headers, _request_timeout=timeout
            )
            data: bytes = response.read()
        except urllib3.exceptions.ProtocolError:
            raise
        except urllib3.exceptions.NewConnectionError as exc:
            raise self.unreachable(f"cannot connect ({_reason(exc)})") from None
        except urllib3.exceptions.ConnectTimeoutError:
            raise self.unreachable(
                f"connection timed out after {self.options.connect_timeout_s:g} s"
            ) from None
        except urllib3.exceptions.ReadTimeoutError:
            raise self.unreachable(
                f"no answer to {path} within {self.options.read_timeout_s:g} s"
            ) from None
        except urllib3.exceptions.SSLError as exc:
            raise self.unreachable(f"TLS handshake failed ({_reason(exc)})") from None
        except ApiException as exc:  # the client reports TLS failures as status 0
            raise self.unreachable(_tls_or_other(exc)) from None
        except urllib3.exceptions.HTTPError as exc:
            raise self.unreachable(_reason(exc)) from None
        if not 200 <= response.status <= 299:
            body = _json_or_none(data)
            message = str(body.get("message") or response.reason) if body else response.reason
            raise _HttpStatus(response.status, message, body)
        try:
            doc = orjson.loads(data)
        except orjson.JSONDecodeError:
            raise self.unreachable(f"the answer to {path} is not JSON") from None
        if not isinstance(doc, dict):
            raise self.unreachable(f"the answer to {path} is not a JSON object")
        return doc


def _reason(exc: BaseException) -> str:
    inner = exc.args[-1] if exc.args else exc
    text = str(getattr(inner, "reason", None) or inner)
    if "Connection refused" in text or isinstance(inner, ConnectionRefusedError):
        return "connection refused"
    return text.split(": ", 1)[-1] if "object at 0x" in text else text


def _tls_or_other(exc: ApiException) -> str:
    reason = str(exc.reason or exc)
    if reason.startswith("SSLError"):
        detail = reason.split("\n", 1)[-1]
        if "CERTIFICATE_VERIFY_FAILED" in detail:
            return (
                "TLS certificate verification failed (the server's certificate is not "
                "signed by the certificate authority the kubeconfig names)"
            )
        if "WRONG_VERSION_NUMBER" in detail or "wrong version number" in detail:
            return "TLS handshake failed: the server does not speak TLS on this address"
        return f"TLS handshake failed ({detail})"
    return reason


def _json_or_none(data: bytes) -> dict[str, Any] | None:
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError:
        return None
    return doc if isinstance(doc, dict) else None


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
        self.cancelled = cancel.is_cancelled if cancel is not None else _never_cancelled
        self.report = ReadReport(context=context.name, cluster=cluster)
        self._chosen = set(self.options.namespaces)

    def read(self, sink: Sink) -> ReadReport:
        api = _Api(self.kubeconfig, self.context, self.options, self.cancelled)
        try:
            self._read(api, sink)
        finally:
            self.report.requests = api.requests
            api.close()
        return self.report

    def _read(self, api: _Api, sink: Sink) -> None:
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
            except _HttpStatus as exc:
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

    def _gap(self, step: _Step, exc: _HttpStatus) -> None:
        where = f" in namespace {step.namespace}" if step.namespace else ""
        reason = f"{exc.status} {exc.message}"
        self.report.gaps.append(
            ImportGap(self.report.cluster, step.spec.plural, reason, step.namespace)
        )
        self.report.warnings.append(
            f"{self.context.name}: could not read {step.spec.plural}{where}: {reason}"
        )

    def _server_version(self, api: _Api) -> str | None:
        try:
            doc = api.get("/version")
        except _HttpStatus as exc:
            if exc.status == 401:
                raise api.unreachable(f"the server rejected the credentials ({exc})") from None
            return None
        version = doc.get("gitVersion")
        return str(version) if version else None

    def _served(self, api: _Api) -> dict[str, list[str]] | None:
        """Group name -> served versions, or None when discovery is refused."""
        try:
            doc = api.get("/apis")
        except _HttpStatus as exc:
            self.report.warnings.append(
                f"{self.context.name}: API discovery refused ({exc}); optional resources skipped"
            )
            return None
        groups: dict[str, list[str]] = {}
        for group in doc.get("groups") or []:
            versions = [str(v.get("version")) for v in group.get("versions") or []]
            groups[str(group.get("name"))] = versions
        return groups

    def _plan(self, api: _Api) -> Iterator[_Step]:
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
        api: _Api,
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
            except _HttpStatus:
                doc = {}
            names = {str(r.get("name")) for r in doc.get("resources") or []}
            resources[group_version] = names
        return version if spec.plural in resources[group_version] else None

    def _read_list(
        self, api: _Api, step: _Step, sink: Sink, page_done: Callable[[float], None]
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
            except _HttpStatus as exc:
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
