"""A loopback Kubernetes API server for tests: discovery, paginated lists, faults.

It serves what kubectl and the ``kubernetes`` client need to list objects: ``/version``,
``/api``, ``/apis``, per-group resource lists, and list endpoints cluster-wide and per
namespace with real ``limit``/``continue`` pagination over a consistent snapshot
(objects sorted by namespace and name, as etcd returns them). Pages are serialised once
and cached, so a benchmark measures the client rather than this server.

Faults (see :class:`Faults`): 401 and 403 on chosen resources or namespaces, a 410 Gone
on a list's first continue token, slow answers, answers dripped a byte at a time, dropped
connections, a required bearer token. Every request path is logged in ``requests``.
Optional TLS with a self-signed certificate made by the ``openssl`` command
(:func:`make_certificate`).
It binds 127.0.0.1 only.
"""

from __future__ import annotations

import base64
import gzip
import http.server
import re
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import orjson
import yaml

# kind -> (group, version, plural, namespaced)
TYPES: dict[str, tuple[str, str, str, bool]] = {
    "Namespace": ("", "v1", "namespaces", False),
    "Node": ("", "v1", "nodes", False),
    "Pod": ("", "v1", "pods", True),
    "Service": ("", "v1", "services", True),
    "ServiceAccount": ("", "v1", "serviceaccounts", True),
    "ConfigMap": ("", "v1", "configmaps", True),
    "Secret": ("", "v1", "secrets", True),
    "LimitRange": ("", "v1", "limitranges", True),
    "ResourceQuota": ("", "v1", "resourcequotas", True),
    "Deployment": ("apps", "v1", "deployments", True),
    "StatefulSet": ("apps", "v1", "statefulsets", True),
    "DaemonSet": ("apps", "v1", "daemonsets", True),
    "ReplicaSet": ("apps", "v1", "replicasets", True),
    "Job": ("batch", "v1", "jobs", True),
    "CronJob": ("batch", "v1", "cronjobs", True),
    "HorizontalPodAutoscaler": ("autoscaling", "v2", "horizontalpodautoscalers", True),
    "NetworkPolicy": ("networking.k8s.io", "v1", "networkpolicies", True),
    "Ingress": ("networking.k8s.io", "v1", "ingresses", True),
    "ValidatingWebhookConfiguration": (
        "admissionregistration.k8s.io",
        "v1",
        "validatingwebhookconfigurations",
        False,
    ),
    "MutatingWebhookConfiguration": (
        "admissionregistration.k8s.io",
        "v1",
        "mutatingwebhookconfigurations",
        False,
    ),
    "APIService": ("apiregistration.k8s.io", "v1", "apiservices", False),
}
SHORT_NAMES = {
    "Deployment": ["deploy"],
    "Service": ["svc"],
    "ConfigMap": ["cm"],
    "Namespace": ["ns"],
    "Pod": ["po"],
}
# Custom resources, served only when ``crds`` names their kind.
CRD_TYPES: dict[str, tuple[str, str, str, bool]] = {
    "ServiceMonitor": ("monitoring.coreos.com", "v1", "servicemonitors", True),
    "PodMonitor": ("monitoring.coreos.com", "v1", "podmonitors", True),
    "PeerAuthentication": ("security.istio.io", "v1", "peerauthentications", True),
    "AuthorizationPolicy": ("security.istio.io", "v1", "authorizationpolicies", True),
    "RequestAuthentication": ("security.istio.io", "v1", "requestauthentications", True),
}


@dataclass
class Faults:
    """What the server does wrong. Resources are plurals; ``"*"`` means every resource."""

    unauthorized: set[str] = field(default_factory=set)  # 401 on these lists
    forbidden: set[str] = field(default_factory=set)  # 403 on these lists, everywhere
    forbidden_in: set[tuple[str, str]] = field(default_factory=set)  # (plural, namespace)
    gone_once: set[str] = field(default_factory=set)  # 410 on the first continue token
    drop: set[str] = field(default_factory=set)  # close the connection without answering
    drop_once: set[str] = field(default_factory=set)
    delay_s: float = 0.0  # before every answer
    drip_s: float = 0.0  # send answers one byte at a time, this long apart
    token: str | None = None  # bearer token required for everything but /version


