"""Turning resources into money and nodes.

Prices follow OpenCost's defaults: $0.031611 per vCPU-hour and $0.004237 per GB-hour,
730 hours a month. OpenCost's "GB" of RAM is 2^30 bytes (it divides byte counts by
1024^3), so memory is priced per GiB here: a 128Mi sidecar request is 0.125 GB-hours an
hour. The same holds for storage.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from workbench.domain.assumptions import Prices

GIB = float(1024**3)
FloatArray = npt.NDArray[np.float64]


def monthly_cost(
    cpu_m: FloatArray | float, memory_bytes: FloatArray | float, prices: Prices
) -> FloatArray:
    """Cost of holding these requests for a month (element-wise over arrays)."""
    cpu_h = np.asarray(cpu_m, dtype=np.float64) / 1000.0 * prices.vcpu_hour
    mem_h = np.asarray(memory_bytes, dtype=np.float64) / GIB * prices.gb_hour
    return np.asarray((cpu_h + mem_h) * prices.hours_per_month, dtype=np.float64)


def storage_monthly_cost(stored_bytes: float, prices: Prices) -> float:
    return stored_bytes / GIB * prices.storage_gb_hour * prices.hours_per_month


@dataclass(frozen=True, slots=True)
class NodeEquivalent:
    """The overhead as nodes of the chosen size filled to the target utilisation."""

    nodes: float  # fractional
    whole_nodes: int
    bound_by: str  # "cpu" or "memory"


def node_equivalent(cpu_m: float, memory_bytes: float, prices: Prices) -> NodeEquivalent:
    util = prices.node_target_utilisation
    by_cpu = cpu_m / 1000.0 / (prices.node_vcpu * util) if prices.node_vcpu * util > 0 else 0.0
    cap_mem = prices.node_memory_gib * util
    by_mem = memory_bytes / GIB / cap_mem if cap_mem > 0 else 0.0
    nodes = max(by_cpu, by_mem)
    whole = math.ceil(nodes - 1e-9) if nodes > 0 else 0
    return NodeEquivalent(nodes, whole, "cpu" if by_cpu >= by_mem else "memory")
