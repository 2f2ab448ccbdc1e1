"""Checks of one raw Kubernetes object before it joins an inventory.

An import reads thousands of objects written by people and tools; one with a field no
API server would accept (a port of 70000, a negative user id, a protocol that does not
exist, replicas given as text) must not stop the import nor silently become a default.
:func:`object_problem` names the first such field by its path in the object
(``spec.template.spec.containers[0].ports[0].containerPort``) and what is wrong, without
quoting the value: the importer skips that object with a warning and imports the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from workbench.domain.inventory import PROTOCOLS, SERVICE_TYPES
from workbench.domain.limits import MAX_REPLICAS, MAX_USER_ID

POD_SPEC_PATHS: dict[str, tuple[str, ...]] = {
    "Pod": ("spec",),
    "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "ReplicationController": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}
SCALED = frozenset({"Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"})


_PORT = "must be a port number between 1 and 65535"
_PROTOCOL = f"must be one of {', '.join(PROTOCOLS)}"
_USER = f"must be a user id between 0 and {MAX_USER_ID}"


class _Bad(Exception):
    """A wrong field, its path relative to the mapping being checked ("" for itself).

    Checks run on every object of an import and almost always pass, so a path is put
    together only on the way out of a failed check, each level adding its own part."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(path, problem)
        self.path = path
        self.problem = problem

    def under(self, prefix: str) -> _Bad:
        return _Bad(f"{prefix}.{self.path}" if self.path else prefix, self.problem)

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"


def _port_ok(value: object) -> bool:
    return type(value) is int and 1 <= value <= 65535


def _each(name: str, items: object, check: Callable[[dict[str, Any]], None]) -> None:
    """``check`` each mapping of the list ``items`` (None: no items), in order."""
    if items is None:
        return
    if not isinstance(items, list):
        raise _Bad(name, "must be a list")
    for i, item in enumerate(items):
        try:
            if not isinstance(item, dict):
                raise _Bad("", "must be a mapping")
            check(item)
        except _Bad as bad:
            raise bad.under(f"{name}[{i}]") from None


def _user(name: str, security: object) -> None:
    if security is None:
        return
    if not isinstance(security, dict):
        raise _Bad(name, "must be a mapping")
    user = security.get("runAsUser")
    if user is not None and (type(user) is not int or not 0 <= user <= MAX_USER_ID):
        raise _Bad(f"{name}.runAsUser", _USER)


def _container_port(port: dict[str, Any]) -> None:
    host, protocol = port.get("hostPort"), port.get("protocol")
    if not _port_ok(port.get("containerPort")):
        raise _Bad("containerPort", _PORT)
    if host is not None and not _port_ok(host):
        raise _Bad("hostPort", _PORT)
    if protocol is not None and protocol not in PROTOCOLS:
        raise _Bad("protocol", _PROTOCOL)


def _container(container: dict[str, Any]) -> None:
    _user("securityContext", container.get("securityContext"))
    _each("ports", container.get("ports"), _container_port)


def _pod_spec(spec: dict[str, Any]) -> None:
    _user("securityContext", spec.get("securityContext"))
    _each("containers", spec.get("containers"), _container)
    _each("initContainers", spec.get("initContainers"), _container)


def _mapping_at(obj: dict[str, Any], steps: tuple[str, ...]) -> dict[str, Any]:
    """The mapping at ``steps`` into ``obj`` (a missing one is empty)."""
    value: Any = obj
    for n, step in enumerate(steps):
        value = value.get(step)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise _Bad(".".join(steps[: n + 1]), "must be a mapping")
    return value  # type: ignore[no-any-return]


def _workload(kind: str, obj: dict[str, Any]) -> None:
    steps = POD_SPEC_PATHS[kind]
    spec = _mapping_at(obj, steps)
    if kind in SCALED or kind == "StatefulSet":
        replicas = _mapping_at(obj, ("spec",)).get("replicas")
        if replicas is not None and (
            type(replicas) is not int or not 0 <= replicas <= MAX_REPLICAS
        ):
            raise _Bad("spec.replicas", f"must be a whole number between 0 and {MAX_REPLICAS:,}")
    try:
        _pod_spec(spec)
    except _Bad as bad:
        raise bad.under(".".join(steps)) from None


def _service_port(port: dict[str, Any]) -> None:
    target = port.get("targetPort")
    if not _port_ok(port.get("port")):
        raise _Bad("port", _PORT)
    if type(target) is int and not _port_ok(target):
        raise _Bad("targetPort", _PORT)
    protocol = port.get("protocol")
    if protocol is not None and protocol not in PROTOCOLS:
        raise _Bad("protocol", _PROTOCOL)


def _service(obj: dict[str, Any]) -> None:
    spec = _mapping_at(obj, ("spec",))
    kind = spec.get("type")
    if kind is not None and kind not in SERVICE_TYPES:
        raise _Bad("spec.type", f"must be one of {', '.join(SERVICE_TYPES)}")
    try:
        _each("ports", spec.get("ports"), _service_port)
    except _Bad as bad:
        raise bad.under("spec") from None


def object_problem(obj: dict[str, Any]) -> str | None:
    """``"<field path>: <what is wrong>"`` for the first invalid field, or None."""
    kind = obj.get("kind")
    try:
        meta = obj.get("metadata")
        if meta is not None and not isinstance(meta, dict):
            raise _Bad("metadata", "must be a mapping")
        for field in ("name", "namespace"):
            if meta and meta.get(field) is not None and type(meta.get(field)) is not str:
                raise _Bad(f"metadata.{field}", "must be text")
        if kind in POD_SPEC_PATHS:
            _workload(str(kind), obj)
        elif kind == "Service":
            _service(obj)
    except _Bad as bad:
        return str(bad)
    return None
