"""Call-graph evidence: what each workload's inbound callers rest on, and where they are unknown."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from workbench.domain.dependencies import Edge
from workbench.domain.evidence.entry import entry_points
from workbench.domain.evidence.windows import DAY, covered_seconds, days_text, window_of
from workbench.domain.plan import Plan

CALLER_STATES = ("complete", "partial", "unknown")
NOTHING_KNOWN = "no caller is known and no runtime source has observed it"


@dataclass(frozen=True, slots=True)
class CallerEvidence:
    workload: str  # workload key
    callers: str  # one of CALLER_STATES
    external_callers: bool  # callers from outside the cluster / mesh
    reasons: tuple[str, ...]  # human-readable: why this state, which entry points
    observed_seconds: float = 0.0  # how long runtime sources covered it (overlaps once)
    sources: tuple[str, ...] = ()  # evidence kinds of its inbound edges and coverage


def _inbound(plan: Plan) -> dict[str, list[Edge]]:
    found: dict[str, list[Edge]] = defaultdict(list)
    for edge in plan.dependencies.edges.values():
        found[edge.callee].append(edge)
    return found


def _coverage(plan: Plan) -> tuple[dict[str, list[tuple[float, float]]], dict[str, set[str]]]:
    windows: dict[str, list[tuple[float, float]]] = defaultdict(list)
    kinds: dict[str, set[str]] = defaultdict(set)
    for obs in plan.dependencies.observations:
        window = window_of(obs.window_from, obs.window_to)
        for key in obs.workloads:
            kinds[key].add(obs.source)
            if window is not None:
                windows[key].append(window)
    return windows, kinds


def _observed_external(plan: Plan) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for obs in plan.dependencies.observations:
        for key, count in obs.external.items():
            found[key].append(f"{count} call(s) from outside the estate seen by {obs.source}")
    return found


def _state(
    key: str,
    plan: Plan,
    edges: list[Edge],
    windows: list[tuple[float, float]],
    kinds: set[str],
) -> tuple[str, list[str], float]:
    confirmed = plan.dependencies.confirmations.get(key)
    if confirmed is None and not kinds and not edges:
        return "unknown", [NOTHING_KNOWN], 0.0
    minimum = plan.assumptions.min_observation_days * DAY
    seconds = covered_seconds(windows) if windows else 0.0
    reasons: list[str] = []
    if confirmed is not None:
        by = f" by {confirmed.by}" if confirmed.by else ""
        reasons.append(f"callers confirmed{by}: {confirmed.reason}")
        return "complete", reasons, seconds
    if windows and seconds >= minimum:
        reasons.append(
            f"observed by {', '.join(sorted(kinds))} for {days_text(seconds)} "
            f"(at least {plan.assumptions.min_observation_days:g} day(s) needed)"
        )
        return "complete", reasons, seconds
    if kinds:
        if windows:
            reasons.append(
                f"observed by {', '.join(sorted(kinds))} for only {days_text(seconds)} "
                f"of the {plan.assumptions.min_observation_days:g} day(s) needed"
            )
        else:
            reasons.append(f"seen by {', '.join(sorted(kinds))}, but the data carries no time")
    if edges:
        by_source: dict[str, int] = defaultdict(int)
        for e in edges:
            for source in {ev.source for ev in e.evidence} or {"static"}:
                by_source[source] += 1
        listed = ", ".join(f"{n} {s}" for s, n in sorted(by_source.items()))
        reasons.append(f"{len(edges)} known caller(s) ({listed} evidence)")
    if not reasons:
        return "unknown", [NOTHING_KNOWN], seconds
    reasons.append("a runtime capture covering it for the minimum window would complete it")
    return "partial", reasons, seconds


def caller_evidence(plan: Plan) -> dict[str, CallerEvidence]:
    """The caller knowledge of every workload key of the inventory, in key order."""
    inbound = _inbound(plan)
    windows, kinds = _coverage(plan)
    entries = entry_points(plan.inventory)
    observed_external = _observed_external(plan)
    out: dict[str, CallerEvidence] = {}
    no_kinds: set[str] = set()
    for key in sorted(plan.inventory.workloads):
        edges = inbound.get(key, [])
        seen_by = kinds.get(key, no_kinds)
        state, reasons, seconds = _state(key, plan, edges, windows.get(key, []), seen_by)
        external = entries.get(key, []) + observed_external.get(key, [])
        if external:
            reasons = [*reasons, *(f"external entry: {e}" for e in external)]
        sources = {ev.kind for e in edges for ev in e.evidence} | seen_by if edges else seen_by
        out[key] = CallerEvidence(
            key, state, bool(external), tuple(reasons), seconds, tuple(sorted(sources))
        )
    return out


def unknown_callers(plan: Plan) -> set[str]:
    """Keys of the live workloads whose callers nobody has observed or confirmed."""
    return {
        key
        for key, found in caller_evidence(plan).items()
        if found.callers == "unknown" and not plan.inventory.workloads[key].vanished
    }


__all__ = ["CALLER_STATES", "CallerEvidence", "caller_evidence", "unknown_callers"]
