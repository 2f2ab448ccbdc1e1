"""Who calls whom: directed edges between workloads, each with the evidence for it."""

from __future__ import annotations

from dataclasses import dataclass, field

EVIDENCE_KINDS = ("env", "configmap", "networkpolicy", "kiali", "prometheus", "csv", "manual")


@dataclass(slots=True)
class Evidence:
    kind: str  # one of EVIDENCE_KINDS
    detail: str  # e.g. "env CATALOGUE_URL in Deployment front-end"


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
class Dependencies:
    edges: dict[tuple[str, str], Edge] = field(default_factory=dict)
    unresolved: list[UnresolvedAddress] = field(default_factory=list)
    # Bumped by every in-place edit of the edges (``add`` and the commands do), so caches
    # of what the edges imply can tell a stale copy. Not saved, not compared.
    revision: int = field(default=0, init=False, repr=False, compare=False)

    def add(self, edge: Edge) -> None:
        self.edges[edge.key] = edge
        self.revision += 1

    def callers_of(self, key: str) -> list[str]:
        return sorted(e.caller for e in self.edges.values() if e.callee == key)

    def callees_of(self, key: str) -> list[str]:
        return sorted(e.callee for e in self.edges.values() if e.caller == key)
