"""What the manifest export generates, beyond what the plan itself decides."""

from __future__ import annotations

import re
from dataclasses import dataclass

from workbench.domain.plan import INJECTION_MODES
from workbench.io.manifests.names import ManifestError

_VERSION = re.compile(r"^(\d+)\.(\d+)(?:\.(\d+))?(?:[-+][0-9A-Za-z.-]+)?$")


@dataclass(slots=True)
class ManifestOptions:
    """Choices for one export. ``None`` fields follow the plan's mesh settings."""

    istio_version: str | None = None  # target Istio version, e.g. "1.24" or "1.30.3"
    injection: str | None = None  # one of INJECTION_MODES
    revision: str | None = None  # control-plane revision for "revision-label"
    kubernetes_version: str | None = None  # Kubernetes schemas to check against (newest)
    foundation: bool = True  # 00-foundation: install values, gateways, telemetry
    authz: bool = True  # an AuthorizationPolicy allow-list per workload with known callers
    authz_dry_run_first: bool = False  # a first pass with istio.io/dry-run: "true"
    deny_by_default: bool = False  # an allow-nothing policy per namespace at the end
    sidecar_scoping: bool = True  # a Sidecar per namespace limiting egress
    service_entries: bool = True  # ServiceEntry objects for external hosts
    circuit_breakers: bool = False  # opt-in: DestinationRule connection pool and outliers
    canary: bool = True  # subsets and weights for services with several versions
    canary_weight: int = 10  # percent of traffic the newest version gets
    alerts: bool = True  # a PrometheusRule per wave
    latency_p99_ms: float = 200.0  # alert threshold (the seed's)
    error_rate: float = 0.01  # alert threshold (the seed's: 1%)
    allow_blockers: bool = False  # mesh wave members with open blockers anyway

    def check(self) -> None:
        if self.istio_version is not None:
            istio_minor(self.istio_version)
        if self.injection is not None and self.injection not in INJECTION_MODES:
            raise ManifestError(
                f"manifest option injection must be one of {', '.join(INJECTION_MODES)}, "
                f"not {self.injection!r}"
            )
        if not 0 < self.canary_weight < 100:
            raise ManifestError(
                f"manifest option canary_weight must be between 1 and 99, not {self.canary_weight}"
            )
        if not self.latency_p99_ms > 0:
            raise ManifestError(
                f"manifest option latency_p99_ms must be positive, not {self.latency_p99_ms}"
            )
        if not 0 < self.error_rate < 1:
            raise ManifestError(
                f"manifest option error_rate must be between 0 and 1, not {self.error_rate}"
            )


def istio_minor(version: str) -> tuple[int, int]:
    """(major, minor) of an Istio version such as ``1.24`` or ``1.30.3``."""
    m = _VERSION.match(version.strip())
    if not m:
        raise ManifestError(f"not an Istio version: {version[:40]!r} (expected e.g. 1.24)")
    return int(m.group(1)), int(m.group(2))


@dataclass(frozen=True, slots=True)
class ApiVersions:
    """The apiVersion of each Istio API group for the target release."""

    networking: str
    security: str
    telemetry: str

    @staticmethod
    def for_istio(version: str) -> ApiVersions:
        if istio_minor(version) >= (1, 22):
            return ApiVersions(
                "networking.istio.io/v1", "security.istio.io/v1", "telemetry.istio.io/v1"
            )
        return ApiVersions(
            "networking.istio.io/v1beta1",
            "security.istio.io/v1beta1",
            "telemetry.istio.io/v1alpha1",
        )
