"""The inventory table's columns: those read from the workload alone (formatted once
per plan) and those looked up from the plan (schedule, dependencies, findings, business
metadata)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt

from workbench.domain.business import BusinessInfo
from workbench.domain.inventory import Workload

MIB = 1024 * 1024
SORT_ROLE = Qt.ItemDataRole.UserRole
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
UNASSIGNED = "unassigned"
NOT_SET = "—"  # no container of the pod states this request
NOT_CHECKED = "…"  # findings not computed yet


def cpu_set(w: Workload) -> bool:
    return any(c.resources.cpu_request_m is not None for c in w.containers)


def memory_set(w: Workload) -> bool:
    return any(c.resources.memory_request_bytes is not None for c in w.containers)


def cores(w: Workload) -> float:
    """Requested cores per pod; -1 when nothing is requested, so those sort first."""
    return w.cpu_request_m() / 1000 if cpu_set(w) else -1.0


def mib(w: Workload) -> float:
    return w.memory_request_bytes() / MIB if memory_set(w) else -1.0


@dataclass(frozen=True, slots=True)
class Column:
    """A column over the workload alone (formatted once per plan)."""

    title: str
    tooltip: str
    value: Callable[[Workload], str | int | float]
    text: Callable[[Workload], str] | None = None  # display text when not str(value)
    numeric: bool = False


def _request_column(
    title: str,
    what: str,
    value: Callable[[Workload], float],
    is_set: Callable[[Workload], bool],
    spec: str,
) -> Column:
    """A per-pod resource request column; ``NOT_SET`` when no container states it."""
    return Column(
        title,
        f"{what} requested by one pod: the sum of its containers' requests (— when none is set)",
        value,
        lambda w: format(value(w), spec) if is_set(w) else NOT_SET,
        numeric=True,
    )


COLUMNS: tuple[Column, ...] = (
    Column("Cluster", "Cluster the workload runs in", lambda w: w.cluster),
    Column("Namespace", "Kubernetes namespace", lambda w: w.namespace),
    Column("Kind", "Workload kind", lambda w: w.kind),
    Column("Name", "Workload name", lambda w: w.name),
    Column("Replicas", "Desired replicas", lambda w: w.replicas, numeric=True),
    Column("Pods", "Observed pods", lambda w: w.pods, numeric=True),
    _request_column("CPU (cores)", "CPU", cores, cpu_set, ",.2f"),
    _request_column("Memory (MiB)", "Memory", mib, memory_set, ",.0f"),
)
# Business metadata columns: title, BusinessInfo field, tooltip.
BUSINESS: tuple[tuple[str, str, str], ...] = (
    ("Owner team", "owner", "Owner team, from imported business metadata (import metadata)"),
    ("Criticality", "criticality", "Business criticality, from imported business metadata"),
    ("Environment", "environment", "Environment, from imported business metadata"),
    ("SLO tier", "slo_tier", "SLO tier, from imported business metadata"),
    (
        "Maintenance window",
        "maintenance",
        "Maintenance window, from imported business metadata: the wave holding the "
        "workload should start (cut over) on a day it allows",
    ),
)
# Columns looked up from the plan's schedule, dependencies, findings and business metadata.
DERIVED: tuple[tuple[str, str, bool], ...] = (
    ("Risk", "Readiness risk score, 0 (none) to 100", True),
    ("Worst finding", "The most severe active finding about the workload", False),
    ("Wave", "Migration wave", False),
    ("Callers", "Workloads that call this one", True),
    ("Callees", "Workloads this one calls", True),
    (
        "Callers known",
        "Caller knowledge: complete (observed for the minimum window, or confirmed by a "
        "person), partial (some evidence) or unknown (none); '+ external' when it can be "
        "called from outside the cluster or mesh",
        False,
    ),
    *((title, tip, False) for title, _field, tip in BUSINESS),
)
HEADERS = (*(c.title for c in COLUMNS), *(d[0] for d in DERIVED))
RISK_COLUMN = HEADERS.index("Risk")
WORST_COLUMN = HEADERS.index("Worst finding")
WAVE_COLUMN = HEADERS.index("Wave")
CALLERS_COLUMN = HEADERS.index("Callers")
CALLEES_COLUMN = HEADERS.index("Callees")
KNOWLEDGE_COLUMN = HEADERS.index("Callers known")
CRITICALITY_COLUMN = HEADERS.index("Criticality")
# column -> the BusinessInfo field it shows
BUSINESS_COLUMNS: dict[int, str] = {HEADERS.index(title): name for title, name, _ in BUSINESS}
CRITICALITY_ORDER = ("critical", "high", "medium", "low")
NAME_COLUMN = HEADERS.index("Name")
NUMERIC = frozenset(
    [i for i, c in enumerate(COLUMNS) if c.numeric]
    + [len(COLUMNS) + i for i, d in enumerate(DERIVED) if d[2]]
)


def business_words(info: BusinessInfo | None) -> str:
    """Business metadata as search text: owner, criticality, environment, SLO tier,
    maintenance window."""
    if info is None:
        return ""
    words = (info.owner, info.criticality, info.environment, info.slo_tier, info.maintenance)
    return " " + " ".join(w for w in words if w).lower()
