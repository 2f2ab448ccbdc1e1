"""The mesh's resource overhead: what the scheduler reserves for proxies and the control plane.

Figures and their sources (see also ``docs/economics.md``):

* Sidecar requests/limits per pod from the overhead profile (``istio-defaults``: Istio's
  Helm values ``global.proxy.resources``, 100m / 128Mi requests, 2 CPU / 1Gi limits),
  overridden per pod by ``sidecar.istio.io/proxyCPU``, ``proxyMemory``, ``proxyCPULimit``
  and ``proxyMemoryLimit``. As in Istio's injection template, once any of the four is set
  the profile's defaults are dropped and only the annotated values apply.
  hostNetwork pods are never injected and add nothing.
* Ambient: one ztunnel per node (200m / 512Mi, ztunnel chart) in every cluster with an
  ambient wave, from the end of that cluster's first ambient wave; a waypoint
  (100m / 128Mi) per ambient namespace that needs L7.
* Control plane: istiod (500m / 2Gi per replica) and gateways per cluster that has
  scheduled workloads, from month 1 (installed during the foundation phase).
* Traffic: where edges carry request rates, a proxy's usage per 1,000 req/s (Istio 1.24
  performance summary) is compared with its requests and the larger is what counts
  (OpenCost's allocation rule: max(request, usage)). Sidecars and ztunnels see both
  directions of a call; waypoints see inbound traffic only.

Timing follows :mod:`workbench.domain.economics.coverage`: a wave's pods count from
the wave's end date. CPU is in millicores and memory in bytes throughout.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from workbench.domain.assumptions import OverheadProfile
from workbench.domain.dependencies import Dependencies
from workbench.domain.inventory import Inventory, Workload
from workbench.domain.quantities import parse_cpu_m, parse_memory_bytes

FloatArray = npt.NDArray[np.float64]
COMPONENTS = ("sidecar", "ztunnel", "waypoint", "control_plane")
PROXY_ANNOTATIONS = (
    "sidecar.istio.io/proxyCPU",
    "sidecar.istio.io/proxyMemory",
    "sidecar.istio.io/proxyCPULimit",
    "sidecar.istio.io/proxyMemoryLimit",
)
USE_WAYPOINT = "istio.io/use-waypoint"
MB = 1_000_000


@dataclass(frozen=True, slots=True)
class ProxyResources:
    """One sidecar's requests and limits (millicores, bytes)."""

    cpu_request_m: int
    memory_request_bytes: int
    cpu_limit_m: int
    memory_limit_bytes: int


def sidecar_resources(workload: Workload, profile: OverheadProfile) -> ProxyResources:
    """The injected proxy's resources for one pod of ``workload``."""
    ann = workload.annotations
    if not any(a in ann for a in PROXY_ANNOTATIONS):
        return ProxyResources(
            profile.sidecar_cpu_request_m,
            profile.sidecar_memory_request_bytes,
            profile.sidecar_cpu_limit_m,
            profile.sidecar_memory_limit_bytes,
        )
    where = f"annotations of {workload.key}"
    cpu, mem, cpu_lim, mem_lim = (ann.get(a) for a in PROXY_ANNOTATIONS)
    return ProxyResources(
        parse_cpu_m(cpu, where) if cpu else 0,
        parse_memory_bytes(mem, where) if mem else 0,
        parse_cpu_m(cpu_lim, where) if cpu_lim else 0,
        parse_memory_bytes(mem_lim, where) if mem_lim else 0,
    )


@dataclass(frozen=True, slots=True)
class WorkloadTable:
    """Per-workload figures the timeline sums; depends on inventory, traffic and profile."""

    index: dict[str, int]
    pods: FloatArray
    cluster: list[str]
    namespace: list[str]  # namespace keys
    injectable: npt.NDArray[np.bool_]  # not hostNetwork
    wants_waypoint: npt.NDArray[np.bool_]
    sidecar: FloatArray  # (2, N): cpu_m, memory bytes of all the workload's sidecars
    sidecar_requests: FloatArray  # (2, N): requests only, without traffic
    krps_total: FloatArray  # thousands of req/s in and out
    krps_in: FloatArray
    already: npt.NDArray[np.bool_]  # in the mesh at import (injected or ambient)


def _per_workload(at: list[int], values: list[float], n: int) -> FloatArray:
    """``values`` summed per workload index ``at``, in their order (as a loop adding
    them one by one would)."""
    weights = np.array(values, dtype=np.float64)
    summed = np.bincount(np.array(at, dtype=np.intp), weights, minlength=n)
    return np.asarray(summed[:n], dtype=np.float64)


