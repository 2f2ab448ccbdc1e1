"""Schedule outputs: coverage per month, safe STRICT dates, the mesh-wide milestone."""

from __future__ import annotations

from datetime import date

import pytest

from tests.domain.planning_plans import add_wave, full, make_plan
from workbench.domain.inventory import Service
from workbench.domain.planning.context import PlanningContext
from workbench.domain.planning.outputs import (
    monthly_coverage,
    namespace_strict_dates,
    strict_milestone,
)
from workbench.domain.planning.readiness_input import ReadinessInput


def test_monthly_coverage_reuses_the_economics_ramp() -> None:
    plan = make_plan(["a", "b", "c", "d"], pods=2)
    plan.inventory.workloads[full("d")].pods = 6
    add_wave(plan, "w1", ["a", "b"], phase="foundation", start=date(2027, 1, 1), days=31)
    add_wave(plan, "w2", ["d"], phase="core", start=date(2027, 3, 1), days=31)
    cov = monthly_coverage(plan, months=6)
    assert [c.label for c in cov] == [
        "2027-01",
        "2027-02",
        "2027-03",
        "2027-04",
        "2027-05",
        "2027-06",
    ]
    assert cov[0].workloads == pytest.approx(1 / 31 * 0.5)
    assert cov[1].workloads == pytest.approx(0.5)
    assert cov[1].pods == pytest.approx(4 / 12)
    assert cov[4].workloads == pytest.approx(0.75)
    assert cov[4].pods == pytest.approx(10 / 12)


def test_namespace_strict_dates_and_milestone() -> None:
    plan = make_plan(
        ["front", "api", "db", "x/job"], [("front", "api"), ("api", "x/db"), ("x/job", "x/db")]
    )
    from tests.domain.planning_plans import add_workload

    add_workload(plan, "x/db")
    add_wave(plan, "w1", ["x/db", "api"], phase="pilot")
    add_wave(plan, "w2", ["front"], phase="core")
    ctx = PlanningContext(plan, ReadinessInput())
    dates = namespace_strict_dates(ctx)
    assert dates["c1/shop"].date == plan.schedule.wave("w2").end
    assert dates["c1/x"].date is None and "in no wave" in dates["c1/x"].reason  # job calls db
    assert strict_milestone(dates) is None
    add_wave(plan, "w3", ["x/job"], phase="core", start=date(2027, 9, 1))
    dates = namespace_strict_dates(PlanningContext(plan, ReadinessInput()))
    assert dates["c1/x"].date == date(2027, 9, 14)
    assert strict_milestone(dates) == date(2027, 9, 14)


def test_exposed_workloads_never_get_a_safe_strict_date() -> None:
    plan = make_plan(["web"])
    plan.inventory.add_service(
        Service("c1", "shop", "web", type="NodePort", selector={"app": "web"})
    )
    add_wave(plan, "w1", ["web"])
    dates = namespace_strict_dates(PlanningContext(plan, ReadinessInput()))
    assert dates["c1/shop"].date is None and "outside the mesh" in dates["c1/shop"].reason


def test_already_meshed_and_unmeshed_namespaces_do_not_hold_the_milestone() -> None:
    plan = make_plan(["a", "idle/b"])
    plan.inventory.workloads[full("a")].mesh.injected = True
    dates = namespace_strict_dates(PlanningContext(plan, ReadinessInput()))
    assert dates["c1/shop"].already and dates["c1/idle"].already
    assert strict_milestone(dates) is None  # nothing left to wait for, no date needed
