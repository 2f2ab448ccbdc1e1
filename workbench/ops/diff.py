"""The ``diff`` use-case: what changed between two plans, with the KPI deltas.

The document comparison is :func:`workbench.domain.plan_diff.compare_plans`; the KPIs
come from :func:`workbench.ops.economics.compute`, each plan under its own active
scenario, with a private cache so a diff never disturbs the economics views' cache.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from workbench.domain.economics.model import BasisCache
from workbench.domain.plan import Plan
from workbench.domain.plan_diff import (
    DateChange,
    KpiDelta,
    PlanDiff,
    ValueChange,
    WaveEntry,
    compare_plans,
)
from workbench.ops.economics import EconomicsReport, compute

# (name, how to read it from an economics report); money in the plan's currency.
_KPIS: tuple[tuple[str, Callable[[EconomicsReport], float | None]], ...] = (
    ("total_cost", lambda r: r.metrics.total_cost),
    ("total_benefit", lambda r: r.metrics.total_benefit),
    ("net_benefit", lambda r: r.metrics.net_benefit),
    ("roi", lambda r: r.metrics.roi),
    ("npv", lambda r: r.metrics.npv),
    ("irr", lambda r: r.metrics.irr),
    ("payback_months", lambda r: r.metrics.payback_months),
    ("risk_adjusted_npv", lambda r: r.risk_adjusted.npv),
    ("overhead_monthly_cost", lambda r: r.overhead.monthly_cost),
    ("overhead_cpu_cores", lambda r: r.overhead.cpu_m / 1000.0),
    ("overhead_memory_gib", lambda r: r.overhead.memory_bytes / 2**30),
    ("extra_nodes", lambda r: float(r.overhead.nodes.whole_nodes)),
)


def kpi_deltas(a: Plan, b: Plan) -> tuple[KpiDelta, ...]:
    ra: EconomicsReport = compute(a, cache=BasisCache())
    rb: EconomicsReport = compute(b, cache=BasisCache())
    out = [
        KpiDelta("workloads", float(_live(a)), float(_live(b))),
        KpiDelta("waves", float(len(a.schedule.waves)), float(len(b.schedule.waves))),
        KpiDelta("unassigned", float(len(a.unassigned())), float(len(b.unassigned()))),
    ]
    for name, read in _KPIS:
        old, new = read(ra), read(rb)
        out.append(
            KpiDelta(name, None if old is None else float(old), None if new is None else float(new))
        )
    return tuple(out)


def _live(plan: Plan) -> int:
    return sum(1 for w in plan.inventory.workloads.values() if not w.vanished)


def diff_plans(a: Plan, b: Plan) -> PlanDiff:
    """The document changes from ``a`` to ``b`` and the KPI deltas they cause."""
    return compare_plans(a, b).with_kpis(kpi_deltas(a, b))


def _change(c: ValueChange) -> dict[str, Any]:
    return {"path": c.path, "old": c.old, "new": c.new}


def _wave(w: WaveEntry) -> dict[str, Any]:
    return {
        "id": w.id,
        "name": w.name,
        "phase": w.phase,
        "start": w.start.isoformat(),
        "end": w.end.isoformat(),
        "workloads": w.members,
    }


def _dates(d: DateChange) -> dict[str, Any]:
    return {
        "kind": d.kind,
        "id": d.id,
        "name": d.name,
        "start": {"old": d.old_start.isoformat(), "new": d.new_start.isoformat()},
        "end": {"old": d.old_end.isoformat(), "new": d.new_end.isoformat()},
        "start_shift_days": d.start_shift_days,
        "end_shift_days": d.end_shift_days,
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def diff_as_dict(d: PlanDiff) -> dict[str, Any]:
    """The diff as JSON-ready data (``diff --json``); keys are only ever added."""
    return {
        "identical": d.identical,
        "workloads": {
            "added": [{"key": w.key, "wave": w.wave} for w in d.workloads_added],
            "removed": [{"key": w.key, "wave": w.wave} for w in d.workloads_removed],
        },
        "wave_moves": [
            {"workload": m.workload, "from": m.old_wave, "to": m.new_wave} for m in d.wave_moves
        ],
        "waves": {
            "added": [_wave(w) for w in d.waves_added],
            "removed": [_wave(w) for w in d.waves_removed],
            "changes": [
                {"wave": c.wave, "field": c.field, "old": c.old, "new": c.new}
                for c in d.wave_changes
            ],
        },
        "date_changes": [_dates(c) for c in d.date_changes],
        "assumptions": [_change(c) for c in d.assumptions],
        "scenarios": {
            "added": list(d.scenarios_added),
            "removed": list(d.scenarios_removed),
            "changed": [
                {"name": s.name, "changes": [_change(c) for c in s.changes]}
                for s in d.scenarios_changed
            ],
            "active": None
            if d.active_scenario is None
            else {"old": d.active_scenario.old, "new": d.active_scenario.new},
        },
        "settings": [_change(c) for c in d.settings],
        "comments": [
            {
                "id": c.id,
                "target": c.target,
                "author": c.author,
                "text": c.text,
                "change": c.change,
                "replies": list(c.replies),
            }
            for c in d.comments
        ],
        "kpis": [
            {"name": k.name, "old": _round(k.old), "new": _round(k.new), "delta": _round(k.delta)}
            for k in d.kpis
        ],
    }
