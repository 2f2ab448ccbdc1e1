"""Lookups the schedule rules, the auto-planner and the outputs share.

:class:`PlanningContext` holds what only changes when the inventory or the dependencies
change (the call graph, readiness, environments, L7 policies); :meth:`refresh` re-reads
the schedule's waves, phases and activities, which is cheap, after every edit.

Per-wave facts the cross-wave rules need (the environments and pods of a wave's
members) are cached by wave; whoever changes a wave's membership calls
:meth:`forget_waves` for the waves concerned. As a safety net a wave whose object or
member count differs from the cached one is re-read anyway.

When a workload counts as meshed (the convention of the coverage ramp): from its
wave's end date; a workload already in the mesh and in no wave, from the start
(:data:`ALREADY`); otherwise never (None).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from workbench.domain.inventory import MeshPolicy, namespace_key
from workbench.domain.plan import Plan
from workbench.domain.planning.backlog import out_of_scope_namespaces
from workbench.domain.planning.environments import environment_of, normalise
from workbench.domain.planning.graph import CallGraph
from workbench.domain.planning.readiness_input import ReadinessInput
from workbench.domain.schedule import Phase, Wave

ALREADY = date.min
MULTICLUSTER_ACTIVITY = re.compile(
    r"multi-?cluster|east-?west|root of trust|shared root|trust anchor", re.IGNORECASE
)
WAYPOINT_LABEL = "istio.io/use-waypoint"


@dataclass(frozen=True, slots=True)
class WaveFacts:
    """What a wave's membership implies, independent of its dates."""

    wave: Wave  # the object the facts were read from
    count: int  # len(wave.members) then
    first_prod: str | None  # the first member in a production namespace
    has_nonprod: bool  # a member in a known non-production namespace
    workloads: int  # members known to the call graph (not vanished)
    pods: int  # their pods


def is_pilot_phase(phase: Phase) -> bool:
    return phase.id.lower() == "pilot" or "pilot" in phase.name.lower()


