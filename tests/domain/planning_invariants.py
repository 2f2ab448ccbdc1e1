"""What every auto-plan must hold, checked on corpora and synthetic estates alike."""

from __future__ import annotations

from collections import Counter

from workbench.domain.plan import Plan
from workbench.domain.planning.autoplan import AutoPlanOptions, Proposal
from workbench.domain.planning.autoplan_pilot import is_infrastructure
from workbench.domain.planning.catalogue import HIGH_FAN_IN
from workbench.domain.planning.context import PlanningContext
from workbench.domain.planning.maintenance import window_days
from workbench.domain.planning.readiness_input import readiness_input


def apply_and_check(plan: Plan, proposal: Proposal, options: AutoPlanOptions) -> None:
    """Apply the proposal and assert capacity, parallelism, freezes, pilot and backlog."""
    removed = set(proposal.removed_waves)
    kept = [w for w in plan.schedule.waves if w.id not in removed]
    before = {k for w in kept for k in w.members}
    sizes = {w.id: len(w.members) for w in kept}
    proposal.command().do(plan)
    after = set(plan.schedule.assigned())
    assert len(after - before) == proposal.assigned_count()  # preview == applied
    readiness = readiness_input(plan, options.target_mode)
    ctx = PlanningContext(plan, readiness)
    scheduled = after - before
    assert not scheduled & readiness.blockers  # nothing blocked, no never-completing Job
    assert set(proposal.left_out) <= readiness.blockers
    for wave in plan.schedule.waves:
        pods = sum(plan.inventory.workloads[k].pods for k in wave.members)
        grown = len(wave.members) > sizes.get(wave.id, 0)
        if not grown:  # a hand-placed wave auto-plan left alone
            continue
        if options.max_workloads is not None:
            assert len(wave.members) <= options.max_workloads, wave.id
        if options.max_pods is not None and len(wave.members) > 1:
            assert pods <= options.max_pods, wave.id
    limit = plan.schedule.max_concurrent_waves
    if options.parallel is not None:
        assert limit == options.parallel
    busy: Counter[int] = Counter()
    for wave in plan.schedule.waves:
        for day in range(wave.start.toordinal(), wave.end.toordinal() + 1):
            busy[day] += 1
    assert max(busy.values(), default=0) <= limit
    for start, end in options.freezes:
        for wave in proposal.waves:
            assert wave.end < start or wave.start > end, (wave.id, start, end)
    pilots = [w for w in proposal.waves if w.phase == "pilot"]
    for wave in pilots:
        assert len(wave.members) <= options.pilot_size
        for key in wave.members:
            assert not readiness.high_risk(key), key
            assert ctx.graph.fan_in(key) < HIGH_FAN_IN, key
            assert not is_infrastructure(ctx, key), key
    if not any("share no weekday" in n for n in proposal.notes):
        for wave in proposal.waves:
            day = wave.start.weekday()
            for key in wave.members:
                allowed = window_days(ctx.window_of(key))
                assert allowed is None or day in allowed, (wave.id, key, ctx.window_of(key))
