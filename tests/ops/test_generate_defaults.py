"""What new plans start from: the seed's four phases and business case."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest

from workbench.domain.defaults import (
    add_months,
    default_assumptions,
    default_phases,
    playbook_assumptions,
    untouched_defaults,
)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2023, 1, 1), 4, date(2023, 5, 1)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 11, 15), 3, date(2024, 2, 15)),
        (date(2023, 12, 1), 1, date(2024, 1, 1)),
        (date(2023, 3, 31), -1, date(2023, 2, 28)),
    ],
)
def test_add_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_the_seed_phases_from_its_start() -> None:
    phases = default_phases(date(2023, 1, 1))
    assert [(p.id, p.name, p.start, p.end) for p in phases] == [
        ("foundation", "Foundation", date(2023, 1, 1), date(2023, 4, 30)),
        ("pilot", "Pilot", date(2023, 5, 1), date(2023, 7, 31)),
        ("core", "Core", date(2023, 8, 1), date(2023, 11, 30)),
        ("optimization", "Optimization", date(2023, 12, 1), date(2024, 2, 29)),
    ]


@pytest.mark.parametrize("start", [date(2025, 1, 31), date(2026, 6, 15), date(2027, 2, 28)])
def test_phases_are_back_to_back_from_any_start(start: date) -> None:
    phases = default_phases(start)
    assert phases[0].start == start
    assert all(a.end + timedelta(days=1) == b.start for a, b in pairwise(phases))
    assert all(p.start < p.end for p in phases)
    assert phases[-1].end < add_months(start, 14)


def test_default_assumptions_are_the_estate_case() -> None:
    a = default_assumptions()
    assert a.overhead.name == "istio-defaults"
    assert (a.ramp.kind, a.discount_rate, a.horizon_months) == ("coverage", 0.10, 36)
    assert (a.case, a.infrastructure) == ("estate", "computed")
    assert [c.name for c in a.cost_lines] == ["Tools & licences"]
    assert sum(c.one_time + c.annual for c in a.cost_lines) == 0
    # the playbook's $5.5M a year for 1,000 services, per workload
    assert sum(b.per_workload for b in a.benefit_lines) == pytest.approx(5_500)
    assert all(b.basis for b in a.benefit_lines)
    assert untouched_defaults(a) == ["estate case rates", "benefit lines", "cost lines"]
    a.estate_case.day_rate  # noqa: B018 - a property, read for its value
    a.benefit_lines[0].per_workload = 2_000.0
    assert untouched_defaults(a) == ["estate case rates", "cost lines"]
    b = default_assumptions("seed-playbook")
    assert b.overhead.name == "seed-playbook"
    b.benefit_lines[0].per_workload = 1.0  # each call gives fresh objects
    assert default_assumptions().benefit_lines[0].per_workload == 1_000
    with pytest.raises(KeyError):
        default_assumptions("no-such-profile")


def test_playbook_assumptions_are_the_seed_tables() -> None:
    a = playbook_assumptions()
    assert (a.ramp.kind, a.case, a.infrastructure) == ("full", "lines", "fixed")
    assert sum(c.one_time for c in a.cost_lines) == pytest.approx(2_100_000)
    assert sum(b.annual for b in a.benefit_lines) == pytest.approx(5_500_000)
    assert a.cost_lines[0].annual == 800_000
