"""The plan document: the single source of truth every view projects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from workbench.domain.assumptions import Assumptions, Scenario, SuccessMetric
from workbench.domain.business import BusinessInfo
from workbench.domain.comments import Comment
from workbench.domain.dependencies import Dependencies
from workbench.domain.inventory import Inventory
from workbench.domain.schedule import Schedule

INJECTION_MODES = ("namespace-label", "revision-label", "pod-label")


@dataclass(slots=True)
class Baseline:
    """A saved copy of the wave dates, shown as ghost bars."""

    name: str
    created: str  # ISO 8601 timestamp
    waves: dict[str, tuple[date, date]] = field(default_factory=dict)


@dataclass(slots=True)
class Meta:
    title: str = "Untitled plan"
    author: str = ""
    created: str = ""  # ISO 8601 timestamps
    modified: str = ""
    notes: str = ""
    baselines: list[Baseline] = field(default_factory=list)


# The newest Istio release whose CRD schemas the app ships (io/manifests/schemas): the
# default target, so exports validate against the schemas of the release they name.
DEFAULT_ISTIO_VERSION = "1.30"


@dataclass(slots=True)
class MeshSettings:
    """The mesh the plan targets."""

    istio_version: str = DEFAULT_ISTIO_VERSION
    revision: str | None = None
    injection: str = "namespace-label"  # INJECTION_MODES
    root_namespace: str = "istio-system"
    trust_domain: str = "cluster.local"
    # Readiness inputs. None: follow the clusters' existing Istio install (CNI) or
    # Istio's "auto" rule (native sidecars: Istio >= 1.28 and every kubelet >= 1.33).
    cni: bool | None = None
    native_sidecars: bool | None = None
    default_mode: str = "sidecar"  # data-plane mode assumed for workloads in no wave
    final_mtls: str = "STRICT"  # the mTLS mode the migration ends with
    outbound_policy: str = "ALLOW_ANY"  # meshConfig.outboundTrafficPolicy.mode
    # JWT issuer the ingress gateway validates (a RequestAuthentication); None: no JWT.
    jwt_issuer: str | None = None


@dataclass(slots=True)
class Mute:
    """A finding rule silenced for a namespace or workload, with the reason."""

    rule: str
    scope: str  # namespace key or workload key; "*" for everything
    reason: str


@dataclass(slots=True)
class Sharing:
    """How this copy of the plan was shared: empty for a plan with its real names."""

    # Set on a copy whose names are replaced by keyed hashes: an id of the key (a keyed
    # hash of a fixed text, never the key), so a merge can tell whether it holds the key.
    hidden_key_id: str = ""


@dataclass(slots=True)
class Plan:
    meta: Meta = field(default_factory=Meta)
    inventory: Inventory = field(default_factory=Inventory)
    dependencies: Dependencies = field(default_factory=Dependencies)
    schedule: Schedule = field(default_factory=Schedule)
    assumptions: Assumptions = field(default_factory=Assumptions)
    scenarios: list[Scenario] = field(default_factory=list)
    active_scenario: str | None = None
    metrics: list[SuccessMetric] = field(default_factory=list)
    mesh: MeshSettings = field(default_factory=MeshSettings)
    mutes: list[Mute] = field(default_factory=list)
    # Business metadata imported from a CMDB or spreadsheet, by workload key.
    business: dict[str, BusinessInfo] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)
    sharing: Sharing = field(default_factory=Sharing)

    def scenario(self, name: str) -> Scenario:
        for s in self.scenarios:
            if s.name == name:
                return s
        raise KeyError(f"no scenario named {name!r}")

    def unassigned(self) -> list[str]:
        """Workload keys in no wave, in key order (vanished workloads left out)."""
        assigned = self.schedule.assigned()
        return sorted(
            k for k, w in self.inventory.workloads.items() if k not in assigned and not w.vanished
        )
