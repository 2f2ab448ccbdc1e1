"""Pod templates -> :class:`Workload` essentials: containers, resources, security, env.

Part of the Kubernetes object converter (:mod:`workbench.io.k8s_objects`). Env values pass
through :mod:`workbench.io.sanitise`; references to ConfigMaps are collected so the
builder can attach the addresses those ConfigMaps hold once it has seen them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from workbench.domain.inventory import Container, ContainerPort, MeshState, Resources, Workload
from workbench.domain.quantities import quantity_or_none
from workbench.io.annotation_policy import pod_annotations
from workbench.io.sanitise import sanitise_value

DROP_LABELS = frozenset(
    {"pod-template-hash", "controller-revision-hash", "pod-template-generation"}
)
_EMPTY: dict[str, Any] = {}  # read-only stand-in for a missing or malformed mapping


_CPU_CACHE: dict[str, int | None] = {}
_MEMORY_CACHE: dict[str, int | None] = {}
_CACHE_LIMIT = 4096  # quantities repeat: "100m", "128Mi" ...


def _cpu(value: object) -> int | None:
    q = quantity_or_none(value)
    return None if q is None else int((q * 1000).to_integral_value(rounding="ROUND_CEILING"))


def _memory(value: object) -> int | None:
    q = quantity_or_none(value)
    return None if q is None else int(q.to_integral_value(rounding="ROUND_CEILING"))


def _cached(
    cache: dict[str, int | None], convert: Callable[[object], int | None], value: object
) -> int | None:
    if type(value) is not str:
        return convert(value)
    try:
        return cache[value]
    except KeyError:
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        amount = cache[value] = convert(value)
        return amount


def cpu_millicores(value: object) -> int | None:
    return _cached(_CPU_CACHE, _cpu, value)


def memory_bytes(value: object) -> int | None:
    return _cached(_MEMORY_CACHE, _memory, value)


def as_dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def str_map(value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    for k, v in value.items():
        if type(k) is not str or type(v) is not str:
            return {str(k): str(v) for k, v in value.items() if v is not None}
    return value.copy()


@dataclass(slots=True)
class ConfigRef:
    """A pod's reference to a ConfigMap: all keys (``key`` None) or one key."""

    configmap: str
    key: str | None = None
    env: str | None = None  # the env var it fills (configMapKeyRef)
    prefix: str = ""  # envFrom prefix


@dataclass(slots=True)
class PodTemplate:
    """What the converter learned from one pod spec beyond the Workload itself."""

    config_refs: list[ConfigRef] = field(default_factory=list)
    # (container index, init?, env name, bare value): names kept if a Service has that name
    candidates: list[tuple[int, bool, str, str]] = field(default_factory=list)


def _resources(spec: object) -> Resources:
    if not spec or not isinstance(spec, dict):
        return Resources()
    req, lim = spec.get("requests"), spec.get("limits")
    req = req if isinstance(req, dict) else _EMPTY
    lim = lim if isinstance(lim, dict) else _EMPTY
    return Resources(
        cpu_millicores(req["cpu"]) if "cpu" in req else None,
        memory_bytes(req["memory"]) if "memory" in req else None,
        cpu_millicores(lim["cpu"]) if "cpu" in lim else None,
        memory_bytes(lim["memory"]) if "memory" in lim else None,
    )


def _ports(raw: object) -> list[ContainerPort]:
    ports: list[ContainerPort] = []
    if not raw or not isinstance(raw, list):
        return ports
    for p in raw:
        if not isinstance(p, dict):
            continue
        number = p.get("containerPort")
        if isinstance(number, int) and not isinstance(number, bool):
            host, name = p.get("hostPort"), p.get("name")
            ports.append(
                ContainerPort(
                    number,
                    name if isinstance(name, str) else None,
                    str(p.get("protocol") or "TCP"),
                    host if isinstance(host, int) and host > 0 else None,
                )
            )
    return ports


_PROBE_KINDS = (
    ("livenessProbe", "liveness:"),
    ("readinessProbe", "readiness:"),
    ("startupProbe", "startup:"),
)
_PROBE_HANDLERS = ("httpGet", "tcpSocket", "exec", "grpc")


