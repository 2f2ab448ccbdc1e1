"""Pod templates -> :class:`Workload` essentials: containers, resources, security, env.

Part of the Kubernetes object converter (:mod:`workbench.io.k8s_objects`). Env values pass
through :mod:`workbench.io.sanitise`; references to ConfigMaps are collected so the
builder can attach the addresses those ConfigMaps hold once it has seen them all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from workbench.domain.inventory import Container, ContainerPort, MeshState, Resources, Workload
from workbench.io.sanitise import sanitise_value

_QUANTITY = re.compile(r"^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)([a-zA-Z]*)$")
_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL: dict[str, Decimal] = {
    "": Decimal(1),
    "n": Decimal("1e-9"),
    "u": Decimal("1e-6"),
    "m": Decimal("1e-3"),
    "k": Decimal(10**3),
    "M": Decimal(10**6),
    "G": Decimal(10**9),
    "T": Decimal(10**12),
    "P": Decimal(10**15),
    "E": Decimal(10**18),
}
KEEP_ANNOTATION_PARTS = ("istio.io", "prometheus.io", "kubectl.kubernetes.io/default-container")
DROP_LABELS = frozenset(
    {"pod-template-hash", "controller-revision-hash", "pod-template-generation"}
)
MAX_ANNOTATION_VALUE = 1024


def parse_quantity(value: object) -> Decimal | None:
    """A Kubernetes quantity (``100m``, ``1.5``, ``256Mi``, ``1e3``) as a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return Decimal(str(value))
    if not isinstance(value, str):
        return None
    match = _QUANTITY.match(value.strip())
    if not match:
        return None
    number, suffix = match.groups()
    binary = _BINARY.get(suffix)
    factor = Decimal(binary) if binary is not None else _DECIMAL.get(suffix)
    if factor is None:
        return None
    try:
        return Decimal(number) * factor
    except InvalidOperation:
        return None


def cpu_millicores(value: object) -> int | None:
    q = parse_quantity(value)
    return None if q is None else int((q * 1000).to_integral_value(rounding="ROUND_CEILING"))


def memory_bytes(value: object) -> int | None:
    q = parse_quantity(value)
    return None if q is None else int(q.to_integral_value(rounding="ROUND_CEILING"))


def as_dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def str_map(value: object) -> dict[str, str]:
    return {str(k): str(v) for k, v in as_dict(value).items() if v is not None}


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


def _resources(spec: dict[str, Any]) -> Resources:
    req, lim = as_dict(spec.get("requests")), as_dict(spec.get("limits"))
    return Resources(
        cpu_request_m=cpu_millicores(req.get("cpu")) if "cpu" in req else None,
        memory_request_bytes=memory_bytes(req.get("memory")) if "memory" in req else None,
        cpu_limit_m=cpu_millicores(lim.get("cpu")) if "cpu" in lim else None,
        memory_limit_bytes=memory_bytes(lim.get("memory")) if "memory" in lim else None,
    )


def _ports(raw: object) -> list[ContainerPort]:
    ports = []
    for p in as_list(raw):
        p = as_dict(p)
        number = p.get("containerPort")
        if isinstance(number, int) and not isinstance(number, bool):
            host = p.get("hostPort")
            ports.append(
                ContainerPort(
                    container_port=number,
                    name=p.get("name") if isinstance(p.get("name"), str) else None,
                    protocol=str(p.get("protocol") or "TCP"),
                    host_port=host if isinstance(host, int) and host > 0 else None,
                )
            )
    return ports


def _probes(c: dict[str, Any]) -> list[str]:
    found = []
    for kind in ("liveness", "readiness", "startup"):
        probe = as_dict(c.get(f"{kind}Probe"))
        for handler in ("httpGet", "tcpSocket", "exec", "grpc"):
            if handler in probe:
                found.append(f"{kind}:{handler}")
    return found


