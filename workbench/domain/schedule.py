"""Phases, activities and waves: the migration's calendar.

An activity is a dated task without workloads ("Istio installation"); a wave is an
activity whose members are workloads. A workload belongs to at most one wave; the
schedule keeps an index so that lookup is O(1) and the invariant holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from workbench.domain.errors import WorkbenchError

DATAPLANE_MODES = ("sidecar", "ambient")
MTLS_MODES = ("PERMISSIVE", "STRICT")


class ScheduleError(WorkbenchError, ValueError):
    """An edit that would break the schedule's invariants."""


@dataclass(slots=True)
class Phase:
    id: str
    name: str
    start: date
    end: date


@dataclass(slots=True)
class Activity:
    id: str
    name: str
    phase: str  # phase id
    start: date
    end: date


@dataclass(slots=True)
class Wave:
    id: str
    name: str
    phase: str
    start: date
    end: date
    mode: str = "sidecar"  # DATAPLANE_MODES
    mtls: str = "PERMISSIVE"  # MTLS_MODES
    members: list[str] = field(default_factory=list)  # workload keys
    max_workloads: int | None = None
    max_pods: int | None = None
    # Principal-based AuthorizationPolicies (allow-lists of callers' identities) are
    # rolled out for the members at the wave's end.
    authz: bool = False
    # Namespace keys whose ambient waypoint is deployed with this wave.
    waypoints: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Schedule:
    phases: list[Phase] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    waves: list[Wave] = field(default_factory=list)
    _index: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    # How many waves may run on the same day.
    max_concurrent_waves: int = 2
    # Namespace key -> the day a namespace-wide STRICT PeerAuthentication takes effect.
    namespace_strict: dict[str, date] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.reindex()

    # -- lookup -------------------------------------------------------------------
    def reindex(self) -> None:
        """Rebuild the workload -> wave index; raises if a workload is in two waves."""
        index: dict[str, str] = {}
        for wave in self.waves:
            for key in wave.members:
                if key in index:
                    raise ScheduleError(
                        f"workload {key} is in both wave {index[key]} and wave {wave.id}"
                    )
                index[key] = wave.id
        self._index = index

    def wave_of(self, workload: str) -> str | None:
        return self._index.get(workload)

    def assigned(self) -> dict[str, str]:
        return dict(self._index)

    def wave(self, wave_id: str) -> Wave:
        for w in self.waves:
            if w.id == wave_id:
                return w
        raise ScheduleError(f"no wave with id {wave_id!r}")

    def phase(self, phase_id: str) -> Phase:
        for p in self.phases:
            if p.id == phase_id:
                return p
        raise ScheduleError(f"no phase with id {phase_id!r}")

    def has_wave(self, wave_id: str) -> bool:
        return any(w.id == wave_id for w in self.waves)

    def has_phase(self, phase_id: str) -> bool:
        return any(p.id == phase_id for p in self.phases)

    # -- membership edits (keep the index right) ----------------------------------
    def assign(self, workload: str, wave_id: str, position: int | None = None) -> None:
        wave = self.wave(wave_id)
        current = self._index.get(workload)
        if current is not None:
            self.unassign(workload)
        if position is None or position >= len(wave.members):
            wave.members.append(workload)
        else:
            wave.members.insert(position, workload)
        self._index[workload] = wave_id

    def assign_all(
        self, workloads: list[str], wave_id: str
    ) -> list[tuple[str, tuple[str, int] | None]]:
        """Move each of ``workloads``, in order, to the end of wave ``wave_id``, as
        :meth:`unassign` and :meth:`assign` one after another would (a look-up of the waves
        for all of them, not a walk of the list per workload). Returns, per workload, the
        wave and position :meth:`unassign` gave (None if it was in no wave)."""
        waves = {w.id: w for w in self.waves}
        target = waves.get(wave_id)
        if target is None:
            raise ScheduleError(f"no wave with id {wave_id!r}")
        previous: list[tuple[str, tuple[str, int] | None]] = []
        for key in workloads:
            source = self._index.get(key)
            if source is None:
                previous.append((key, None))
            else:
                members = waves[source].members
                position = members.index(key)
                del members[position]
                previous.append((key, (source, position)))
            target.members.append(key)
            self._index[key] = wave_id
        return previous

    def unassign_all(self, workloads: list[str]) -> None:
        """Take each of ``workloads`` out of its wave (a pass over each wave concerned)."""
        gone: dict[str, set[str]] = {}
        for key in workloads:
            wave_id = self._index.pop(key, None)
            if wave_id is not None:
                gone.setdefault(wave_id, set()).add(key)
        for wave in self.waves:
            leaving = gone.get(wave.id)
            if leaving:
                wave.members[:] = [m for m in wave.members if m not in leaving]

    def unassign(self, workload: str) -> tuple[str, int] | None:
        """Remove a workload from its wave; return (wave id, position) it had."""
        wave_id = self._index.pop(workload, None)
        if wave_id is None:
            return None
        wave = self.wave(wave_id)
        pos = wave.members.index(workload)
        del wave.members[pos]
        return wave_id, pos

    def insert_wave(self, wave: Wave, position: int | None = None) -> None:
        if self.has_wave(wave.id):
            raise ScheduleError(f"a wave with id {wave.id!r} exists already")
        for key in wave.members:
            if key in self._index:
                raise ScheduleError(f"workload {key} is already in wave {self._index[key]}")
        if position is None:
            self.waves.append(wave)
        else:
            self.waves.insert(position, wave)
        for key in wave.members:
            self._index[key] = wave.id

    def pop_wave(self, wave_id: str) -> tuple[Wave, int]:
        for i, w in enumerate(self.waves):
            if w.id == wave_id:
                del self.waves[i]
                for key in w.members:
                    self._index.pop(key, None)
                return w, i
        raise ScheduleError(f"no wave with id {wave_id!r}")

    def new_wave_id(self) -> str:
        used = {w.id for w in self.waves}
        n = len(self.waves) + 1
        while f"wave-{n:02d}" in used:
            n += 1
        return f"wave-{n:02d}"