class FakeApiServer:
    """Start with ``with FakeApiServer(objects) as server:``; ``server.url`` is its address."""

    def __init__(
        self,
        objects: Iterable[dict[str, Any]] = (),
        *,
        faults: Faults | None = None,
        crds: Iterable[str] = (),
        tls: tuple[Path, Path] | None = None,
        version: str = "v1.30.2",
        gzip: bool = False,
    ) -> None:
        self.faults = faults or Faults()
        self.gzip = gzip  # compress answers for clients that accept gzip
        self.gzipped = 0  # answers sent compressed
        self.types = dict(TYPES) | {k: CRD_TYPES[k] for k in crds}
        self.version = version
        self.tls = tls
        self.requests: list[str] = []
        self._objects: dict[str, list[tuple[tuple[str, str], bytes]]] = {}
        self._pages: dict[str, bytes] = {}
        self._lock = threading.Lock()
        self._server: http.server.ThreadingHTTPServer | None = None
        self._url = ""
        for obj in objects:
            self.add(obj)

    # objects ---------------------------------------------------------------------------
    def add(self, obj: dict[str, Any]) -> None:
        kind = obj["kind"]
        _group, _version, plural, namespaced = self.types[kind]
        meta = obj.get("metadata", {})
        stored = {k: v for k, v in obj.items() if k not in ("apiVersion", "kind")}
        key = (meta.get("namespace", "") if namespaced else "", meta["name"])
        self._objects.setdefault(plural, []).append((key, orjson.dumps(stored)))
        self._pages.clear()

    def freeze(self) -> None:
        for items in self._objects.values():
            items.sort(key=lambda kv: kv[0])

    # lifecycle -------------------------------------------------------------------------
    @property
    def url(self) -> str:
        """The server's address (still known after it stopped, for messages)."""
        assert self._url, "the server has not been started"
        return self._url

    def start(self) -> FakeApiServer:
        self.freeze()
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        server.daemon_threads = True
        if self.tls:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(str(self.tls[0]), str(self.tls[1]))
            server.socket = ctx.wrap_socket(server.socket, server_side=True)
        self._server = server
        scheme = "https" if self.tls else "http"
        self._url = f"{scheme}://127.0.0.1:{server.server_address[1]}"
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeApiServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # routing ---------------------------------------------------------------------------
    def answer(self, path: str, query: dict[str, list[str]], auth: str | None) -> tuple[int, bytes]:
        """Status and body for one GET; ``(-1, b"")`` means drop the connection."""
        with self._lock:
            self.requests.append(path + ("?" + _qs(query) if query else ""))
        if path == "/version":
            minor = self.version.split(".")[1]
            return 200, _json({"major": "1", "minor": minor, "gitVersion": self.version})
        f = self.faults
        if f.token is not None and auth != f"Bearer {f.token}":
            return 401, _status(401, "Unauthorized", "Unauthorized")
        if path == "/api":
            return 200, _json({"kind": "APIVersions", "versions": ["v1"]})
        if path == "/apis":
            return 200, self._group_list()
        if m := re.fullmatch(r"/api/(v1)|/apis/([^/]+)/([^/]+)", path):
            group, version = ("", "v1") if m.group(1) else (m.group(2), m.group(3))
            return self._resource_list(group, version)
        m = re.fullmatch(
            r"/(?:api|apis/(?P<g>[^/]+))/(?P<v>[^/]+)(?:/namespaces/(?P<ns>[^/]+))?/(?P<r>[^/]+)",
            path,
        )
        if not m:
            return 404, _status(404, "NotFound", f"the server could not find {path}")
        return self._list(m["g"] or "", m["v"], m["ns"], m["r"], query)

    def _list(
        self, group: str, version: str, ns: str | None, plural: str, query: dict[str, list[str]]
    ) -> tuple[int, bytes]:
        kind = next((k for k, t in self.types.items() if t[:3] == (group, version, plural)), None)
        if kind is None:
            return 404, _status(404, "NotFound", "the server could not find the requested resource")
        f = self.faults
        with self._lock:
            if plural in f.drop or "*" in f.drop:
                return -1, b""
            if plural in f.drop_once:
                f.drop_once.discard(plural)
                return -1, b""
        if plural in f.unauthorized or "*" in f.unauthorized:
            return 401, _status(401, "Unauthorized", "Unauthorized")
        if plural in f.forbidden or "*" in f.forbidden or (plural, ns) in f.forbidden_in:
            scope = f'in the namespace "{ns}"' if ns else "at the cluster scope"
            msg = f'{plural} is forbidden: User "test" cannot list resource "{plural}" {scope}'
            return 403, _status(403, "Forbidden", msg)
        token = query.get("continue", [""])[0]
        with self._lock:
            if token and plural in f.gone_once:
                f.gone_once.discard(plural)
                msg = "The provided continue parameter is too old"
                return 410, _status(410, "Expired", msg)
        page_key = f"{group}/{version}/{ns}/{plural}?{_qs(query)}"
        cached = self._pages.get(page_key)
        if cached is None:
            cached = self._page(kind, group, version, ns, plural, query)
            self._pages[page_key] = cached
        return 200, cached

    def _page(
        self,
        kind: str,
        group: str,
        version: str,
        ns: str | None,
        plural: str,
        query: dict[str, list[str]],
    ) -> bytes:
        items = [kv for kv in self._objects.get(plural, []) if ns is None or kv[0][0] == ns]
        selector = query.get("labelSelector", [""])[0]
        if selector:
            items = [kv for kv in items if _matches(orjson.loads(kv[1]), selector)]
        token = query.get("continue", [""])[0]
        start = int(orjson.loads(base64.b64decode(token))["start"]) if token else 0
        limit = int(query.get("limit", ["0"])[0] or 0)
        end = min(len(items), start + limit) if limit > 0 else len(items)
        meta: dict[str, Any] = {"resourceVersion": "1000"}
        if end < len(items):
            meta["continue"] = base64.b64encode(orjson.dumps({"start": end, "rv": 1000})).decode()
            meta["remainingItemCount"] = len(items) - end
        api_version = f"{group}/{version}" if group else version
        head = _json({"kind": f"{kind}List", "apiVersion": api_version, "metadata": meta})
        body = b",".join(raw for _, raw in items[start:end])
        return head[:-1] + b',"items":[' + body + b"]}"

    def _group_list(self) -> bytes:
        groups: dict[str, set[str]] = {}
        for group, version, _plural, _ns in self.types.values():
            if group:
                groups.setdefault(group, set()).add(version)
        out = []
        for name, versions in sorted(groups.items()):
            vs = [{"groupVersion": f"{name}/{v}", "version": v} for v in sorted(versions)]
            out.append({"name": name, "versions": vs, "preferredVersion": vs[0]})
        return _json({"kind": "APIGroupList", "apiVersion": "v1", "groups": out})

    def _resource_list(self, group: str, version: str) -> tuple[int, bytes]:
        resources = [
            {
                "name": plural,
                "singularName": kind.lower(),
                "namespaced": namespaced,
                "kind": kind,
                "verbs": ["get", "list", "watch"],
                "shortNames": SHORT_NAMES.get(kind, []),
            }
            for kind, (g, v, plural, namespaced) in self.types.items()
            if (g, v) == (group, version)
        ]
        if not resources:
            return 404, _status(404, "NotFound", "the server could not find the requested resource")
        group_version = f"{group}/{version}" if group else version
        doc = {"kind": "APIResourceList", "groupVersion": group_version, "resources": resources}
        return 200, _json(doc)


