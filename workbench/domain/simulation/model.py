"""What the simulator reads (steps, calls) and what it tells (verdicts per step).

A :class:`RolloutStep` is one thing an operator does to one cluster: apply a set of Istio
objects, delete some, change namespace or pod-template labels. A :class:`Call` is one
known flow of traffic: a dependency edge, a StatefulSet member calling its peers, an init
container calling before the proxy runs, or a client outside the mesh reaching an
exposed workload. After every step each call is judged: fine, *at risk* (the outcome
depends on something the plan cannot see, such as an HTTP path or a CUSTOM authorizer)
or *broken* (Istio's rules reject it), with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

Obj = dict[str, Any]
BROKEN = "broken"
AT_RISK = "at-risk"
STEP_KINDS = ("foundation", "mesh", "lockdown", "cutover", "mesh-wide", "rollback", "other")


@dataclass(frozen=True, slots=True)
class LabelChange:
    """Labels and annotations set (a value) or removed (None) on a Namespace or on a
    workload's pod template."""

    cluster: str
    kind: str  # "Namespace" or the workload's kind
    namespace: str  # the namespace itself for a Namespace
    name: str
    labels: Mapping[str, str | None] = field(default_factory=dict)
    annotations: Mapping[str, str | None] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RolloutStep:
    id: str  # e.g. "02-pilot/east/lockdown"
    title: str  # e.g. "Lockdown"
    kind: str  # one of STEP_KINDS
    cluster: str
    folder: str = ""  # the export folder it comes from
    apply: tuple[Obj, ...] = ()
    delete: tuple[Obj, ...] = ()  # identities (apiVersion, kind, metadata name/namespace)
    changes: tuple[LabelChange, ...] = ()
    cutover: bool = False  # entry traffic goes through the ingress gateway from here on


@dataclass(frozen=True, slots=True)
class Call:
    caller: str  # workload key, EXTERNAL or GATEWAY
    callee: str  # workload key
    ports: tuple[int, ...] = ()  # the callee's container ports it reaches; () = unknown
    what: str = "edge"  # "edge", "peer", "init", "entry"
    plaintext: str | None = None  # why the caller's proxy is bypassed (pod IP ...)

    def label(self) -> str:
        via = {"peer": " (peers)", "init": " (init container)", "entry": " (entry)"}
        return f"{self.caller} -> {self.callee}{via.get(self.what, '')}"


@dataclass(frozen=True, slots=True)
class Verdict:
    call: Call
    status: str  # BROKEN or AT_RISK
    reason: str
    port: int | None = None


@dataclass(slots=True)
class StepResult:
    step: RolloutStep
    broken: list[Verdict] = field(default_factory=list)
    at_risk: list[Verdict] = field(default_factory=list)
    meshed: int = 0  # workloads with a proxy (or in ambient) after the step
    new_broken: list[Verdict] = field(default_factory=list)  # not broken before this step


@dataclass(slots=True)
class SimulationReport:
    calls: int
    results: list[StepResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def broken(self) -> int:
        """Broken calls summed over the steps (0 means nothing breaks at any step)."""
        return sum(len(r.broken) for r in self.results)

    @property
    def broken_edges(self) -> int:
        """Distinct calls broken at one step or more."""
        return len({v.call for r in self.results for v in r.broken})

    def first_broken(self) -> StepResult | None:
        return next((r for r in self.results if r.broken), None)
