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

The same policy applies when a plan file is loaded (:func:`screen_inventory`), so a plan
saved by an older version or edited by hand keeps nothing else either: what it drops or
scrubs is reported as a load warning that counts it and names the objects, never the
values. A load scrubs at most :data:`MAX_LOAD_SCRUB_CHARS` characters of distinct
annotation text (scrubbing is linear, and this keeps a hostile file's load within its time
budget); values beyond that are dropped unread.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Mapping

from workbench.domain.inventory import Inventory
from workbench.io.sanitise import scrub_credentials

MAX_ANNOTATION_VALUE = 1024
MAX_LOAD_SCRUB_CHARS = 4_000_000

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


# -- plans loaded from a file -------------------------------------------------------

_NOTHING_TO_SCRUB = re.compile(r"[^@:=\s]*+")  # no userinfo, key or credential after a scheme
_UNSEEN = object()


class AnnotationScreen:
    """The policy applied to the annotation maps of a loaded plan, counting what it took
    out. Values repeat across an estate, so each distinct value is scrubbed once."""

    def __init__(self, budget: int = MAX_LOAD_SCRUB_CHARS) -> None:
        self.budget = budget  # characters of distinct text still to scrub
        self.dropped = 0  # entries not on the allow-list, or not text, or over the size limit
        self.scrubbed = 0  # values whose credentials were taken out
        self.unread = 0  # values dropped because the budget was spent
        self.changed = 0  # objects whose annotations changed
        self.places: list[str] = []  # the first few of them
        self._seen: dict[str, object] = {}

    def _value(self, value: object) -> str | None:
        if type(value) is not str or len(value) > MAX_ANNOTATION_VALUE:
            self.dropped += 1
            return None
        if _NOTHING_TO_SCRUB.fullmatch(value):
            return value
        kept = self._seen.get(value, _UNSEEN)
        if kept is _UNSEEN:
            if len(value) > self.budget:
                self.unread += 1
                return None
            self.budget -= len(value)
            kept = self._seen[value] = scrub_credentials(value)
        if kept != value:
            self.scrubbed += 1
        return kept if type(kept) is str else None

    def screen(
        self, annotations: dict[str, str], kept: Callable[[str], bool]
    ) -> dict[str, str] | None:
        """What of ``annotations`` the policy keeps, or None when that is all of it (then
        nothing is copied)."""
        out: dict[str, str] | None = None
        for n, (key, value) in enumerate(annotations.items()):
            if kept(key):
                clean = self._value(value)
            else:
                self.dropped += 1
                clean = None
            if out is None:
                if clean is not None and clean == value:
                    continue
                out = dict(itertools.islice(annotations.items(), n))  # all unchanged so far
            if clean is not None:
                out[key] = clean
        return out

    def changed_on(self, where: str) -> None:
        self.changed += 1
        if len(self.places) < 3:
            self.places.append(where)

    def warnings(self, source: str) -> list[str]:
        """One line saying what was taken out and where, or nothing."""
        if not self.changed:
            return []
        what = []
        if self.dropped:
            what.append(f"{self.dropped} not kept (a key the product does not read, or over 1 KB)")
        if self.scrubbed:
            what.append(f"{self.scrubbed} scrubbed of credentials")
        if self.unread:
            what.append(
                f"{self.unread} dropped unread (more than {MAX_LOAD_SCRUB_CHARS:,} characters "
                "of annotation text)"
            )
        where = ", ".join(self.places[:3])
        if self.changed > len(self.places):
            where += f" and {self.changed - len(self.places)} more"
        return [
            f"{source}: annotations the plan may not hold were taken out on loading: "
            f"{'; '.join(what)}, on {where}; saving the plan stores it without them"
        ]


def screen_inventory(
    inventory: Inventory, screen: AnnotationScreen | None = None
) -> AnnotationScreen:
    """Apply the policy to every annotation map of ``inventory``, in place: workloads (pod
    template keys), namespaces and Ingresses."""
    screen = screen or AnnotationScreen()
    for workload in inventory.workloads.values():
        if workload.annotations:
            kept = screen.screen(workload.annotations, pod_key_kept)
            if kept is not None:
                workload.annotations = kept
                screen.changed_on(workload.key)
    for namespace in inventory.namespaces.values():
        if namespace.annotations:
            kept = screen.screen(namespace.annotations, NAMESPACE_KEYS.__contains__)
            if kept is not None:
                namespace.annotations = kept
                screen.changed_on(f"namespace {namespace.key}")
    for ingress in inventory.ingresses:
        if ingress.annotations:
            kept = screen.screen(ingress.annotations, INGRESS_KEYS.__contains__)
            if kept is not None:
                ingress.annotations = kept
                screen.changed_on(f"Ingress {ingress.cluster}/{ingress.namespace}/{ingress.name}")
    return screen
