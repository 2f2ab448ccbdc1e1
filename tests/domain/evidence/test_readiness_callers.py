"""The readiness finding that aggregates unknown callers per namespace."""

from __future__ import annotations

from workbench.domain.dependencies import CallerConfirmation
from workbench.domain.readiness import RULES_BY_ID, evaluate

from .conftest import DB, estate


def test_one_finding_per_namespace_with_unknown_callers() -> None:
    plan = estate()
    found = [f for f in evaluate(plan).findings if f.rule == "E1"]
    by_ns = {f.items: f for f in found}
    assert set(by_ns) == {("prod/shop",), ("prod/batch",), ("prod/ops",)}
    shop = by_ns[("prod/shop",)]
    assert shop.severity == "medium"
    assert shop.message == (
        "2 of 3 workload(s) in namespace shop have callers nobody has observed: web, db"
    )
    assert "at least 7 day(s)" in shop.fix and "deps add" in shop.fix
    assert RULES_BY_ID["E1"].scope == "namespace"


def test_confirmed_or_observed_workloads_close_the_gap() -> None:
    plan = estate()
    plan.dependencies.confirmations[DB] = CallerConfirmation(DB, "only the API calls it")
    report = evaluate(plan)
    shop = next(f for f in report.findings if f.rule == "E1" and f.items == ("prod/shop",))
    assert shop.message.startswith("1 of 3 workload(s)") and "db" not in shop.message
    assert report.risk[DB] == 0.0  # a gap in the evidence is not a risk of the workload