def _container(raw: dict[str, Any], index: int, init: bool, template: PodTemplate) -> Container:
    sc = as_dict(raw.get("securityContext"))
    caps = as_dict(sc.get("capabilities"))
    run_as = sc.get("runAsUser")
    env: dict[str, str] = {}
    for item in as_list(raw.get("env")):
        item = as_dict(item)
        name = item.get("name")
        if not isinstance(name, str):
            continue
        env[name] = ""
        value_from = as_dict(item.get("valueFrom"))
        ref = as_dict(value_from.get("configMapKeyRef"))
        if ref.get("name") and ref.get("key"):
            template.config_refs.append(ConfigRef(str(ref["name"]), str(ref["key"]), env=name))
        if "value" in item:
            outcome = sanitise_value(name, item["value"])
            if outcome.kept:
                env[name] = outcome.kept
            elif outcome.candidate:
                template.candidates.append((index, init, name, outcome.candidate))
    for source in as_list(raw.get("envFrom")):
        ref = as_dict(as_dict(source).get("configMapRef"))
        if ref.get("name"):
            prefix = str(as_dict(source).get("prefix") or "")
            template.config_refs.append(ConfigRef(str(ref["name"]), prefix=prefix))
    restart = raw.get("restartPolicy")
    return Container(
        name=str(raw.get("name") or f"container-{index}"),
        image=str(raw.get("image") or ""),
        ports=_ports(raw.get("ports")),
        resources=_resources(as_dict(raw.get("resources"))),
        run_as_user=run_as if isinstance(run_as, int) else None,
        env=env,
        probes=_probes(raw),
        restart_policy=restart if isinstance(restart, str) else None,
        capabilities_add=[str(c) for c in as_list(caps.get("add"))],
        privileged=sc.get("privileged") is True,
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


def _annotations(raw: dict[str, str]) -> dict[str, str]:
    return {
        k: v
        for k, v in raw.items()
        if any(part in k for part in KEEP_ANNOTATION_PARTS) and len(v) <= MAX_ANNOTATION_VALUE
    }


def fill_pod_template(
    w: Workload,
    pod: dict[str, Any],
    signals: Callable[[dict[str, Any]], Iterable[str]] | None = None,
) -> PodTemplate:
    """Fill ``w`` from a pod template (``{"metadata": ..., "spec": ...}``)."""
    template = PodTemplate()
    meta, spec = as_dict(pod.get("metadata")), as_dict(pod.get("spec"))
    labels = str_map(meta.get("labels"))
    annotations = str_map(meta.get("annotations"))
    w.labels = {k: v for k, v in labels.items() if k not in DROP_LABELS}
    w.annotations = _annotations(annotations)
    raw_containers = [as_dict(c) for c in as_list(spec.get("containers"))]
    raw_inits = [as_dict(c) for c in as_list(spec.get("initContainers"))]
    w.containers = [_container(c, i, False, template) for i, c in enumerate(raw_containers)]
    w.init_containers = [_container(c, i, True, template) for i, c in enumerate(raw_inits)]
    if signals is not None:
        for raw, c in zip(
            raw_containers + raw_inits, w.containers + w.init_containers, strict=True
        ):
            c.signals = list(signals(raw))
    _volume_refs(spec, template)
    w.host_network = spec.get("hostNetwork") is True
    sa = spec.get("serviceAccountName") or spec.get("serviceAccount")
    w.service_account = str(sa) if sa else "default"
    psc = as_dict(spec.get("securityContext"))
    run_as = psc.get("runAsUser")
    w.run_as_user = run_as if isinstance(run_as, int) else None
    seccomp = as_dict(psc.get("seccompProfile")).get("type")
    w.seccomp_profile = str(seccomp) if seccomp else None
    w.node_selector = str_map(spec.get("nodeSelector"))
    restart = spec.get("restartPolicy")
    w.restart_policy = str(restart) if restart else None
    grace = spec.get("terminationGracePeriodSeconds")
    w.termination_grace_seconds = grace if isinstance(grace, int) else None
    w.mesh = mesh_state(labels, annotations, raw_containers)
    return template


def mesh_state(
    labels: dict[str, str], annotations: dict[str, str], containers: list[dict[str, Any]]
) -> MeshState:
    injected = "sidecar.istio.io/status" in annotations or any(
        c.get("name") == "istio-proxy" for c in containers
    )
    ambient = (
        annotations.get("ambient.istio.io/redirection") == "enabled"
        or labels.get("istio.io/dataplane-mode") == "ambient"
    )
    return MeshState(injected=injected, revision=labels.get("istio.io/rev"), ambient=ambient)
