"""GET requests to one context's API server: parsed JSON, clear errors, bounded time.

:class:`ClusterApi` wraps the official ``kubernetes`` client (which does the connection
work: kubeconfig credentials, TLS, token refresh) and turns every failure into one of a
few categories: :class:`HttpStatusError` for an HTTP status the caller decides about,
:class:`ClusterUnreachable` for a server that cannot be used (down, timing out, dripping,
broken TLS), :class:`~workbench.io.kubeconfig.KubeconfigError` for a context that cannot
be used (including an exec credential plugin that fails: the client would log the error
and carry on without credentials; here it is an error naming the plugin, and no request
is sent).

Time is bounded per request (``read_timeout_s`` covers the whole request: connecting,
sending and the whole answer, not each socket read) and, optionally, for everything the
api does (``deadline_s``). A request given up on (its time passed, the import's deadline
passed, or the import was cancelled) has its connection shut down, so the helper thread
that ran it ends at once instead of reading on from a server that drips its answer.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

import orjson
import urllib3
import urllib3.connection
import urllib3.poolmanager
import urllib3.response
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
    connect_timeout_s: float = 5.0  # at most, and never more than read_timeout_s
    read_timeout_s: float = 30.0  # for each request in all: connect, send, whole answer
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


class _Connection:
    """The socket one request runs on, so that the thread that gave up on the request can
    shut it down (which wakes the helper thread blocked reading it)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._dropped = False

    def attach(self, sock: socket.socket | None) -> None:
        with self._lock:
            self._sock = sock
            dropped = self._dropped
        if dropped:  # given up on while it was connecting: nothing more is read
            _shut_down(sock)

    def drop(self) -> None:
        with self._lock:
            self._dropped = True
            sock = self._sock
        _shut_down(sock)


def _shut_down(sock: socket.socket | None) -> None:
    if sock is not None:
        with contextlib.suppress(OSError, ValueError):
            # the plain socket's shutdown: an SSL socket's own would reset its state under
            # the thread reading it; this way that thread just sees the connection end
            socket.socket.shutdown(sock, socket.SHUT_RDWR)


_this_thread = threading.local()  # .request: the _Connection of the request it runs


def _attach(sock: socket.socket | None) -> None:
    request: _Connection | None = getattr(_this_thread, "request", None)
    if request is not None:
        request.attach(sock)


# urllib3's connections return urllib3's HTTPResponse from getresponse, not http.client's:
# their overrides are typed as urllib3's own are (with the same "ignore")
class _HTTPConnection(urllib3.connection.HTTPConnection):
    def getresponse(self) -> urllib3.response.HTTPResponse:  # type: ignore[override]
        _attach(self.sock)  # connected and sent: the answer is read from here on
        return super().getresponse()


class _HTTPSConnection(urllib3.connection.HTTPSConnection):
    def getresponse(self) -> urllib3.response.HTTPResponse:  # type: ignore[override]
        _attach(self.sock)
        return super().getresponse()


class _HTTPConnectionPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSConnectionPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


def _track_connections(client: Any) -> None:
    """Let requests of ``client`` be shut down from another thread (see :class:`_Connection`).
    A pool manager with pools of its own (a SOCKS proxy) is left as it is: its requests
    are still abandoned in time, only their connections are not shut down."""
    manager: Any = getattr(getattr(client, "rest_client", None), "pool_manager", None)
    if (
        getattr(manager, "pool_classes_by_scheme", None)
        is urllib3.poolmanager.pool_classes_by_scheme
    ):
        manager.pool_classes_by_scheme = {
            "http": _HTTPConnectionPool,
            "https": _HTTPSConnectionPool,
        }


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
        _track_connections(self.client)
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

    @property
    def connect_timeout_s(self) -> float:
        """Connecting is part of the request: never longer than the request may take."""
        return min(self.options.connect_timeout_s, self.options.read_timeout_s)

    def _get_once(self, path: str, query: list[tuple[str, Any]] | None) -> dict[str, Any]:
        """One request, answered completely within the per-request limit (connecting,
        sending and the whole answer) and the import's deadline.

        urllib3's read timeout bounds each socket read, so a server that drips a byte
        at a time would never time out; the request runs on a helper thread instead,
        and is abandoned (its connection shut down) when its time passes or the import
        is cancelled. The helper thread is a daemon: it never keeps the process alive."""
        box: dict[str, Any] = {}
        done = threading.Event()
        connection = _Connection()

        def work() -> None:
            _this_thread.request = connection
            try:
                box["answer"] = self._request(path, query)
            except BaseException as exc:  # handed to the calling thread
                box["error"] = exc
            finally:
                done.set()

        limit = self.options.read_timeout_s
        ends = time.monotonic() + limit
        threading.Thread(target=work, name=f"request {path}", daemon=True).start()
        try:
            while not done.wait(min(_TICK_S, max(0.0, ends - time.monotonic()))):
                self.check_cancel()
                now = time.monotonic()
                if self.deadline is not None and now >= self.deadline:
                    raise self.unreachable(
                        f"the import's deadline of {self.options.deadline_s:g} s passed "
                        f"while reading {path}"
                    )
                if now >= ends:
                    raise self.unreachable(f"no complete answer to {path} within {limit:g} s")
        except BaseException:
            self.abandoned = True
            connection.drop()
            raise
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
        timeout = (self.connect_timeout_s, self.options.read_timeout_s)
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
                f"connection timed out after {self.connect_timeout_s:g} s"
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
