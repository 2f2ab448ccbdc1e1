"""A rollout check says which meshed workloads' callers are not known: its verdict covers
only the calls the evidence shows."""

from __future__ import annotations

from tests.io.conftest import small_manifest_plan
from workbench.domain.dependencies import CallerConfirmation
from workbench.ops.simulate import check_json, check_rollout


def test_callers_not_known_are_named_with_the_verdict() -> None:
    plan = small_manifest_plan()
    plan.dependencies.confirmations.clear()  # only the static evidence left
    check = check_rollout(plan)
    assigned = set(plan.schedule.assigned())
    assert check.callers_not_known and set(check.callers_not_known) <= assigned
    data = check_json(check)
    assert data["callers_not_known"] == check.callers_not_known
    note = next(n for n in data["notes"] if "callers not known" in n)
    assert note.startswith(f"{len(check.callers_not_known)} meshed workload(s)")


def test_confirmed_callers_leave_no_such_note() -> None:
    plan = small_manifest_plan()
    for key in plan.inventory.workloads:
        plan.dependencies.confirmations.setdefault(key, CallerConfirmation(key, "reviewed"))
    check = check_rollout(plan)
    assert check.callers_not_known == []
    assert not any("callers not known" in n for n in check.report.notes)