def _requests(workload: Workload, profile: OverheadProfile) -> tuple[int, int]:
    """The proxy's cpu (millicores) and memory (bytes) requests for one pod."""
    if not any(a in workload.annotations for a in PROXY_ANNOTATIONS):
        return profile.sidecar_cpu_request_m, profile.sidecar_memory_request_bytes
    resources = sidecar_resources(workload, profile)
    return resources.cpu_request_m, resources.memory_request_bytes


def workload_table(
    inventory: Inventory, dependencies: Dependencies, profile: OverheadProfile
) -> WorkloadTable:
    live = [w for w in inventory.workloads.values() if not w.vanished]
    n = len(live)
    index = {w.key: i for i, w in enumerate(live)}
    callees: list[int] = []
    callers: list[int] = []
    rps_in: list[float] = []
    rps_out: list[float] = []
    for edge in dependencies.edges.values():
        rps = edge.requests_per_second
        if not rps:
            continue
        at = index.get(edge.callee)
        if at is not None:
            callees.append(at)
            rps_in.append(rps / 1000.0)
        at = index.get(edge.caller)
        if at is not None:
            callers.append(at)
            rps_out.append(rps / 1000.0)
    # summed per workload in the order of the edges, as a loop over them would
    krps_in = _per_workload(callees, rps_in, n)
    krps_out = _per_workload(callers, rps_out, n)
    pods = np.array([w.pods for w in live], dtype=np.float64)
    req = np.array([_requests(w, profile) for w in live], dtype=np.float64).reshape(n, 2).T.copy()
    req *= pods
    total = krps_in + krps_out
    usage = np.vstack(
        [total * profile.sidecar_vcpu_per_krps * 1000.0, total * profile.sidecar_mb_per_krps * MB]
    )
    ns_labels = {k: ns.labels for k, ns in inventory.namespaces.items()}
    namespaces = [w.namespace_key for w in live]
    waypoint = np.array(
        [
            USE_WAYPOINT in w.labels or USE_WAYPOINT in ns_labels.get(ns, {})
            for w, ns in zip(live, namespaces, strict=True)
        ],
        dtype=np.bool_,
    )
    return WorkloadTable(
        index=index,
        pods=pods,
        cluster=[w.cluster for w in live],
        namespace=namespaces,
        injectable=np.array([not w.host_network for w in live], dtype=np.bool_),
        wants_waypoint=waypoint,
        sidecar=np.maximum(req, usage),
        sidecar_requests=req,
        krps_total=total,
        krps_in=krps_in,
        already=np.array([w.mesh.injected or w.mesh.ambient for w in live], dtype=np.bool_),
    )


@dataclass(frozen=True, slots=True)
class WaveOverhead:
    """What a wave adds once it is done (the steady-state step it causes)."""

    wave: str
    name: str
    mode: str
    workloads: int
    pods: int
    cpu_m: float
    memory_bytes: float


@dataclass(frozen=True, slots=True)
class OverheadTimeline:
    """Overhead per component: monthly (2, months) arrays of cpu_m and memory bytes."""

    monthly: dict[str, FloatArray]
    steady: dict[str, tuple[float, float]]
    waves: list[WaveOverhead]
    sidecar_pods: int  # pods with a sidecar once every wave is done
    ztunnel_nodes: int
    waypoints: int

    def monthly_total(self) -> FloatArray:
        return sum((a for a in self.monthly.values()), np.zeros_like(self.monthly["sidecar"]))

    def steady_total(self) -> tuple[float, float]:
        return (
            sum(v[0] for v in self.steady.values()),
            sum(v[1] for v in self.steady.values()),
        )


def cluster_nodes(
    inventory: Inventory, table: WorkloadTable, profile: OverheadProfile
) -> dict[str, int]:
    """Node count per cluster; estimated from its pods where the inventory has none."""
    pods: dict[str, float] = {}
    for c, p in zip(table.cluster, table.pods, strict=True):
        pods[c] = pods.get(c, 0.0) + float(p)
    names = set(pods) | set(inventory.clusters)
    result = {}
    for name in names:
        cl = inventory.clusters.get(name)
        count = cl.nodes.count if cl is not None else 0
        if count <= 0:
            count = max(1, math.ceil(pods.get(name, 0.0) / max(1, profile.pods_per_node_estimate)))
        result[name] = count
    return result
