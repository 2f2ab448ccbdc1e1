"""The waves' members as positions in the workload table, and what they add per wave.

Everything here depends on the estate (the workload table and overhead profile) and on
which workloads each wave holds, but not on the waves' dates: moving a wave on the
Gantt reuses it, and only the small per-month matrices are recomputed. The data-plane
mode does matter for the proxies; :meth:`Membership.loads` keeps one
:class:`WaveLoads` per combination of modes (the plan's own, all sidecar, all ambient).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from workbench.domain.assumptions import OverheadProfile
from workbench.domain.economics.overhead import FloatArray, WorkloadTable
from workbench.domain.schedule import Schedule

IntArray = npt.NDArray[np.int64]


def member_indices(table: WorkloadTable, schedule: Schedule) -> list[IntArray]:
    """Each wave's members as positions in the workload table (unknown keys left out)."""
    index = table.index
    return [
        np.array([index[k] for k in wave.members if k in index], dtype=np.int64)
        for wave in schedule.waves
    ]


@dataclass(frozen=True, slots=True)
class WaveLoads:
    """Per wave, under given data-plane modes: what its proxies request once it is done."""

    modes: tuple[str, ...]
    sidecar: FloatArray  # (2, waves): cpu_m and memory bytes of the wave's sidecars
    sidecar_pods: FloatArray  # (waves,): pods that get a sidecar (0 for ambient waves)
    ztunnel: list[dict[str, float]]  # per wave: cluster -> thousands of req/s
    waypoint: list[dict[str, float]]  # per wave: namespace needing a waypoint -> inbound krps


@dataclass(slots=True)
class Membership:
    members: list[IntArray]  # per wave: positions in the table
    row: IntArray  # per table row: its wave's position; len(waves) if meshed at import; -1
    workloads: FloatArray  # per wave: members in the table
    pods: FloatArray  # per wave: their pods
    already_workloads: int  # meshed at import and in no wave
    already_pods: float
    clusters: frozenset[str]  # clusters with scheduled workloads
    _loads: dict[tuple[str, ...], WaveLoads] = field(default_factory=dict, repr=False)

    def loads(
        self, table: WorkloadTable, profile: OverheadProfile, modes: tuple[str, ...]
    ) -> WaveLoads:
        """The proxies' loads per wave when the waves use ``modes`` (cached)."""
        found = self._loads.get(modes)
        if found is None:
            found = self._loads[modes] = wave_loads(table, profile, self.members, modes)
        return found


def membership(table: WorkloadTable, schedule: Schedule) -> Membership:
    members = member_indices(table, schedule)
    count = len(members)
    row = np.full(len(table.pods), -1, dtype=np.int64)
    for i, idx in enumerate(members):
        row[idx] = i
    already = (row < 0) & table.already
    row[already] = count
    scheduled = np.concatenate(members) if members else np.zeros(0, dtype=np.int64)
    return Membership(
        members=members,
        row=row,
        workloads=np.array([len(idx) for idx in members], dtype=np.float64),
        pods=np.array([table.pods[idx].sum() for idx in members], dtype=np.float64),
        already_workloads=int(already.sum()),
        already_pods=float(table.pods[already].sum()),
        clusters=frozenset(table.cluster[j] for j in scheduled.tolist()),
    )


def wave_loads(
    table: WorkloadTable,
    profile: OverheadProfile,
    members: list[IntArray],
    modes: tuple[str, ...],
) -> WaveLoads:
    sidecar = np.zeros((2, len(members)))
    sidecar_pods = np.zeros(len(members))
    ztunnel: list[dict[str, float]] = []
    waypoint: list[dict[str, float]] = []
    for i, idx in enumerate(members):
        z: dict[str, float] = {}
        wp: dict[str, float] = {}
        if modes[i] == "ambient":
            for j in idx:
                c = table.cluster[j]
                z[c] = z.get(c, 0.0) + table.krps_total[j]
                if profile.waypoint_every_namespace or table.wants_waypoint[j]:
                    ns = table.namespace[j]
                    wp[ns] = wp.get(ns, 0.0) + table.krps_in[j]
        else:
            sel = idx[table.injectable[idx]]
            sidecar[:, i] = table.sidecar[:, sel].sum(axis=1)
            sidecar_pods[i] = table.pods[sel].sum()
        ztunnel.append(z)
        waypoint.append(wp)
    return WaveLoads(modes, sidecar, sidecar_pods, ztunnel, waypoint)