def _handler_for(api: FakeApiServer) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            status, body = api.answer(
                parts.path, parse_qs(parts.query), self.headers.get("Authorization")
            )
            if api.faults.delay_s:
                time.sleep(api.faults.delay_s)
            if status < 0:
                self.close_connection = True
                return
            if api.faults.drip_s:
                self._drip(status, body)
                return
            self.send_response(status)
            if api.gzip and "gzip" in (self.headers.get("Accept-Encoding") or ""):
                body = gzip.compress(body, compresslevel=1)
                api.gzipped += 1
                self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _drip(self, status: int, body: bytes) -> None:
            head = (
                f"HTTP/1.1 {status} OK\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode()
            try:
                for i in range(len(head + body)):
                    self.wfile.write((head + body)[i : i + 1])
                    self.wfile.flush()
                    time.sleep(api.faults.drip_s)
            except OSError:
                pass
            self.close_connection = True

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def _json(doc: Any) -> bytes:
    return orjson.dumps(doc)


def _qs(query: dict[str, list[str]]) -> str:
    return "&".join(f"{k}={v}" for k in sorted(query) for v in query[k])


def _status(code: int, reason: str, message: str) -> bytes:
    doc = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure"}
    return _json(doc | {"message": message, "reason": reason, "code": code})


def _matches(obj: dict[str, Any], selector: str) -> bool:
    labels = obj.get("metadata", {}).get("labels") or {}
    for term in re.split(r",(?![^(]*\))", selector):
        if m := re.fullmatch(r"\s*([^\s=!]+)\s+in\s+\(([^)]*)\)\s*", term):
            if labels.get(m[1]) not in {v.strip() for v in m[2].split(",")}:
                return False
        elif "=" in term:
            key, value = (s.strip() for s in term.split("=", 1))
            if labels.get(key) != value.lstrip("="):
                return False
    return True


# kubeconfig and certificates ---------------------------------------------------------------
def write_kubeconfig(
    path: Path,
    contexts: dict[str, str],
    *,
    current: str | None = None,
    token: str = "test-token",
    ca: Path | None = None,
) -> Path:
    """A kubeconfig with one context (and cluster and user) per ``name -> server URL``."""
    clusters, ctxs = [], []
    for name, server in contexts.items():
        cluster: dict[str, Any] = {"server": server}
        if ca is not None:
            cluster["certificate-authority-data"] = base64.b64encode(ca.read_bytes()).decode()
        clusters.append({"name": f"{name}-cluster", "cluster": cluster})
        ctxs.append({"name": name, "context": {"cluster": f"{name}-cluster", "user": "tester"}})
    doc = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": clusters,
        "contexts": ctxs,
        "users": [{"name": "tester", "user": {"token": token}}],
        "current-context": current or next(iter(contexts), ""),
    }
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    return path