def _probes(c: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for key, prefix in _PROBE_KINDS:
        probe = c.get(key)
        if probe and isinstance(probe, dict):
            found.extend(prefix + handler for handler in _PROBE_HANDLERS if handler in probe)
    return found


def _env(raw: list[Any], index: int, init: bool, template: PodTemplate) -> dict[str, str]:
    env: dict[str, str] = {}
    for item in raw:
        if not isinstance(item, dict):
            continue
        name = item.get("name")
        if not isinstance(name, str):
            continue
        env[name] = ""
        value_from = item.get("valueFrom")
        if value_from and isinstance(value_from, dict):
            ref = as_dict(value_from.get("configMapKeyRef"))
            if ref.get("name") and ref.get("key"):
                template.config_refs.append(ConfigRef(str(ref["name"]), str(ref["key"]), env=name))
        if "value" in item:
            outcome = sanitise_value(name, item["value"])
            if outcome.kept:
                env[name] = outcome.kept
            elif outcome.candidate:
                template.candidates.append((index, init, name, outcome.candidate))
    return env


def _container(
    raw: dict[str, Any],
    index: int,
    init: bool,
    template: PodTemplate,
    signals: Callable[[dict[str, Any]], Iterable[str]] | None,
) -> Container:
    get = raw.get
    sc = get("securityContext")
    sc = sc if isinstance(sc, dict) else _EMPTY
    env_list = get("env")
    env = _env(env_list, index, init, template) if isinstance(env_list, list) else {}
    env_from = get("envFrom")
    if env_from and isinstance(env_from, list):
        for source in env_from:
            source = as_dict(source)
            ref = as_dict(source.get("configMapRef"))
            if ref.get("name"):
                prefix = str(source.get("prefix") or "")
                template.config_refs.append(ConfigRef(str(ref["name"]), prefix=prefix))
    run_as, restart = sc.get("runAsUser"), get("restartPolicy")
    caps = sc.get("capabilities")
    add = caps.get("add") if isinstance(caps, dict) else None
    return Container(
        str(get("name") or f"container-{index}"),
        str(get("image") or ""),
        _ports(get("ports")),
        _resources(get("resources")),
        run_as if isinstance(run_as, int) else None,
        env,
        _probes(raw),
        restart if isinstance(restart, str) else None,
        [str(c) for c in add] if isinstance(add, list) else [],
        sc.get("privileged") is True,
        list(signals(raw)) if signals is not None else [],
    )


def _volume_refs(spec: dict[str, Any], template: PodTemplate) -> None:
    for vol in as_list(spec.get("volumes")):
        vol = as_dict(vol)
        sources = [as_dict(vol.get("configMap"))]
        sources += [
            as_dict(as_dict(s).get("configMap"))
            for s in as_list(as_dict(vol.get("projected")).get("sources"))
        ]
        for cm in sources:
            if not cm.get("name"):
                continue
            items = [as_dict(i).get("key") for i in as_list(cm.get("items"))]
            keys: list[str | None] = [str(k) for k in items if k]
            keys = keys or [None]
            template.config_refs.extend(ConfigRef(str(cm["name"]), k) for k in keys)


def _dicts(value: object) -> list[dict[str, Any]]:
    if not value or not isinstance(value, list):
        return []
    return [c if isinstance(c, dict) else {} for c in value]


def pod_workload(
    cluster: str,
    namespace: str,
    kind: str,
    name: str,
    pod: dict[str, Any],
    signals: Callable[[dict[str, Any]], Iterable[str]] | None = None,
    *,
    replicas: int = 1,
    service_name: str | None = None,
) -> tuple[Workload, PodTemplate]:
    """The workload a pod template (``{"metadata": ..., "spec": ...}``) describes."""
    template = PodTemplate()
    meta, spec = as_dict(pod.get("metadata")), as_dict(pod.get("spec"))
    labels = str_map(meta.get("labels"))
    annotations = str_map(meta.get("annotations"))
    raw_containers = _dicts(spec.get("containers"))
    raw_inits = _dicts(spec.get("initContainers"))
    containers = [_container(c, i, False, template, signals) for i, c in enumerate(raw_containers)]
    inits = [_container(c, i, True, template, signals) for i, c in enumerate(raw_inits)]
    if "volumes" in spec:
        _volume_refs(spec, template)
    sa = spec.get("serviceAccountName") or spec.get("serviceAccount")
    run_as = seccomp = None
    psc = spec.get("securityContext")
    if psc and isinstance(psc, dict):
        run_as = psc.get("runAsUser")
        seccomp = as_dict(psc.get("seccompProfile")).get("type")
    restart = spec.get("restartPolicy")
    grace = spec.get("terminationGracePeriodSeconds")
    w = Workload(cluster, namespace, kind, name)  # then set: cheaper than keywords
    w.replicas = w.pods = replicas
    w.containers, w.init_containers = containers, inits
    w.host_network = spec.get("hostNetwork") is True
    w.service_account = str(sa) if sa else "default"
    w.run_as_user = run_as if isinstance(run_as, int) else None
    if DROP_LABELS.isdisjoint(labels):
        w.labels = labels  # str_map made a copy; only read below
    else:
        w.labels = {k: v for k, v in labels.items() if k not in DROP_LABELS}
    if annotations:
        w.annotations = pod_annotations(annotations)
    w.mesh = mesh_state(labels, annotations, raw_containers)
    w.node_selector = str_map(spec.get("nodeSelector"))
    w.seccomp_profile = str(seccomp) if seccomp else None
    w.restart_policy = str(restart) if restart else None
    w.termination_grace_seconds = grace if isinstance(grace, int) else None
    w.service_name = service_name
    return w, template


def mesh_state(
    labels: dict[str, str], annotations: dict[str, str], containers: list[dict[str, Any]]
) -> MeshState:
    injected = "sidecar.istio.io/status" in annotations
    if not injected:
        for c in containers:
            if c.get("name") == "istio-proxy":
                injected = True
                break
    ambient = (
        annotations.get("ambient.istio.io/redirection") == "enabled"
        or labels.get("istio.io/dataplane-mode") == "ambient"
    )
    return MeshState(injected=injected, revision=labels.get("istio.io/rev"), ambient=ambient)
