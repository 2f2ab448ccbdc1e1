"""A readiness rule: an id, a title, a default severity, its source and a check.

Rules come in four scopes: most look at one workload, some at one Service (ExternalName
Services select no pods), one namespace (quota headroom) or one cluster. A check
returns findings; :meth:`Rule.hit` builds one with the rule's id, the rule's
explanation (which cites the Istio source) and a fix.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from workbench.domain.findings import SEVERITIES, Finding

if TYPE_CHECKING:
    from workbench.domain.readiness.context import ReadinessContext

T = TypeVar("T")
SCOPES = ("workload", "service", "namespace", "cluster")
NO_FINDINGS: list[Finding] = []

# Istio sources the rules cite.
DOC_APP_REQUIREMENTS = "https://istio.io/latest/docs/ops/deployment/application-requirements/"
DOC_PROTOCOL = (
    "https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/"
)
DOC_ROUTING = "https://istio.io/latest/docs/ops/configuration/traffic-management/traffic-routing/"
DOC_HEALTH = "https://istio.io/latest/docs/ops/configuration/mesh/app-health-check/"
DOC_PSA = "https://istio.io/latest/docs/setup/additional-setup/pod-security-admission/"
DOC_CNI = "https://istio.io/latest/docs/setup/additional-setup/cni/"
DOC_MTLS = "https://istio.io/latest/docs/tasks/security/authentication/mtls-migration/"
DOC_AMBIENT_MIGRATE = "https://istio.io/latest/docs/ambient/migrate/enable-ambient-mode/"
DOC_AMBIENT_ADD = "https://istio.io/latest/docs/ambient/usage/add-workloads/"
DOC_AMBIENT_NETPOL = "https://istio.io/latest/docs/ambient/usage/networkpolicy/"
DOC_WAYPOINT = "https://istio.io/latest/docs/ambient/usage/waypoint/"
DOC_ANALYZE = "https://istio.io/latest/docs/reference/config/analysis/"
DOC_IST0143 = "https://istio.io/latest/docs/reference/config/analysis/ist0143/"
DOC_FAQ_MTLS = "https://istio.io/latest/about/faq/security/"
DOC_EGRESS = "https://istio.io/latest/docs/tasks/traffic-management/egress/egress-control/"
DOC_DESTINATION_RULE = "https://istio.io/latest/docs/reference/config/networking/destination-rule/"
DOC_PROXY_CONFIG = "https://istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/"
DOC_RESOURCES = "https://istio.io/latest/docs/reference/config/annotations/"
DOC_PLATFORM = "https://istio.io/latest/docs/setup/platform-setup/"
CODE_INJECT = "https://github.com/istio/istio/blob/1.30.3/pkg/kube/inject/inject.go"
CODE_INITIALIZER = "https://github.com/istio/istio/blob/1.30.3/pkg/kube/inject/initializer.go"
CODE_WEBHOOK = "https://github.com/istio/istio/blob/1.30.3/pkg/kube/inject/webhook.go"
CODE_NODEAGENT = "https://github.com/istio/istio/blob/1.30.3/cni/pkg/nodeagent/net.go"
CODE_TEMPLATE = (
    "https://github.com/istio/istio/blob/1.30.3/manifests/charts/istio-control/"
    "istio-discovery/files/injection-template.yaml"
)


@dataclass(frozen=True, slots=True)
class Rule(Generic[T]):
    """One readiness rule. ``modes``: the data-plane modes it can fire for."""

    id: str
    title: str
    severity: str  # the default; a check may raise or lower it for one finding
    source: str  # URL of the Istio doc or code the rule comes from
    why: str  # why it matters, in one or two sentences
    fix: str  # the usual fix
    scope: str  # SCOPES
    impl: Callable[[Rule[T], ReadinessContext, T], list[Finding]]
    modes: tuple[str, ...] = ("sidecar", "ambient")

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"rule {self.id}: unknown severity {self.severity!r}")
        if self.scope not in SCOPES:
            raise ValueError(f"rule {self.id}: unknown scope {self.scope!r}")

    def check(self, ctx: ReadinessContext, subject: T) -> list[Finding]:
        return self.impl(self, ctx, subject)

    def hit(
        self,
        items: str | tuple[str, ...] | list[str],
        message: str,
        *,
        severity: str | None = None,
        fix: str | None = None,
        why: str | None = None,
    ) -> Finding:
        keys = (items,) if isinstance(items, str) else tuple(dict.fromkeys(items))
        return Finding(
            rule=self.id,
            severity=severity or self.severity,
            source="readiness",
            items=keys,
            message=message,
            why=f"{why or self.why} Source: {self.source}",
            fix=fix or self.fix,
        )