def make_certificate(folder: Path, name: str = "server") -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (needs the ``openssl`` command)."""
    cert, key = folder / f"{name}.crt", folder / f"{name}.key"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


# realistic objects ------------------------------------------------------------------------
def namespace(name: str, **labels: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": labels}}


def deployment(
    ns: str, name: str, *, replicas: int = 2, env: dict[str, str] | None = None, port: int = 8080
) -> dict[str, Any]:
    container = {
        "name": name,
        "image": f"registry.example.com/{ns}/{name}:1.4.2",
        "ports": [{"containerPort": port, "name": "http", "protocol": "TCP"}],
        "env": [{"name": k, "value": v} for k, v in (env or {}).items()],
        "resources": {
            "requests": {"cpu": "100m", "memory": "128Mi"},
            "limits": {"cpu": "500m", "memory": "256Mi"},
        },
        "readinessProbe": {"httpGet": {"path": "/ready", "port": port}},
    }
    labels = {"app": name, "app.kubernetes.io/part-of": ns}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": ns, "labels": labels, "uid": f"uid-{ns}-{name}"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": labels},
                "spec": {"serviceAccountName": name, "containers": [container]},
            },
        },
        "status": {"replicas": replicas, "readyReplicas": replicas},
    }


def service(ns: str, name: str, *, port: int = 80, target: int = 8080) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": ns, "labels": {"app": name}},
        "spec": {
            "type": "ClusterIP",
            "clusterIP": "10.96.0.10",
            "selector": {"app": name},
            "ports": [{"name": "http", "port": port, "targetPort": target, "protocol": "TCP"}],
        },
    }


def config_map(ns: str, name: str, data: dict[str, str]) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": ns},
        "data": data,
    }


def secret(ns: str, name: str, value: str) -> dict[str, Any]:
    data = {"password": base64.b64encode(value.encode()).decode()}
    meta = {"name": name, "namespace": ns}
    return {"apiVersion": "v1", "kind": "Secret", "metadata": meta, "data": data}


def node(name: str, *, cpu: str = "4", memory: str = "16Gi") -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": name, "labels": {"kubernetes.io/os": "linux"}},
        "status": {
            "allocatable": {"cpu": cpu, "memory": memory, "pods": "110"},
            "nodeInfo": {"kubeletVersion": "v1.30.2", "osImage": "Debian GNU/Linux 12"},
        },
    }


def estate(namespaces: int, per_namespace: int) -> list[dict[str, Any]]:
    """Namespaces each holding ``per_namespace`` Deployments with a Service, plus two nodes."""
    out: list[dict[str, Any]] = [node("node-a"), node("node-b")]
    for n in range(namespaces):
        ns = f"team-{n:02d}"
        out.append(namespace(ns, **{"istio-injection": "enabled"} if n == 0 else {}))
        for i in range(per_namespace):
            callee = f"svc-{(i + 1) % per_namespace:03d}"
            out.append(deployment(ns, f"svc-{i:03d}", env={"UPSTREAM": f"http://{callee}:80"}))
            out.append(service(ns, f"svc-{i:03d}"))
        out.append(config_map(ns, "settings", {"db": f"postgres.{ns}.svc:5432"}))
        out.append(secret(ns, "db-credentials", "hunter2-do-not-leak"))
    return out


def bulk_estate(deployments: int, services: int, configmaps: int) -> list[dict[str, Any]]:
    """A large estate over 20 namespaces, with the bookkeeping fields the API adds."""
    out: list[dict[str, Any]] = [namespace(f"ns-{n:02d}") for n in range(20)]
    out += [node(f"node-{n}") for n in range(10)]
    for i in range(deployments):
        d = deployment(f"ns-{i % 20:02d}", f"app-{i:05d}", env={"PEER": f"app-{i + 1:05d}:80"})
        d["metadata"] |= {
            "resourceVersion": str(100000 + i),
            "generation": 3,
            "creationTimestamp": "2025-03-01T10:00:00Z",
            "annotations": {"deployment.kubernetes.io/revision": "3"},
        }
        d["status"]["conditions"] = [
            {"type": t, "status": "True", "lastUpdateTime": "2025-03-01T10:01:00Z"}
            for t in ("Available", "Progressing")
        ]
        out.append(d)
    out += [service(f"ns-{i % 20:02d}", f"app-{i:05d}") for i in range(services)]
    out += [
        config_map(f"ns-{i % 20:02d}", f"cfg-{i:05d}", {"UPSTREAM": f"http://app-{i:05d}:80"})
        for i in range(configmaps)
    ]
    return out


def main() -> None:
    """Serve a bulk estate until stdin closes; prints the URL on the first line."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--deployments", type=int, default=10_000)
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--configmaps", type=int, default=2_000)
    args = parser.parse_args()
    server = FakeApiServer(bulk_estate(args.deployments, args.services, args.configmaps))
    with server:
        print(server.url, flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    main()
