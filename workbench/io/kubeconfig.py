"""Finding and reading kubeconfig files: which contexts exist and where they point.

The lookup order is the one kubectl uses: an explicit path, else the ``KUBECONFIG``
list (entries separated by ``os.pathsep``; missing entries are skipped, the first file
that defines a name wins), else ``~/.kube/config``. Only names, server addresses and the
current context are read here, for choosing and for error messages; credentials stay in
the files and are handed to the Kubernetes client by path. Nothing from a kubeconfig is
ever stored in a plan.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from workbench.domain.errors import WorkbenchError

MAX_KUBECONFIG_BYTES = 8 * 1024 * 1024


class KubeconfigError(WorkbenchError):
    """A kubeconfig is missing, unreadable or invalid, or lacks the requested context."""


@dataclass(frozen=True, slots=True)
class KubeContext:
    """One context: a cluster (API server), a user and an optional default namespace."""

    name: str
    cluster: str
    server: str
    user: str = ""
    namespace: str | None = None
    exec_command: str | None = None  # the user's exec credential plugin, if any


@dataclass(frozen=True, slots=True)
class Kubeconfig:
    """The merged view of one or more kubeconfig files."""

    paths: tuple[Path, ...]
    contexts: tuple[KubeContext, ...]
    current_context: str | None = None

    @property
    def config_file(self) -> str:
        """The file list in the form the Kubernetes client accepts (``os.pathsep``-joined)."""
        return os.pathsep.join(str(p) for p in self.paths)

    @property
    def where(self) -> str:
        return ", ".join(str(p) for p in self.paths)

    def context_names(self) -> list[str]:
        return [c.name for c in self.contexts]

    def context(self, name: str) -> KubeContext:
        for ctx in self.contexts:
            if ctx.name == name:
                return ctx
        known = ", ".join(self.context_names()) or "none"
        raise KubeconfigError(
            f"no context named {name!r} in kubeconfig {self.where} (it has: {known})"
        )

    def select(self, names: Sequence[str] = ()) -> list[KubeContext]:
        """The named contexts in the order given (duplicates dropped), or the current one."""
        if not names:
            if not self.current_context:
                known = ", ".join(self.context_names()) or "none"
                raise KubeconfigError(
                    f"kubeconfig {self.where} sets no current context; choose one with "
                    f"--context (it has: {known})"
                )
            return [self.context(self.current_context)]
        return [self.context(n) for n in dict.fromkeys(names)]


def kubeconfig_paths(
    explicit: str | os.PathLike[str] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    home: Path | None = None,
) -> list[Path]:
    """The files to read, in precedence order; raises when there is none."""
    environ = os.environ if env is None else env
    if explicit is not None:
        path = Path(explicit).expanduser()
        if not path.exists():
            raise KubeconfigError(f"kubeconfig not found: {path}")
        return [path]
    listed = environ.get("KUBECONFIG", "")
    if listed:
        entries = [Path(p).expanduser() for p in listed.split(os.pathsep) if p]
        found = [p for p in dict.fromkeys(entries) if p.exists()]
        if not found:
            raise KubeconfigError(
                "none of the files KUBECONFIG lists exists: " + ", ".join(str(p) for p in entries)
            )
        return found
    default = (home if home is not None else Path.home()) / ".kube" / "config"
    if not default.exists():
        raise KubeconfigError(
            f"no kubeconfig found: pass --kubeconfig, set KUBECONFIG or create {default}"
        )
    return [default]


def load_kubeconfig(
    explicit: str | os.PathLike[str] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    home: Path | None = None,
) -> Kubeconfig:
    """Read and merge the kubeconfig files; every problem is a :class:`KubeconfigError`."""
    paths = kubeconfig_paths(explicit, env=env, home=home)
    clusters: dict[str, str] = {}
    plugins: dict[str, str] = {}  # user -> exec credential plugin command
    contexts: dict[str, tuple[str, str, str | None]] = {}
    current: str | None = None
    for path in paths:
        doc = _read_document(path)
        for name, entry in _named_entries(doc, "clusters", "cluster", path):
            clusters.setdefault(name, str(entry.get("server") or ""))
        try:
            users = _named_entries(doc, "users", "user", path)
        except KubeconfigError:
            users = []  # the client reports a broken user when the context is used
        for name, entry in users:
            plugin = entry.get("exec")
            if isinstance(plugin, dict) and plugin.get("command"):
                plugins.setdefault(name, str(plugin["command"]))
        for name, entry in _named_entries(doc, "contexts", "context", path):
            ns = entry.get("namespace")
            contexts.setdefault(
                name,
                (str(entry.get("cluster") or ""), str(entry.get("user") or ""), ns and str(ns)),
            )
        if current is None and doc.get("current-context"):
            current = str(doc["current-context"])
    result = []
    for name, (cluster, user, namespace) in contexts.items():
        if cluster not in clusters:
            where = ", ".join(str(p) for p in paths)
            raise KubeconfigError(
                f"context {name!r} in kubeconfig {where} refers to cluster {cluster!r}, "
                "which no kubeconfig file defines"
            )
        result.append(
            KubeContext(name, cluster, clusters[cluster], user, namespace, plugins.get(user))
        )
    return Kubeconfig(tuple(paths), tuple(result), current)


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def cluster_name_for(context: KubeContext) -> str:
    """The name a context's cluster gets in a plan: the context name, made key-safe.

    Plan keys use ``/`` as separator, so cloud-style names such as
    ``arn:aws:eks:eu-west-1:111122223333:cluster/prod`` keep their last segment.
    """
    tail = context.name.rsplit("/", 1)[-1]
    return _UNSAFE.sub("-", tail).strip("-.") or "cluster"


def _read_document(path: Path) -> dict[str, Any]:
    try:
        if path.is_dir():
            raise KubeconfigError(f"kubeconfig {path} is a directory, not a file")
        size = path.stat().st_size
        if size > MAX_KUBECONFIG_BYTES:
            raise KubeconfigError(
                f"kubeconfig {path} is {size:,} bytes; a kubeconfig over "
                f"{MAX_KUBECONFIG_BYTES:,} bytes is refused"
            )
        text = path.read_bytes().decode("utf-8")
    except PermissionError:
        raise KubeconfigError(f"cannot read kubeconfig {path}: permission denied") from None
    except UnicodeDecodeError:
        raise KubeconfigError(f"kubeconfig {path} is not a text file (not UTF-8)") from None
    except OSError as exc:
        raise KubeconfigError(f"cannot read kubeconfig {path}: {exc.strerror or exc}") from None
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "syntax error"
        raise KubeconfigError(f"kubeconfig {path} is not valid YAML{at}: {problem}") from None
    if doc is None:
        doc = {}
    if not isinstance(doc, dict) or not any(k in doc for k in ("contexts", "clusters", "users")):
        raise KubeconfigError(
            f"{path} is not a kubeconfig: expected a mapping with clusters, contexts and users"
        )
    return doc


def _named_entries(
    doc: Mapping[str, Any], section: str, field: str, path: Path
) -> list[tuple[str, Mapping[str, Any]]]:
    raw = doc.get(section) or []
    if not isinstance(raw, list):
        raise KubeconfigError(f"kubeconfig {path}: '{section}' must be a list")
    out: list[tuple[str, Mapping[str, Any]]] = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise KubeconfigError(f"kubeconfig {path}: {section}[{i}] has no name")
        body = item.get(field) or {}
        if not isinstance(body, dict):
            raise KubeconfigError(f"kubeconfig {path}: {section}[{i}].{field} must be a mapping")
        out.append((item["name"], body))
    return out
