"""Chart tests run under Agg (matplotlib's default without a display)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.charts.support import sample_plan
from workbench.domain.plan import Plan
from workbench.ops.economics import EconomicsReport, compute


@pytest.fixture(scope="session")
def sample(sample_plan_path: Path) -> Plan:
    return sample_plan(sample_plan_path)


@pytest.fixture(scope="session")
def ramp_report(sample: Plan) -> EconomicsReport:
    """The sample plan with benefits ramping over the migration: payback inside the horizon."""
    return compute(sample, "ramp-with-migration", with_monte_carlo=True)
