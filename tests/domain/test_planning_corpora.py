"""Auto-plan on real estates imported from their manifests: no serious schedule finding."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import require
from tests.domain.planning_invariants import apply_and_check
from workbench.domain.planning.autoplan import AutoPlanOptions


@pytest.mark.parametrize("estate", ["sock-shop", "bookinfo"])
@pytest.mark.parametrize("mode", ["sidecar", "ambient"])
def test_auto_plan_of_a_real_estate(shared_dir: Path, estate: str, mode: str) -> None:
    manifests = shared_dir / "corpora" / estate / "manifests"
    require(manifests.is_dir(), f"the {estate} manifests at {manifests}")
    from workbench.ops.import_files import import_files
    from workbench.ops.planning import propose_plan, schedule_outputs, validate

    plan = import_files([str(manifests)]).plan
    workloads = [k for k, w in plan.inventory.workloads.items() if not w.vanished]
    options = AutoPlanOptions(target_mode=mode, max_workloads=4, parallel=2, pilot_size=2)
    proposal = propose_plan(plan, options)
    apply_and_check(plan, proposal, options)
    planned = {k for w in plan.schedule.waves for k in w.members}
    assert planned | set(proposal.left_out) | set(proposal.out_of_scope) == set(workloads)
    assert [w for w in proposal.waves if w.phase == "pilot"], proposal.notes
    serious = [f for f in validate(plan) if f.severity in ("blocker", "high")]
    assert serious == [], [f.message for f in serious]
    outputs = schedule_outputs(plan)
    assert outputs.coverage[-1].workloads == pytest.approx(len(planned) / len(workloads))
