"""Overhead over time: the schedule turned into monthly requests per mesh component.

Columns of the internal state matrix are the business-case months, then one column per
wave (the state once that wave and every wave ending before it are done) and a final
steady-state column (every scheduled wave done). One matrix product per component
evaluates them all, so a recompute after a schedule edit stays cheap. What each wave
adds (its proxies' requests and traffic) comes from :mod:`.membership`, which does not
depend on dates: a wave drag only redoes the matrices here.
"""

from __future__ import annotations

import numpy as np

from workbench.domain.assumptions import OverheadProfile
from workbench.domain.economics.coverage import MonthGrid
from workbench.domain.economics.membership import Membership, WaveLoads
from workbench.domain.economics.overhead import MB, FloatArray, OverheadTimeline, WaveOverhead
from workbench.domain.schedule import Schedule


def _state_columns(schedule: Schedule, grid: MonthGrid) -> tuple[FloatArray, list[int]]:
    """(waves, months + waves + 1): how much of each wave is done in each column.

    Also returns each wave's rank in end-date order (ties keep schedule order).
    """
    waves = schedule.waves
    count = len(waves)
    frac = grid.meshed_fractions([w.end for w in waves])
    order = sorted(range(count), key=lambda i: (waves[i].end, i))
    rank = np.empty(count, dtype=np.int64)
    rank[order] = np.arange(count)
    cumulative = (rank[:, None] <= np.arange(count)[None, :]).astype(np.float64)
    columns = np.hstack([frac.reshape(count, grid.months), cumulative, np.ones((count, 1))])
    return columns, [int(r) for r in rank]


def _pools(
    keys_by_wave: list[dict[str, float]],
    rank: list[int],
    columns: FloatArray,
    request: dict[str, tuple[float, float]],
    usage_per_krps: tuple[float, float],
) -> FloatArray:
    """Shared proxies (one per cluster or namespace): max(request, traffic usage) per column.

    A shared proxy runs from the end of the first wave that needs it.
    """
    names = sorted({k for d in keys_by_wave for k in d})
    if not names:
        return np.zeros((2, columns.shape[1]))
    pos = {k: i for i, k in enumerate(names)}
    first = [-1] * len(names)
    krps = np.zeros((len(names), len(keys_by_wave)))
    for w, d in enumerate(keys_by_wave):
        for k, v in d.items():
            p = pos[k]
            if first[p] < 0 or rank[w] < rank[first[p]]:
                first[p] = w
            krps[p, w] += v
    active = columns[np.array(first, dtype=np.int64)]
    traffic = krps @ columns
    out = np.zeros((2, columns.shape[1]))
    for dim in (0, 1):
        req = np.array([request[k][dim] for k in names])[:, None]
        out[dim] = np.maximum(req * active, traffic * usage_per_krps[dim]).sum(axis=0)
    return out


def overhead_timeline(
    schedule: Schedule,
    grid: MonthGrid,
    profile: OverheadProfile,
    members: Membership,
    loads: WaveLoads,
    nodes: dict[str, int],
) -> OverheadTimeline:
    """Overhead per month of the waves' ``loads`` (their modes: ``loads.modes``);
    ``nodes`` is the node count per cluster (:func:`cluster_nodes`)."""
    waves = schedule.waves
    columns, rank = _state_columns(schedule, grid)
    months = grid.months
    modes = loads.modes
    sidecar, ztunnel, waypoint = loads.sidecar, loads.ztunnel, loads.waypoint
    z_req = {
        c: (
            float(n * profile.ztunnel_cpu_request_m),
            float(n * profile.ztunnel_memory_request_bytes),
        )
        for c, n in nodes.items()
    }
    wp_names = {k for d in waypoint for k in d}
    wp_req = {
        k: (float(profile.waypoint_cpu_request_m), float(profile.waypoint_memory_request_bytes))
        for k in wp_names
    }
    per_cluster = (
        profile.istiod_replicas * profile.istiod_cpu_request_m
        + profile.gateway_replicas * profile.gateway_cpu_request_m,
        profile.istiod_replicas * profile.istiod_memory_request_bytes
        + profile.gateway_replicas * profile.gateway_memory_request_bytes,
    )
    ncol = columns.shape[1]
    control = np.vstack(
        [np.full(ncol, per_cluster[d] * float(len(members.clusters))) for d in (0, 1)]
    )
    parts = {
        "sidecar": sidecar @ columns,
        "ztunnel": _pools(
            ztunnel,
            rank,
            columns,
            z_req,
            (profile.ztunnel_vcpu_per_krps * 1000.0, profile.ztunnel_mb_per_krps * MB),
        ),
        "waypoint": _pools(
            waypoint,
            rank,
            columns,
            wp_req,
            (profile.waypoint_vcpu_per_krps * 1000.0, profile.waypoint_mb_per_krps * MB),
        ),
        "control_plane": control,
    }
    total = sum((p for p in parts.values()), np.zeros((2, ncol)))
    cumulative = total[:, months : months + len(waves)]
    previous = np.hstack([control[:, :1], cumulative[:, :-1]]) if len(waves) else cumulative
    step = cumulative - previous
    wave_rows = [
        WaveOverhead(
            wave=wave.id,
            name=wave.name,
            mode=modes[i],
            workloads=int(members.workloads[i]),
            pods=int(members.pods[i]),
            cpu_m=float(step[0, rank[i]]),
            memory_bytes=float(step[1, rank[i]]),
        )
        for i, wave in enumerate(waves)
    ]
    ztunnel_clusters = {c for d in ztunnel for c in d}
    return OverheadTimeline(
        monthly={k: v[:, :months].copy() for k, v in parts.items()},
        steady={k: (float(v[0, -1]), float(v[1, -1])) for k, v in parts.items()},
        waves=wave_rows,
        sidecar_pods=int(loads.sidecar_pods.sum()),
        ztunnel_nodes=sum(nodes[c] for c in ztunnel_clusters),
        waypoints=len(wp_names),
    )