class PlanningContext:
    def __init__(
        self, plan: Plan, readiness: ReadinessInput, graph: CallGraph | None = None
    ) -> None:
        inv = plan.inventory
        self.plan = plan
        self.inventory = inv
        self.readiness = readiness
        self.graph = graph if graph is not None else CallGraph(plan)
        self.env: dict[str, str | None] = {
            k: environment_of(ns) for k, ns in inv.namespaces.items()
        }
        self.namespace_members: dict[str, list[str]] = defaultdict(list)
        self._namespace: dict[str, str] = {}
        for key in self.graph.nodes:
            ns = self._namespace[key] = inv.workloads[key].namespace_key
            self.namespace_members[ns].append(key)
        self._wave_facts: dict[str, WaveFacts] = {}
        system = out_of_scope_namespaces(plan)
        # System namespaces and the mesh's own are out of scope: nobody plans them.
        self.out_of_scope: frozenset[str] = frozenset(
            k for k in self.graph.nodes if inv.workloads[k].namespace in system
        )
        self._meshed_at_import = {
            k for k, w in inv.workloads.items() if w.mesh.injected or w.mesh.ambient
        }
        self._l7: dict[str, list[MeshPolicy]] = defaultdict(list)
        for pol in inv.mesh_policies:
            if pol.l7:
                self._l7[namespace_key(pol.cluster, pol.namespace)].append(pol)
        self._waypoint_ready: set[str] = {
            k for k, ns in inv.namespaces.items() if WAYPOINT_LABEL in ns.labels
        }
        self._waypoint_ready |= {
            w.namespace_key
            for w in inv.workloads.values()
            if w.labels.get("gateway.istio.io/managed") == "istio.io-mesh-controller"
        }
        self._eastwest = any(
            w.labels.get("istio") == "eastwestgateway" for w in inv.workloads.values()
        )
        self.refresh()

    def refresh(self) -> None:
        """Re-read waves, phases and activities after a schedule edit."""
        sched = self.plan.schedule
        self.waves: dict[str, Wave] = {w.id: w for w in sched.waves}
        self.phases: dict[str, Phase] = {p.id: p for p in sched.phases}
        self.pilot_phases = {p.id for p in sched.phases if is_pilot_phase(p)}
        ends = [a.end for a in sched.activities if MULTICLUSTER_ACTIVITY.search(a.name)]
        self.multicluster_ready: date | None = (
            ALREADY if self._eastwest else (min(ends) if ends else None)
        )
        waypoint_from: dict[str, date] = {}
        for wave in sched.waves:
            for ns in wave.waypoints:
                if ns not in waypoint_from or wave.start < waypoint_from[ns]:
                    waypoint_from[ns] = wave.start
        for ns in self._waypoint_ready:
            waypoint_from[ns] = ALREADY
        self.waypoint_from = waypoint_from

    # -- per wave --------------------------------------------------------------------------
    def wave_facts(self, wave: Wave) -> WaveFacts:
        """The wave's membership facts, cached until :meth:`forget_waves` names it."""
        facts = self._wave_facts.get(wave.id)
        if facts is None or facts.wave is not wave or facts.count != len(wave.members):
            facts = self._wave_facts[wave.id] = self._read_facts(wave)
        return facts

    def forget_waves(self, wave_ids: Iterable[str]) -> None:
        """Drop the cached facts of waves whose membership (may have) changed."""
        for wave_id in wave_ids:
            self._wave_facts.pop(wave_id, None)

    def _read_facts(self, wave: Wave) -> WaveFacts:
        first_prod = None
        has_nonprod = False
        known = pods = 0
        workloads = self.inventory.workloads
        for key in wave.members:
            ns = self._namespace.get(key)
            if ns is None:  # not in the call graph (vanished or unknown)
                continue
            known += 1
            pods += workloads[key].pods
            env = self.env.get(ns)
            if env == "prod":
                first_prod = first_prod or key
            elif env is not None:
                has_nonprod = True
        return WaveFacts(wave, len(wave.members), first_prod, has_nonprod, known, pods)

    # -- per workload -------------------------------------------------------------------
    def wave_of(self, key: str) -> Wave | None:
        wave_id = self.plan.schedule.wave_of(key)
        return None if wave_id is None else self.waves.get(wave_id)

    def mesh_time(self, key: str) -> date | None:
        wave_id = self.plan.schedule.wave_of(key)
        if wave_id is not None:
            wave = self.waves.get(wave_id)
            if wave is not None:
                return wave.end
        return ALREADY if key in self._meshed_at_import else None

    def already_meshed(self, key: str) -> bool:
        mesh = self.inventory.workloads[key].mesh
        return mesh.injected or mesh.ambient

    def blocked(self, key: str) -> bool:
        return key in self.readiness.blockers

    def in_scope(self, key: str) -> bool:
        return key not in self.out_of_scope

    def namespace_of(self, key: str) -> str:
        ns = self._namespace.get(key)
        return ns if ns is not None else self.inventory.workloads[key].namespace_key

    def env_of(self, key: str) -> str | None:
        """The environment from business metadata, else from the namespace name."""
        info = self.plan.business.get(key)
        if info is not None and info.environment:
            env = normalise(info.environment)
            if env is not None:
                return env
        return self.env.get(self.namespace_of(key))

    def criticality_of(self, key: str) -> str | None:
        info = self.plan.business.get(key)
        return info.criticality if info is not None and info.criticality else None

    def team_of(self, key: str) -> str | None:
        info = self.plan.business.get(key)
        return info.owner if info is not None and info.owner else None

    def window_of(self, key: str) -> str:
        """The maintenance window from business metadata as given; empty when none."""
        info = self.plan.business.get(key)
        return info.maintenance.strip() if info is not None else ""

    def needs_waypoint(self, key: str) -> bool:
        """Whether L7 policies (HTTP attributes) apply to the workload: in ambient mode
        only a waypoint can enforce them."""
        w = self.inventory.workloads[key]
        root = namespace_key(w.cluster, self.plan.mesh.root_namespace)
        for pol in self._l7.get(w.namespace_key, ()):
            if all(w.labels.get(k) == v for k, v in pol.selector.items()):
                return True
        return bool(self._l7.get(root))


def describe_time(when: date | None) -> str:
    if when is None:
        return "never (in no wave)"
    return "already" if when == ALREADY else when.isoformat()
