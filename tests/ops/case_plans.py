"""Generated estates with every live workload scheduled, for the business-case tests."""

from __future__ import annotations

from datetime import date

from workbench.domain.plan import Plan
from workbench.domain.schedule import Wave
from workbench.ops.generate import generate_plan

WAVE_DATES = (
    (date(2026, 5, 4), date(2026, 6, 19)),
    (date(2026, 7, 6), date(2026, 9, 25)),
    (date(2026, 10, 5), date(2027, 1, 29)),
)


def scheduled_estate(workloads: int, seed: int, clusters: int = 1) -> Plan:
    """A generated estate whose live workloads all sit in three waves (in key order)."""
    plan = generate_plan(workloads, clusters, seed)
    sched = plan.schedule
    for wave in list(sched.waves):
        sched.pop_wave(wave.id)
    keys = sorted(k for k, w in plan.inventory.workloads.items() if not w.vanished)
    size = -(-len(keys) // len(WAVE_DATES))
    phase = sched.phases[1].id if len(sched.phases) > 1 else sched.phases[0].id
    for k, (start, end) in enumerate(WAVE_DATES):
        members = keys[k * size : (k + 1) * size]
        wave = Wave(f"wave-{k + 1}", f"wave {k + 1}", phase, start, end, members=members)
        sched.insert_wave(wave)
    return plan
