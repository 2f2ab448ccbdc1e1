"""Discovery gaps: per namespace, whose callers are unknown or partial, and which source
would close the gap (traces where workloads export them, Istio telemetry where they are
meshed, Hubble flows or flow logs otherwise, or a person's confirmation)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from workbench.domain.evidence import CallerEvidence, caller_evidence
from workbench.domain.inventory import Workload
from workbench.domain.plan import Plan

TRACE_ENV_PREFIXES = ("OTEL_", "JAEGER_", "ZIPKIN_")


@dataclass(frozen=True, slots=True)
class DiscoveryGap:
    namespace: str  # namespace key cluster/namespace
    workloads: int  # live workloads in it
    unknown: tuple[str, ...]  # workload keys whose callers nobody has seen
    partial: tuple[str, ...]  # some evidence, not enough
    external: int  # workloads with callers from outside
    source: str  # what would close the gap


def _traced(w: Workload) -> bool:
    return any(name.startswith(TRACE_ENV_PREFIXES) for c in w.containers for name in c.env)


def _source(plan: Plan, members: list[Workload], knowledge: dict[str, CallerEvidence]) -> str:
    days = f"{plan.assumptions.min_observation_days:g}"
    open_ = [w for w in members if knowledge[w.key].callers != "complete"]
    if open_ and all(_traced(w) for w in open_):
        return f"their traces (OpenTelemetry, Jaeger or Zipkin) over {days} day(s)"
    if open_ and all(w.mesh.injected or w.mesh.ambient for w in open_):
        return f"Istio telemetry (Kiali graph or istio_requests_total) over {days} day(s)"
    return f"Hubble flows or flow logs covering the namespace for {days} day(s)"


def discovery_gaps(
    plan: Plan, knowledge: dict[str, CallerEvidence] | None = None
) -> list[DiscoveryGap]:
    """Namespaces where some live workload's callers are not known completely, most
    unknown first; ``knowledge`` is the plan's :func:`caller_evidence` if already known."""
    knowledge = caller_evidence(plan) if knowledge is None else knowledge
    by_ns: dict[str, list[Workload]] = defaultdict(list)
    for w in plan.inventory.workloads.values():
        if not w.vanished:
            by_ns[w.namespace_key].append(w)
    gaps = []
    for ns, members in by_ns.items():
        unknown = tuple(sorted(w.key for w in members if knowledge[w.key].callers == "unknown"))
        partial = tuple(sorted(w.key for w in members if knowledge[w.key].callers == "partial"))
        if not unknown and not partial:
            continue
        external = sum(1 for w in members if knowledge[w.key].external_callers)
        gaps.append(
            DiscoveryGap(
                ns, len(members), unknown, partial, external, _source(plan, members, knowledge)
            )
        )
    return sorted(gaps, key=lambda g: (-len(g.unknown), -len(g.partial), g.namespace))
