"""Checks of one raw Kubernetes object before it joins an inventory.

An import reads thousands of objects written by people and tools; one with a field no
API server would accept (a port of 70000, a negative user id, a protocol that does not
exist, replicas given as text) must not stop the import nor silently become a default.
:func:`object_problem` names the first such field by its path in the object
(``spec.template.spec.containers[0].ports[0].containerPort``) and what is wrong, without
quoting the value: the importer skips that object with a warning and imports the rest.
"""

from __future__ import annotations

from collections.abc import Iterator
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


class _Bad(Exception):
    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")


def _is_int(value: object) -> bool:
    return type(value) is int


def _mapping(value: object, path: str, required: bool = False) -> dict[str, Any]:
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        raise _Bad(path, "must be a mapping")
    return value


def _items(value: object, path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if value is None:
        return
    if not isinstance(value, list):
        raise _Bad(path, "must be a list")
    for i, item in enumerate(value):
        yield f"{path}[{i}]", _mapping(item, f"{path}[{i}]", required=True)


def _port(value: object, path: str, *, optional: bool = False) -> None:
    if value is None and optional:
        return
    if not _is_int(value) or not 1 <= value <= 65535:  # type: ignore[operator]
        raise _Bad(path, "must be a port number between 1 and 65535")


def _protocol(value: object, path: str) -> None:
    if value is not None and value not in PROTOCOLS:
        raise _Bad(path, f"must be one of {', '.join(PROTOCOLS)}")


def _user(security: object, path: str) -> None:
    user = _mapping(security, path).get("runAsUser")
    if user is not None and (not _is_int(user) or not 0 <= user <= MAX_USER_ID):
        raise _Bad(f"{path}.runAsUser", f"must be a user id between 0 and {MAX_USER_ID}")


def _pod_spec(spec: dict[str, Any], path: str) -> None:
    _user(spec.get("securityContext"), f"{path}.securityContext")
    for field in ("containers", "initContainers"):
        for at, container in _items(spec.get(field), f"{path}.{field}"):
            _user(container.get("securityContext"), f"{at}.securityContext")
            for port_at, port in _items(container.get("ports"), f"{at}.ports"):
                _port(port.get("containerPort"), f"{port_at}.containerPort")
                _port(port.get("hostPort"), f"{port_at}.hostPort", optional=True)
                _protocol(port.get("protocol"), f"{port_at}.protocol")


def _workload(kind: str, obj: dict[str, Any]) -> None:
    steps = POD_SPEC_PATHS[kind]
    spec: Any = obj
    path = ""
    for step in steps:
        path = f"{path}.{step}" if path else step
        spec = _mapping(spec.get(step), path)
    if kind in SCALED or kind == "StatefulSet":
        replicas = _mapping(obj.get("spec"), "spec").get("replicas")
        if replicas is not None and (not _is_int(replicas) or not 0 <= replicas <= MAX_REPLICAS):
            raise _Bad("spec.replicas", f"must be a whole number between 0 and {MAX_REPLICAS:,}")
    _pod_spec(spec, path)


def _service(obj: dict[str, Any]) -> None:
    spec = _mapping(obj.get("spec"), "spec")
    kind = spec.get("type")
    if kind is not None and kind not in SERVICE_TYPES:
        raise _Bad("spec.type", f"must be one of {', '.join(SERVICE_TYPES)}")
    for at, port in _items(spec.get("ports"), "spec.ports"):
        _port(port.get("port"), f"{at}.port")
        target = port.get("targetPort")
        if _is_int(target):
            _port(target, f"{at}.targetPort")
        _protocol(port.get("protocol"), f"{at}.protocol")


def object_problem(obj: dict[str, Any]) -> str | None:
    """``"<field path>: <what is wrong>"`` for the first invalid field, or None."""
    kind = obj.get("kind")
    try:
        meta = _mapping(obj.get("metadata"), "metadata")
        for field in ("name", "namespace"):
            if meta.get(field) is not None and type(meta.get(field)) is not str:
                raise _Bad(f"metadata.{field}", "must be text")
        if kind in POD_SPEC_PATHS:
            _workload(str(kind), obj)
        elif kind == "Service":
            _service(obj)
    except _Bad as bad:
        return str(bad)
    return None
