"""Which annotations enter a plan: an allow-list of the keys the product reads, each value
scrubbed of credentials.

A plan travels by email, and annotations are free text that tools fill with anything
(connection strings, ``Basic`` headers, tokens inside a proxy config). So an annotation is
kept only when its key is one the readiness rules, the overhead model or the manifest
export read, and its value passes through :func:`workbench.io.sanitise.scrub_credentials`
(userinfo in URLs, ``Basic``/``Bearer`` values and ``key=value`` secrets replaced by
``<redacted>``). Values over :data:`MAX_ANNOTATION_VALUE` characters are dropped.

What is kept, by object:

- pod templates (and bare pods): :data:`POD_KEYS`, and keys under :data:`POD_PREFIXES`;
- the workload object itself: ``helm.sh/hook`` (a batch pod);
- namespaces: :data:`NAMESPACE_KEYS` (Istio's injection and revision settings);
- Ingresses: :data:`INGRESS_KEYS` (the ingress class and the backend protocol).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from workbench.io.sanitise import scrub_credentials

MAX_ANNOTATION_VALUE = 1024

PROXY_RESOURCE_KEYS = (
    "sidecar.istio.io/proxyCPU",
    "sidecar.istio.io/proxyMemory",
    "sidecar.istio.io/proxyCPULimit",
    "sidecar.istio.io/proxyMemoryLimit",
)
POD_KEYS = frozenset(
    {
        *PROXY_RESOURCE_KEYS,
        "sidecar.istio.io/inject",
        "sidecar.istio.io/status",
        "sidecar.istio.io/rewriteAppHTTPProbers",
        "sidecar.istio.io/nativeSidecar",
        "sidecar.istio.io/interceptionMode",
        "sidecar.istio.io/proxyImage",
        "proxy.istio.io/config",
        "istio.io/rev",
        "istio.io/dataplane-mode",
        "istio.io/use-waypoint",
        "prometheus.io/scrape",
        "prometheus.io/port",
        "prometheus.io/path",
        "prometheus.istio.io/merge-metrics",
        "kubectl.kubernetes.io/default-container",
        "cluster-autoscaler.kubernetes.io/safe-to-evict",
        "cluster-autoscaler.kubernetes.io/safe-to-evict-local-volumes",
        # Vault's agent injector: its init container needs the network before the proxy
        "vault.hashicorp.com/agent-inject",
        "vault.hashicorp.com/agent-pre-populate",
        "helm.sh/hook",
    }
)
# capture settings: port and address lists, read by the ambient and port rules
POD_PREFIXES = ("traffic.sidecar.istio.io/", "ambient.istio.io/")
WORKLOAD_KEYS = ("helm.sh/hook",)  # set on the workload object, not its pods
NAMESPACE_KEYS = frozenset(
    {"istio.io/rev", "sidecar.istio.io/inject", "istio.io/dataplane-mode", "istio.io/use-waypoint"}
)
INGRESS_KEYS = frozenset(
    {
        "kubernetes.io/ingress.class",
        "nginx.ingress.kubernetes.io/backend-protocol",
        "nginx.ingress.kubernetes.io/service-upstream",
    }
)

_POD_DECISIONS: dict[str, bool] = {}  # key -> kept? (keys repeat across an estate)


def pod_key_kept(key: str) -> bool:
    kept = _POD_DECISIONS.get(key)
    if kept is None:
        kept = key in POD_KEYS or key.startswith(POD_PREFIXES)
        if len(_POD_DECISIONS) >= 4096:
            _POD_DECISIONS.clear()
        _POD_DECISIONS[key] = kept
    return kept


def _value(value: object) -> str | None:
    if type(value) is not str or len(value) > MAX_ANNOTATION_VALUE:
        return None
    return scrub_credentials(value)


def pod_annotations(raw: Mapping[str, object]) -> dict[str, str]:
    """The annotations of a pod template that a plan keeps, scrubbed."""
    out: dict[str, str] = {}
    for key, value in raw.items():
        if type(key) is str and pod_key_kept(key):
            kept = _value(value)
            if kept is not None:
                out[key] = kept
    return out


def chosen_annotations(raw: object, keys: Iterable[str]) -> dict[str, str]:
    """The annotations among ``keys`` in ``raw`` (a metadata.annotations value), scrubbed."""
    if not isinstance(raw, dict):
        return {}
    out: dict[str, str] = {}
    for key in keys:
        kept = _value(raw.get(key))
        if kept is not None:
            out[key] = kept
    return out


def namespace_annotations(raw: object) -> dict[str, str]:
    return chosen_annotations(raw, sorted(NAMESPACE_KEYS))


def ingress_annotations(raw: object) -> dict[str, str]:
    return chosen_annotations(raw, sorted(INGRESS_KEYS))
