"""Who calls whom: directed edges between workloads, each with the evidence for it."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

STATIC_KINDS = ("env", "configmap", "networkpolicy", "ingress")
RUNTIME_KINDS = ("kiali", "prometheus", "hubble", "otlp", "jaeger", "zipkin", "flowlog")
PERSON_KINDS = ("csv", "manual")
EVIDENCE_KINDS = STATIC_KINDS + RUNTIME_KINDS + PERSON_KINDS
SOURCE_KINDS = ("static", "runtime", "person")  # what a piece of evidence rests on


def source_of_kind(kind: str) -> str:
    """``static`` (what the manifests state), ``runtime`` (traffic was seen) or ``person``
    (someone said so: by hand or in a hand-written file)."""
    if kind in RUNTIME_KINDS:
        return "runtime"
    if kind in PERSON_KINDS:
        return "person"
    return "static"


@dataclass(slots=True)
class Evidence:
    kind: str  # one of EVIDENCE_KINDS
    detail: str  # e.g. "env CATALOGUE_URL in Deployment front-end"
    # Runtime evidence: the observation window (ISO 8601, UTC) and how many requests or
    # flows were seen in it. None where the source does not say.
    window_from: str | None = None
    window_to: str | None = None
    count: int | None = None
    source: str = ""  # one of SOURCE_KINDS; derived from ``kind`` when left empty

    def __post_init__(self) -> None:
        if not self.source:
            self.source = source_of_kind(self.kind)


@dataclass(slots=True)
class Edge:
    caller: str  # workload key
    callee: str  # workload key
    evidence: list[Evidence] = field(default_factory=list)
    confidence: float = 1.0
    manual: bool = False  # added by hand: wins over inferred edges, survives re-import
    via_service: str | None = None
    requests_per_second: float | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.caller, self.callee)


@dataclass(slots=True)
class UnresolvedAddress:
    """An address found in the inventory that names nothing we know."""

    workload: str
    address: str
    source: str  # where it was seen
    reason: str = ""  # why it names nothing: no such Service, selects no workload ...


@dataclass(slots=True)
class Observation:
    """One runtime capture imported into the plan: which source, the window it spans and
    which workloads it saw (a workload it saw is one whose callers it would have seen)."""

    source: str  # one of RUNTIME_KINDS
    detail: str  # the file or URL it came from
    window_from: str | None = None  # ISO 8601, UTC; None when the data carries no time
    window_to: str | None = None
    records: int = 0
    workloads: list[str] = field(default_factory=list)  # covered workload keys, sorted
    # workload key -> calls seen from outside the cluster or the mesh (world, unknown IPs,
    # services that are no workload of the estate)
    external: dict[str, int] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str, str | None, str | None]:
        return (self.source, self.detail, self.window_from, self.window_to)


@dataclass(slots=True)
class CallerConfirmation:
    """A person's statement that a workload's inbound callers are known completely."""

    workload: str
    reason: str
    by: str = ""
    at: str = ""  # ISO 8601 timestamp


@dataclass(slots=True)
class Dependencies:
    edges: dict[tuple[str, str], Edge] = field(default_factory=dict)
    unresolved: list[UnresolvedAddress] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    confirmations: dict[str, CallerConfirmation] = field(default_factory=dict)
    # Bumped by every in-place edit of the edges (``add`` and the commands do), so caches
    # of what the edges imply can tell a stale copy. Not saved, not compared.
    revision: int = field(default=0, init=False, repr=False, compare=False)

    def add(self, edge: Edge) -> None:
        self.edges[edge.key] = edge
        self.revision += 1

    def existing_or_add(self, edge: Edge) -> Edge | None:
        """The edge already there for ``edge.key``; or None after adding a copy of ``edge``."""
        current = self.edges.get(edge.key)
        if current is None:
            self.add(copy.deepcopy(edge))
        return current

    def callers_of(self, key: str) -> list[str]:
        return sorted(e.caller for e in self.edges.values() if e.callee == key)

    def callees_of(self, key: str) -> list[str]:
        return sorted(e.callee for e in self.edges.values() if e.caller == key)
