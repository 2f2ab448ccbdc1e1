"""GET requests to one context's API server: parsed JSON, clear errors, bounded time.

:class:`ClusterApi` wraps the official ``kubernetes`` client (which does the connection
work: kubeconfig credentials, TLS, token refresh) and turns every failure into one of a
few categories: :class:`HttpStatusError` for an HTTP status the caller decides about,
:class:`ClusterUnreachable` for a server that cannot be used (down, timing out, dripping,
broken TLS), :class:`~workbench.io.kubeconfig.KubeconfigError` for a context that cannot
be used (including an exec credential plugin that fails: the client would log the error
and carry on without credentials; here it is an error naming the plugin, and no request
is sent).

Time is bounded per request (``read_timeout_s`` covers the whole answer, not each socket
read) and, optionally, for everything the api does (``deadline_s``).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

import orjson
import urllib3
from kubernetes.client import Configuration
from kubernetes.client.exceptions import ApiException
from kubernetes.config import kube_config
from kubernetes.config.config_exception import ConfigException

from workbench.domain.errors import WorkbenchError
from workbench.domain.jobs import JobCancelled
from workbench.io.kubeconfig import Kubeconfig, KubeconfigError, KubeContext

new_client: Any = kube_config.new_client_from_config
MAX_ATTEMPTS = 3  # per request, on dropped connections, 429 and 5xx
_TICK_S = 0.05


class CancelCheck(Protocol):
    def is_cancelled(self) -> bool: ...


class ClusterUnreachable(WorkbenchError):
    """A context's API server cannot be used at all (down, timing out, broken TLS ...)."""


@dataclass(frozen=True, slots=True)
class ReadOptions:
    namespaces: tuple[str, ...] = ()  # empty: all namespaces
    page_size: int = 500
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 30.0  # for each request, its whole answer
    deadline_s: float | None = None  # for a whole context


class HttpStatusError(Exception):
    """An HTTP status other than 2xx; the caller decides what it means."""

    def __init__(self, status: int, message: str, body: dict[str, Any] | None = None) -> None:
        super().__init__(f"{status} {message}")
        self.status = status
        self.message = message
        self.body = body or {}


class _CredentialErrors(logging.Filter):
    """Catches what the client logs (and would otherwise print) while it loads
    credentials on this thread."""

    def __init__(self) -> None:
        super().__init__()
        self.thread = threading.get_ident()
        self.messages: list[str] = []

    def filter(self, record: logging.LogRecord) -> bool:
        if record.thread != self.thread or record.levelno < logging.ERROR:
            return True
        message = record.getMessage().strip().splitlines()
        self.messages.append((message[0] if message else "unknown error")[:300])
        return False  # not printed: it becomes the error raised instead


@contextlib.contextmanager
def credential_errors() -> Iterator[list[str]]:
    catcher = _CredentialErrors()
    root = logging.getLogger()
    root.addFilter(catcher)
    try:
        yield catcher.messages
    finally:
        root.removeFilter(catcher)


def never_cancelled() -> bool:
    return False


class ClusterApi:
    """GET requests returning parsed JSON, with errors turned into clear categories."""

    def __init__(
        self, kubeconfig: Kubeconfig, context: KubeContext, options: ReadOptions, cancelled: Any
    ) -> None:
        self.context = context
        self.options = options
        self.cancelled: Callable[[], bool] = cancelled
        self.requests = 0
        self.abandoned = False  # a request was given up: its connection may still be busy
        self.deadline = (
            time.monotonic() + options.deadline_s if options.deadline_s is not None else None
        )
        cfg = Configuration()
        cfg.retries = False  # retries are decided here, per failure kind
        with credential_errors() as errors:
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
        if errors:
            self.client.close()
            plugin = context.exec_command
            what = f"exec credential plugin {plugin!r}" if plugin else "credential plugin"
            raise KubeconfigError(
                f"cannot use context {context.name!r}: its {what} failed: {errors[0]} "
                "(no request was sent without credentials)"
            )

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
            except HttpStatusError as exc:
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
        """One request, answered completely within the per-request deadline.

        urllib3's read timeout bounds each socket read, so a server that drips a byte
        at a time would never time out; the request runs on a helper thread instead,
        and is abandoned (its connection dropped) when its deadline passes."""
        box: dict[str, Any] = {}
        done = threading.Event()

        def work() -> None:
            try:
                box["answer"] = self._request(path, query)
            except BaseException as exc:  # handed to the calling thread
                box["error"] = exc
            finally:
                done.set()

        started = time.monotonic()
        limit = self.options.connect_timeout_s + self.options.read_timeout_s
        threading.Thread(target=work, name=f"request {path}", daemon=True).start()
        while not done.wait(_TICK_S):
            self.check_cancel()
            now = time.monotonic()
            if self.deadline is not None and now >= self.deadline:
                self.abandoned = True
                raise self.unreachable(
                    f"the import's deadline of {self.options.deadline_s:g} s passed "
                    f"while reading {path}"
                )
            if now - started >= limit:
                self.abandoned = True
                raise self.unreachable(
                    f"no complete answer to {path} within {self.options.read_timeout_s:g} s"
                )
        if "error" in box:
            raise box["error"]
        answer: dict[str, Any] = box["answer"]
        return answer

    def _request(self, path: str, query: list[tuple[str, Any]] | None) -> dict[str, Any]:
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
            raise HttpStatusError(response.status, message, body)
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
